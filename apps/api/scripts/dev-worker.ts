/**
 * `pnpm dev:worker`: the Worker (src/worker.ts) locally in workerd through `wrangler dev`, with a local D1
 * whose migrations are applied first (`wrangler d1 migrations apply DB --local`), listening on
 * `$HOST:$PORT` (default 127.0.0.1:8787). The bootstrap administrator secret is CERTORY_ADMIN_TOKEN from
 * the environment, else apps/api/.dev.vars; with neither, one is drawn for this run and printed, as
 * `certory serve` does. SIGINT / SIGTERM (to this process, or to the pnpm that started it) stop wrangler
 * and its workerd, then this process.
 * The local D1 lives in `$CERTORY_WORKER_STATE` (default apps/api/.wrangler/state).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const app = fileURLToPath(new URL("..", import.meta.url))
const wrangler = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url))
const port = process.env.PORT?.trim() || "8787"
const host = process.env.HOST?.trim() || "127.0.0.1"
const state =
  process.env.CERTORY_WORKER_STATE?.trim() || fileURLToPath(new URL("../.wrangler/state", import.meta.url))

if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
  console.error(`dev:worker: PORT must be a port number, not "${port}"`)
  process.exit(1)
}

const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: "false" }
const configured = process.env.CERTORY_ADMIN_TOKEN?.trim()
const devVars = existsSync(new URL("../.dev.vars", import.meta.url))
let drawn: string | undefined
if ((configured === undefined || configured === "") && !devVars) {
  drawn = `cty_dev_${randomBytes(24).toString("base64url")}`
  env.CERTORY_ADMIN_TOKEN = drawn
}

let child: ChildProcess | undefined
let stopping = false

const run = (args: ReadonlyArray<string>, extra: NodeJS.ProcessEnv = {}): Promise<number> =>
  new Promise((resolve, reject) => {
    child = spawn(process.execPath, [wrangler, ...args], {
      cwd: app,
      env: { ...env, ...extra },
      stdio: "inherit"
    })
    child.once("error", reject)
    child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 0)))
  })

const stop = () => {
  stopping = true
  // wrangler stops workerd itself on SIGTERM; we exit once it has.
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
  else process.exit(0)
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
// pnpm (and npx) exit on SIGTERM without passing it on: a terminal's Ctrl-C reaches the whole process
// group, a supervisor's SIGTERM to pnpm does not. So when pnpm, or any of our first few ancestors, is
// gone, stop as if we had been signalled. /proc names the ancestors on Linux; elsewhere the parent only.
const ancestors = (): ReadonlyArray<number> => {
  const chain = [process.ppid]
  for (let level = 0; level < 3; level++) {
    try {
      const stat = readFileSync(`/proc/${chain[chain.length - 1]}/stat`, "utf8")
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      if (!Number.isInteger(ppid) || ppid <= 1) break
      chain.push(ppid)
    } catch {
      break
    }
  }
  return chain
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}
const parent = process.ppid
const watched = ancestors()
setInterval(() => {
  if (!stopping && (process.ppid !== parent || !watched.every(alive))) stop()
}, 250).unref()

// CI=1: no confirmation prompt (the local database is the developer's own).
const migrated = await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { CI: "1" })
if (stopping) process.exit(0)
if (migrated !== 0) {
  console.error("dev:worker: applying the D1 migrations failed")
  process.exit(migrated)
}
if (drawn !== undefined) {
  console.log(
    `administrator token (drawn for this run; set CERTORY_ADMIN_TOKEN or apps/api/.dev.vars to choose one): ${drawn}`
  )
}
console.log(
  `certory Worker on http://${host.includes(":") ? `[${host}]` : host}:${port} (local D1 in ${state})`
)
// wrangler reads secrets from .dev.vars if it exists, else from .env files and the environment: naming an
// (empty) env file skips .dev.vars, so a CERTORY_ADMIN_TOKEN in the environment wins.
const fromEnvironment: Array<string> = []
if (configured !== undefined && configured !== "") {
  const empty = join(state, "empty.env")
  writeFileSync(empty, "")
  fromEnvironment.push("--env-file", empty)
}
const code = await run([
  "dev",
  "--ip",
  host,
  "--port",
  port,
  "--persist-to",
  state,
  "--show-interactive-dev-session=false",
  ...fromEnvironment
])
process.exit(stopping ? 0 : code)
