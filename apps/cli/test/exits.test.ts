/**
 * Exit codes and command-line checks for scripts and monitoring: `expiring` exits 2 when anything
 * expires within the window and 0 when nothing does; `find` without a match exits 1; an unknown option is
 * a usage error naming it before anything runs; durations are one parser (bad ones exit 1); a closed
 * stdout ends the process quietly; `import --create-owner` is all or nothing.
 */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { bin, certory, IDP, oneLine, SMART_CARD, sample, tempDir, USER } from "./support.js"

describe("certory exit codes", { timeout: 300_000 }, () => {
  it("expiring: 2 when something expires within the window (JSON or table), 0 when nothing does", async () => {
    const db = join(tempDir(), "certory.sqlite")
    // The IdP certificate is valid until 2038; the smart card one expired in 2017.
    expect((await certory(["import", SMART_CARD, IDP, USER, "--create-owner", "--db", db])).status).toBe(0)
    const [soon, json, none, iso] = await Promise.all([
      certory(["expiring", "--within", "36500d", "--db", db]),
      certory(["expiring", "--within", "36500 days", "--json", "--db", db]),
      certory(["expiring", "--within", "1d", "--db", db]),
      certory(["expiring", "--within", "P36500D", "--limit", "1", "--db", db])
    ])
    expect(soon.status).toBe(2)
    expect(soon.stdout).toContain("CN=DigiCert Global Root G2")
    expect(json.status).toBe(2)
    expect((JSON.parse(json.stdout) as { total: number }).total).toBe(1)
    expect(iso.status).toBe(2)
    expect(none.status).toBe(0)
    expect(none.stdout).toBe("no certificate expires within 1d\n")
    for (const run of [soon, json, none, iso]) expect(run.stderr).toBe("")
  })

  it("durations: bad, negative and zero windows exit 1 with one line", async () => {
    const runs = await Promise.all(
      ["-5 days", "0d", "P0D", "30x", "soon", "36501d"].map((within) =>
        certory(["expiring", "--within", within, "--store", "memory:"])
      )
    )
    for (const run of runs) {
      expect(run.status).toBe(1)
      expect(oneLine(run.stderr)).toBe(true)
      expect(run.stderr).toMatch(/invalid --within: /)
    }
    expect(runs[0]?.stderr).toContain("a duration has no sign")
    expect(runs[1]?.stderr).toContain("more than zero")
  })

  it("find: a match exits 0, no match exits 1 with the message on stderr", async () => {
    const db = join(tempDir(), "certory.sqlite")
    expect((await certory(["import", SMART_CARD, IDP, "--create-owner", "--db", db])).status).toBe(0)
    const [hit, miss, missJson] = await Promise.all([
      certory(["find", "DF3C24F9BFD666761B268073FE06D1CC8D4F82A4", "--db", db]),
      certory(["find", "0011223344556677889900112233445566778899", "--db", db]),
      certory(["find", "0011223344556677889900112233445566778899", "--json", "--db", db])
    ])
    expect(hit.status).toBe(0)
    expect(hit.stdout).toContain(SMART_CARD)
    for (const run of [miss, missJson]) {
      expect(run.status).toBe(1)
      expect(run.stdout).toBe("")
      expect(run.stderr).toBe(
        "certory find: no owner holds a certificate matching 0011223344556677889900112233445566778899\n"
      )
    }
  })

  it("an unknown option is a usage error naming it, before anything runs", async () => {
    const dir = tempDir()
    const db = join(dir, "certory.sqlite")
    const [typo, far, nested, afterDash] = await Promise.all([
      certory(["import", SMART_CARD, "--keyhistory", IDP, "--create-owner", "--db", db]),
      certory(["list", SMART_CARD, "--frobnicate", "--db", db]),
      certory(["owners", "add", SMART_CARD, "--nmae=x", "--db", db]),
      certory(["inspect", "--", "--not-an-option"])
    ])
    expect(typo.stderr).toBe(
      "certory import: unknown option --keyhistory (did you mean --key-history?); see certory import --help\n"
    )
    expect(far.stderr).toBe("certory list: unknown option --frobnicate; see certory list --help\n")
    expect(nested.stderr).toBe(
      "certory owners add: unknown option --nmae (did you mean --name?); see certory owners add --help\n"
    )
    for (const run of [typo, far, nested]) {
      expect(run.status).toBe(1)
      expect(run.stdout).toBe("")
    }
    // Nothing ran: no store was created.
    expect(existsSync(db)).toBe(false)
    // After `--` it is an argument (here a file that does not exist).
    expect(afterDash.status).toBe(1)
    expect(afterDash.stderr).toBe(
      "certory inspect: --not-an-option: cannot read: no such file or directory\n"
    )
  })

  it("a closed stdout (| head) ends the process quietly", async () => {
    // 400 copies of a certificate: far more than a pipe holds, so writes fail with EPIPE.
    const args = ["--import", "tsx", bin, "inspect", ...Array(400).fill(IDP)]
    const result = await new Promise<{ stderr: string; code: number | null }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: join(bin, "..", "..") })
      let stderr = ""
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk
      })
      // Like `head -c 1`: read once, then close the pipe.
      child.stdout.once("data", () => child.stdout.destroy())
      child.on("error", reject)
      child.on("close", (code) => resolve({ stderr, code }))
    })
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
  })

  it("import --create-owner is all or nothing: no certificate, no owner", async () => {
    const db = join(tempDir(), "certory.sqlite")
    const failed = await certory(["import", SMART_CARD, sample("README.md"), "--create-owner", "--db", db])
    expect(failed.status).toBe(1)
    expect(failed.stderr).toContain(`nothing to import: ${SMART_CARD} was not created`)
    expect((await certory(["owners", "list", "--db", db])).stdout).toBe("no owners\n")
    // A good input beside a bad one: the good one is imported, the bad one named, exit 1.
    const mixed = await certory([
      "import",
      SMART_CARD,
      sample("README.md"),
      IDP,
      "--create-owner",
      "--db",
      db
    ])
    expect(mixed.status).toBe(1)
    expect(mixed.stdout).toMatch(/idp-signing\.pem #1: created /)
    expect(mixed.stderr).toMatch(/README\.md: .*\(nothing imported from it\)\n$/)
    expect(oneLine(mixed.stderr)).toBe(true)
  })
})
