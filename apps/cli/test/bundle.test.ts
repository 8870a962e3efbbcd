/**
 * The bundled executable (bin/certory.mjs over dist/certory.mjs): runs the bundle, rebuilds it when a
 * source it was built from is newer, and, started as `pnpm certory`, resolves relative paths from the
 * caller's directory (INIT_CWD) rather than the package's.
 */
import { spawn } from "node:child_process"
import { readFileSync, statSync, utimesSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { type Run, SMART_CARD, tempDir } from "./support.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const launcher = join(root, "bin", "certory.mjs")
const bundle = join(root, "dist", "certory.mjs")

const run = (
  args: ReadonlyArray<string>,
  options: { cwd: string; env?: Record<string, string> }
): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr }))
    child.stdin.end()
  })

describe("the bundled certory", { timeout: 300_000 }, () => {
  it("rebuilds a stale bundle, then runs it; relative paths resolve from INIT_CWD under pnpm", async () => {
    // Make one of the bundle's sources newer than the bundle (a no-op edit).
    const sources = JSON.parse(readFileSync(join(root, "dist", "inputs.json"), "utf8")) as Array<string>
    expect(sources).toContain("src/bin.ts")
    expect(sources.some((source) => source.startsWith("../../packages/domain/src/"))).toBe(true)
    const before = statSync(bundle).mtimeMs
    const later = new Date(Date.now() + 2_000)
    utimesSync(join(root, "src", "Report.ts"), later, later)
    const version = await run(["--version"], { cwd: tempDir() })
    expect(version.stderr).toBe("")
    expect(version.stdout.trim()).toBe("0.1.0")
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(before)

    // Started by `pnpm certory` in the repository root, called from samples/: `idp-signing.pem` is
    // samples/idp-signing.pem, and `certory.sqlite` lands in the caller's directory.
    const caller = tempDir()
    const inspect = await run(["inspect", "idp-signing.pem"], {
      cwd: join(root, "..", ".."),
      env: { npm_lifecycle_event: "certory", INIT_CWD: join(root, "samples") }
    })
    expect(inspect.stderr).toBe("")
    expect(inspect.stdout).toContain("CN=DigiCert Global Root G2")
    const created = await run(["owners", "add", SMART_CARD], {
      cwd: join(root, "..", ".."),
      env: { npm_lifecycle_event: "certory", INIT_CWD: caller, CERTORY_PRINCIPAL: "test-admin" }
    })
    expect(created.stdout).toBe(`created ${SMART_CARD}\n`)
    expect(statSync(join(caller, "certory.sqlite")).isFile()).toBe(true)
  })
})
