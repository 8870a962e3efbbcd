/**
 * The Worker's figures (`pnpm --filter @certory/api bench:worker`, also run by the package's `bench`),
 * all from one run:
 *
 * 1. Bundle size: `wrangler deploy --dry-run --outdir` of wrangler.jsonc, raw and gzip (zlib level 9 here,
 *    and wrangler's own figure as it prints it). Target < 1 MiB gzip.
 * 2. CPU time per request of the Worker's fetch handler, MIM and Huawei lists, BENCH_OWNERS owners (10,000)
 *    of 4 certificates each. workerd does not advance its clocks during computation (Spectre mitigation), so
 *    timing inside the Worker reads ~0. Two outside measures instead:
 *    (a) the SAME bundle (dist/worker.js) imported into Node and called as `fetch(request, env)` over a D1
 *        binding implemented on better-sqlite3 (the seeded D1 file itself), sequentially;
 *        `process.cpuUsage()` around BENCH_REQUESTS requests, minus the CPU spent inside the D1 binding
 *        (measured around every statement: on Cloudflare, D1 runs in another process and its time is not
 *        the Worker's CPU time). `/healthz` through the same handler is the floor (routing, request id,
 *        log line). Node's V8 is older than workerd's, so this is an estimate of the same code's cost.
 *    (b) workerd itself under `wrangler dev`: the CPU seconds of its processes (/proc, Linux) over a load
 *        run divided by the requests served: an upper bound, since it also counts HTTP parsing, wrangler's
 *        proxy worker and D1's SQLite running in the same process.
 * 3. Requests/s of `wrangler dev` (workerd, local D1) against `certory serve` on SQLite holding the same
 *    rows, the same random owners, autocannon with BENCH_CONNECTIONS (20), BENCH_ROUNDS (2) x
 *    BENCH_DURATION (5 s), alternating, after a warm-up; the ratio is the figure (absolute numbers depend
 *    on the machine). Both log every request (neither log is read).
 *
 * Seeding (bench/Seed.ts, as bench/http.bench.ts): certificates derived from the corpus roots
 * (`StoreBench.derive`), written as the store's rows into a SQLite file migrated by the SQLite store (for
 * `certory serve`), then copied into the local D1 file that `wrangler d1 migrations apply --local` created
 * (same migrations, same columns).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { gzipSync } from "node:zlib"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import * as SqlClient from "@effect/sql/SqlClient"
import Database from "better-sqlite3"
import { Context, ManagedRuntime } from "effect"
import * as Load from "./Load.js"
import * as Seed from "./Seed.js"

const env = (name: string, fallback: number): number => {
  const value = process.env[name]
  return value === undefined || value === "" ? fallback : Number(value)
}

const app = fileURLToPath(new URL("..", import.meta.url))
const root = resolve(app, "../..")
const wrangler = join(app, "node_modules/wrangler/bin/wrangler.js")
const TOKEN = "cty_worker-bench-bootstrap-token-0123456789abcdef"

// ---- a D1 binding on better-sqlite3 (for running the bundle in Node) ----------------------------------

interface D1Result {
  results: Array<unknown>
  success: true
  meta: Record<string, never>
}

/** The D1Database surface @effect/sql-d1 and storage-d1 use, over one better-sqlite3 connection. */
const d1OnSqlite = (db: Database.Database) => {
  const cache = new Map<string, Database.Statement>()
  let cpuMicros = 0
  const measured = <A>(f: () => A): A => {
    const before = process.cpuUsage()
    try {
      return f()
    } finally {
      const spent = process.cpuUsage(before)
      cpuMicros += spent.user + spent.system
    }
  }
  const prepared = (sql: string) => {
    let statement = cache.get(sql)
    if (statement === undefined) {
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }
  const values = (params: ReadonlyArray<unknown>) =>
    params.map((p) => (p === true ? 1 : p === false ? 0 : p === undefined ? null : p))
  const statement = (sql: string, params: ReadonlyArray<unknown> = []) => {
    const allSync = (): D1Result =>
      measured(() => {
        const s = prepared(sql)
        if (s.reader) return { results: s.all(...values(params)), success: true, meta: {} }
        s.run(...values(params))
        return { results: [], success: true, meta: {} }
      })
    return {
      bind: (...bound: Array<unknown>) => statement(sql, bound),
      all: async () => allSync(),
      run: async () => allSync(),
      first: async (column?: string) => {
        const row = allSync().results[0] as Record<string, unknown> | undefined
        return row === undefined ? null : column === undefined ? row : row[column]
      },
      raw: async () =>
        measured(() => {
          const s = prepared(sql)
          if (s.reader) return s.raw(true).all(...values(params))
          s.run(...values(params))
          return []
        }),
      allSync
    }
  }
  const binding = {
    prepare: (sql: string) => statement(sql),
    batch: async (statements: ReadonlyArray<ReturnType<typeof statement>>) =>
      db.transaction(() => statements.map((s) => s.allSync()))(),
    exec: async (sql: string) => measured(() => db.exec(sql))
  }
  return { binding, cpuMicros: () => cpuMicros }
}

// ---- processes and load -------------------------------------------------------------------------------

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer()
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? done(address.port) : fail()))
    })
  })

const waitFor = async (url: string, child: ChildProcess, output: () => string) => {
  for (let waited = 0; waited < 180_000; waited += 250) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited\n${output()}`)
    const up = await fetch(url).then(
      (r) => r.status === 200,
      () => false
    )
    if (up) return
    await new Promise((done) => setTimeout(done, 250))
  }
  throw new Error(`${url} did not come up\n${output()}`)
}

const start = (command: ReadonlyArray<string>, extraEnv: Record<string, string>, cwd = app) => {
  let output = ""
  const child = spawn(process.execPath, command, {
    cwd,
    env: {
      ...process.env,
      ...extraEnv,
      WRANGLER_SEND_METRICS: "false",
      NO_COLOR: "1",
      CERTORY_ADMIN_TOKEN: TOKEN
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true
  })
  // Keep the tail only (both servers log every request).
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on("data", keep)
  child.stderr?.on("data", keep)
  return { child, output: () => output }
}

const stop = async (child: ChildProcess) => {
  if (child.pid === undefined || child.exitCode !== null) return
  const exited = new Promise((done) => child.once("exit", done))
  process.kill(child.pid, "SIGTERM")
  await exited
  // Anything the server left in its process group.
  try {
    process.kill(-child.pid, "SIGKILL")
  } catch {}
}

/** CPU seconds (user + system) of each workerd process below `pid`, by process id (Linux /proc). */
const workerdCpu = (pid: number): Map<number, number> => {
  const children = new Map<number, Array<number>>()
  const stats = new Map<number, { name: string; cpu: number }>()
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      const ppid = Number(fields[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
      stats.set(Number(entry), { name, cpu: (Number(fields[11]) + Number(fields[12])) / 100 })
    } catch {}
  }
  const cpu = new Map<number, number>()
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      const s = stats.get(c)
      if (s?.name === "workerd") cpu.set(c, s.cpu)
      walk(c)
    }
  }
  walk(pid)
  return cpu
}

/** CPU seconds workerd spent between two samples (a process that started in between counts whole). */
const cpuBetween = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, cpu]) => sum + cpu - (before.get(pid) ?? 0), 0)

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

// ---- main ---------------------------------------------------------------------------------------------

const main = async () => {
  const ownerCount = env("BENCH_OWNERS", 10_000)
  const requests = env("BENCH_REQUESTS", 2000)
  const connections = env("BENCH_CONNECTIONS", 20)
  const duration = env("BENCH_DURATION", 5)
  const rounds = env("BENCH_ROUNDS", 2)
  const work = mkdtempSync(join(tmpdir(), "certory-worker-bench-"))
  const children: Array<ChildProcess> = []
  try {
    // 1. The bundle.
    const dist = join(work, "dist")
    const dryRun = execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", dist], {
      cwd: app,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      encoding: "utf8"
    })
    const bundle = readFileSync(join(dist, "worker.js"))
    const reported = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(dryRun)
    console.log("Worker (wrangler deploy --dry-run, no nodejs_compat):")
    console.log(
      `  bundle ${kib(bundle.length)} raw, ${kib(gzipSync(bundle, { level: 9 }).length)} gzip -9` +
        (reported === null ? "" : `  (wrangler: ${reported[1]} / gzip ${reported[2]})`) +
        "; target < 1024 KiB gzip"
    )

    // Seeding: the SQLite store's file, then the same rows into the local D1 file.
    const bases = await Seed.bases()
    const sqliteFile = join(work, "serve.sqlite")
    const t0 = performance.now()
    const seeding = ManagedRuntime.make(SqliteCertificateStore.layerClientMigrated({ filename: sqliteFile }))
    const context = await seeding.runtime()
    await seeding.runPromise(
      Seed.seed(Context.get(context.context, SqlClient.SqlClient), bases, {
        certificates: ownerCount * Seed.PER_OWNER,
        salt: Math.floor(Math.random() * 256)
      })
    )
    await seeding.dispose()
    const state = join(work, "state")
    execFileSync(
      process.execPath,
      [wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state],
      {
        cwd: app,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
        stdio: "ignore"
      }
    )
    const d1Dir = join(state, "v3/d1/miniflare-D1DatabaseObject")
    const d1Files = readdirSync(d1Dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    if (d1Files.length !== 1) throw new Error(`expected one local D1 file in ${d1Dir}: ${d1Files.join(", ")}`)
    const d1File = join(d1Dir, d1Files[0]!)
    const d1 = new Database(d1File)
    d1.prepare("ATTACH DATABASE ? AS seeded").run(sqliteFile)
    d1.transaction(() => {
      for (const table of ["owners", "certificates", "bindings"])
        d1.exec(`INSERT INTO main.${table} SELECT * FROM seeded.${table}`)
    })()
    d1.exec("DETACH DATABASE seeded")
    d1.exec("ANALYZE")
    const counted = d1
      .prepare("SELECT (SELECT count(*) FROM owners) AS owners, (SELECT count(*) FROM bindings) AS bindings")
      .get()
    d1.close()
    console.log(
      `  seeded ${ownerCount} owners x ${Seed.PER_OWNER} certificates (+${Seed.STORES} identity stores) in ${((performance.now() - t0) / 1000).toFixed(0)} s; local D1 holds ${JSON.stringify(counted)}`
    )

    const endpoints = Seed.endpoints(ownerCount, TOKEN)

    // 2a. CPU per request: the bundle's fetch in Node over a D1 binding on a copy of the D1 file.
    const copy = join(work, "d1-copy.sqlite")
    cpSync(d1File, copy)
    const db = new Database(copy)
    const shim = d1OnSqlite(db)
    const worker = (await import(pathToFileURL(join(dist, "worker.js")).href)) as {
      default: { fetch: (request: Request, env: unknown, ctx?: unknown) => Promise<Response> }
    }
    const workerEnv = { DB: shim.binding, CERTORY_ADMIN_TOKEN: TOKEN }
    const quiet = { log: console.log, error: console.error }
    const measure = async (paths: () => string, headers: Record<string, string>, count: number) => {
      // The Worker's log line is built; writing it is left out (as in bench/http.bench.ts).
      console.log = () => {}
      console.error = () => {}
      try {
        const d1Before = shim.cpuMicros()
        const before = process.cpuUsage()
        for (let i = 0; i < count; i++) {
          const response = await worker.default.fetch(
            new Request(`https://certory.bench${paths()}`, { headers }),
            workerEnv,
            {
              waitUntil: () => {},
              passThroughOnException: () => {}
            }
          )
          if (response.status !== 200)
            throw new Error(`${paths()}: ${response.status} ${await response.text()}`)
          await response.arrayBuffer()
        }
        const spent = process.cpuUsage(before)
        const total = (spent.user + spent.system) / count / 1000
        const inD1 = (shim.cpuMicros() - d1Before) / count / 1000
        return { total, inD1, worker: total - inD1 }
      } finally {
        console.log = quiet.log
        console.error = quiet.error
      }
    }
    // Warm-up (JIT, statement cache, first build of the app and runtime), not counted.
    for (const endpoint of endpoints) await measure(endpoint.paths, endpoint.headers, 500)
    await measure(() => "/healthz", {}, 500)
    console.log(
      `  CPU per request, the bundle's fetch in Node ${process.version} over D1-on-better-sqlite3, ${requests} sequential requests, random owners:`
    )
    const floor = await measure(() => "/healthz", {}, requests)
    for (const endpoint of endpoints) {
      const f = await measure(endpoint.paths, endpoint.headers, requests)
      console.log(
        `    ${endpoint.name.padEnd(6)} Worker ${f.worker.toFixed(3)} ms (total ${f.total.toFixed(3)} ms, of it in D1 ${f.inD1.toFixed(3)} ms); target < 2 ms`
      )
    }
    console.log(`    /healthz (floor: routing, request id, log line) ${floor.worker.toFixed(3)} ms`)
    db.close()

    // 3. wrangler dev (workerd, the seeded local D1) against certory serve (SQLite, the same rows).
    const workerPort = await freePort()
    const wranglerDev = start(
      [
        wrangler,
        "dev",
        // The bundle measured above, as is: the same code, and no rebuild when someone edits src/ meanwhile.
        join(dist, "worker.js"),
        "--no-bundle",
        "-c",
        join(app, "wrangler.jsonc"),
        "--ip",
        "127.0.0.1",
        "--port",
        String(workerPort),
        "--persist-to",
        state,
        "--show-interactive-dev-session=false",
        "--log-level",
        "warn"
      ],
      {}
    )
    children.push(wranglerDev.child)
    const servePort = await freePort()
    const serve = start(
      [
        "--import",
        "tsx",
        join(root, "apps/cli/src/bin.ts"),
        "serve",
        "--no-demo",
        "--host",
        "127.0.0.1",
        "--port",
        String(servePort),
        "--store",
        `sqlite:${sqliteFile}`
      ],
      {},
      root
    )
    children.push(serve.child)
    const targets = [
      { name: "wrangler dev (workerd + local D1)", url: `http://127.0.0.1:${workerPort}` },
      { name: "certory serve (Node + SQLite)", url: `http://127.0.0.1:${servePort}` }
    ] as const
    await waitFor(`${targets[0].url}/healthz`, wranglerDev.child, wranglerDev.output)
    await waitFor(`${targets[1].url}/healthz`, serve.child, serve.output)
    for (const endpoint of endpoints)
      for (const target of targets)
        await Load.load(target.url, endpoint.headers, endpoint.paths, connections, 2)
    const figures = new Map<string, Array<Load.Figure & { workerdCpu?: number }>>()
    for (let r = 0; r < rounds; r++)
      for (const endpoint of endpoints)
        for (let t = 0; t < targets.length; t++) {
          const target = targets[(t + r) % targets.length]!
          const cpuBefore = workerdCpu(wranglerDev.child.pid!)
          const figure = await Load.load(target.url, endpoint.headers, endpoint.paths, connections, duration)
          const extra =
            target === targets[0]
              ? { workerdCpu: cpuBetween(cpuBefore, workerdCpu(wranglerDev.child.pid!)) / figure.requests }
              : {}
          const key = `${endpoint.name}/${target.name}`
          figures.set(key, [...(figures.get(key) ?? []), { ...figure, ...extra }])
        }
    console.log(
      `  requests/s, autocannon on loopback, ${connections} connections, ${rounds} x ${duration} s per target, alternating, random owners:`
    )
    for (const endpoint of endpoints) {
      const summary = (target: string) => {
        const all = figures.get(`${endpoint.name}/${target}`)!
        const sorted = (xs: Array<number>) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
        return {
          rps: all.reduce((sum, f) => sum + f.rps, 0) / all.length,
          p50: sorted(all.map((f) => f.p50)),
          p99: sorted(all.map((f) => f.p99)),
          cpu:
            all[0]?.workerdCpu === undefined
              ? undefined
              : all.reduce((s, f) => s + (f.workerdCpu ?? 0), 0) / all.length
        }
      }
      const [edge, node] = targets.map((target) => summary(target.name)) as [
        ReturnType<typeof summary>,
        ReturnType<typeof summary>
      ]
      for (const [target, f] of [
        [targets[0].name, edge],
        [targets[1].name, node]
      ] as const)
        console.log(
          `    ${endpoint.name.padEnd(6)} ${target.padEnd(34)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms` +
            (f.cpu === undefined
              ? ""
              : `  (workerd CPU ${(f.cpu * 1000).toFixed(2)} ms/request, upper bound)`)
        )
      console.log(
        `    ${endpoint.name.padEnd(6)} wrangler dev / certory serve: ${(edge.rps / node.rps).toFixed(2)}`
      )
    }
  } finally {
    for (const child of children) await stop(child)
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
