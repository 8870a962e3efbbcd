/**
 * The inventory commands end to end: the real binary through tsx, each test on its own SQLite file,
 * with the real sample certificates (apps/cli/samples, copied from the shared corpus) checked against
 * Node's own X.509 parser. The samples' dates make validity unambiguous: the smart card certificates
 * expired in 2017 and 2025, the IdP certificate is valid from 2013 to 2038.
 */
import { spawn } from "node:child_process"
import { X509Certificate } from "node:crypto"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const sample = (name: string) => fileURLToPath(new URL(`../samples/${name}`, import.meta.url))

const USER = sample("smartcard-ad-user.der") // expired 2017, template OID only
const DC = sample("smartcard-ad-dc.pem") // expired 2025, template "DomainController"
const IDP = sample("idp-signing.pem") // valid 2013..2038

const SMART_CARD = "smartcard:5badfea3-de31-4837-99f9-8249515a5473"
const IDP_OWNER = "idp:d-66f1a2b3b80/idp-azure"

const tempDb = () => join(mkdtempSync(join(tmpdir(), "certory-cli-")), "certory.sqlite")

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI asynchronously, so independent tests spawn side by side. */
const certory = (args: ReadonlyArray<string>, input?: Uint8Array): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", bin, ...args], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { ...process.env, CERTORY_PRINCIPAL: "test-admin" }
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
    child.stdin.end(input)
  })

const x509 = (path: string) => new X509Certificate(readFileSync(path))
const sha1 = (path: string) => x509(path).fingerprint.replaceAll(":", "")

/** One line, no stack trace. */
const expectOneLine = (stderr: string) => {
  expect(stderr.trim().split("\n")).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /)
}

interface JsonOwnerCertificate {
  binding: { certificateId: string; owner: string; boundBy: string; boundAt: string; use: string }
  certificate: { sha1: string; notAfter: string; serial: { decimal: string }; der: string }
}
interface JsonPage {
  items: Array<JsonOwnerCertificate>
  total: number
  nextCursor?: string
}

const ids = (page: JsonPage) => page.items.map((item) => item.binding.certificateId).sort()

describe("certory inventory", { timeout: 300_000 }, () => {
  it("eight concurrent `import --create-owner` runs on one new file all succeed, and bind once", async () => {
    // Creating the owner was "get, else create": all but one concurrent run failed with "already exists"
    // (and, on a brand-new file, some with "no such table" while another run migrated it).
    const db = tempDb()
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => certory(["import", SMART_CARD, IDP, "--create-owner", "--db", db]))
    )
    for (const run of runs) expect(run.stderr).toBe("")
    expect(runs.map((run) => run.status)).toEqual(Array(8).fill(0))
    const listed = await certory(["list", SMART_CARD, "--json", "--db", db])
    expect((JSON.parse(listed.stdout) as JsonPage).total).toBe(1)
    expect(runs.filter((run) => run.stdout.includes(": created ")).length).toBe(1)
  })

  it("demo runs twice: the second run reuses the owners and reports already bound, with the same ids", async () => {
    const db = tempDb()
    const first = await certory(["demo", "--db", db])
    expect(first.stderr).toBe("")
    expect(first.status).toBe(0)
    expect(first.stdout).toContain(`created ${SMART_CARD}`)
    expect(first.stdout).toContain(`created ${IDP_OWNER}`)
    const created = [
      ...first.stdout.matchAll(
        /: created ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) SHA-1 ([0-9A-F]{40})/g
      )
    ]
    expect(created.map((m) => m[2]).sort()).toEqual([sha1(USER), sha1(DC), sha1(IDP)].sort())
    const idOf = (path: string) => created.find((m) => m[2] === sha1(path))![1]!

    const [second, owners] = await Promise.all([
      certory(["demo", "--db", db]),
      certory(["owners", "list", "--json", "--db", db])
    ])
    expect(second.stderr).toBe("")
    expect(second.status).toBe(0)
    expect(second.stdout).toContain(`reusing ${SMART_CARD}`)
    expect(second.stdout).not.toMatch(/: created /)
    const bound = [
      ...second.stdout.matchAll(
        /: already bound ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) SHA-1/g
      )
    ]
    expect(bound.map((m) => m[1]).sort()).toEqual(created.map((m) => m[1]).sort())
    // Both runs print the same two listings (ids, subjects, status) and the expiring report.
    const listings = (stdout: string) => stdout.slice(stdout.indexOf(`\n${SMART_CARD}\n`))
    expect(listings(second.stdout)).toBe(listings(first.stdout))
    const table = listings(second.stdout)
    expect(table).toMatch(
      /^CERTIFICATE ID\s+SUBJECT\s+NOT AFTER\s+DAYS LEFT\s+STATUS\s+KEY HISTORY\s+ARCHIVED\s+TEMPLATE\s+SHA-1$/m
    )
    expect(table).toMatch(
      new RegExp(
        `${idOf(DC)}\\s+CN=SRV-ADDS01\\S+\\s+2025-04-19\\s+-\\d+\\s+expired\\s+no\\s+no\\s+DomainController\\s+${sha1(DC)}`
      )
    )
    expect(table).toMatch(
      new RegExp(`${idOf(IDP)}.*2038-01-15\\s+\\d+\\s+valid\\s+no\\s+no\\s+-\\s+${sha1(IDP)}`)
    )
    expect(table).toContain("2 of 2 certificates")
    expect(table).toContain("1 of 1 certificates")

    const page = JSON.parse(owners.stdout) as { items: Array<Record<string, unknown>>; total: number }
    // By canonical key: "identity-store:" sorts before "idp:".
    expect(page.items.map((owner) => owner.ref)).toEqual([
      "identity-store:d-66f1a2b3b80",
      IDP_OWNER,
      SMART_CARD
    ])
    expect(page.items[1]).toMatchObject({
      displayName: "Azure AD (demo)",
      enabled: true,
      createdBy: "test-admin"
    })
  })

  it("imports, lists with filters and pages, finds by any spelling, reports expiry and unbinds", async () => {
    const db = tempDb()
    const imported = await certory(
      [
        "import",
        SMART_CARD,
        USER,
        DC,
        "-",
        "--create-owner",
        "--use",
        "authentication",
        "--json",
        "--db",
        db
      ],
      // Standard input holds the IdP certificate twice: the second is a duplicate in the input.
      Buffer.concat([readFileSync(IDP), readFileSync(IDP)])
    )
    expect(imported.stderr).toBe("")
    expect(imported.status).toBe(0)
    const report = JSON.parse(imported.stdout) as Array<
      { input: string; outcome: string } & JsonOwnerCertificate
    >
    expect(report.map((r) => [r.input, r.outcome, r.certificate.sha1])).toEqual([
      [USER, "created", sha1(USER)],
      [DC, "created", sha1(DC)],
      ["<stdin>", "created", sha1(IDP)],
      ["<stdin>", "duplicateInInput", sha1(IDP)]
    ])
    expect(report[3]?.binding.certificateId).toBe(report[2]?.binding.certificateId)
    expect(report[0]?.binding).toMatchObject({
      owner: SMART_CARD,
      boundBy: "test-admin",
      use: "authentication"
    })
    const idOf = (path: string) =>
      report.find((r) => r.certificate.sha1 === sha1(path))!.binding.certificateId

    const [expired, valid, bySha1, bySerial, expiring] = await Promise.all([
      certory([
        "list",
        SMART_CARD,
        "--validity",
        "expired",
        "--sort",
        "notAfter",
        "--desc",
        "--limit",
        "1",
        "--json",
        "--db",
        db
      ]),
      certory(["list", SMART_CARD, "--validity", "valid", "--json", "--db", db]),
      certory(["find", x509(DC).fingerprint.toLowerCase(), "--json", "--db", db]),
      certory(["find", BigInt(`0x${x509(USER).serialNumber}`).toString(10), "--db", db]),
      certory(["expiring", "--within", "36500 days", "--json", "--db", db])
    ])
    for (const run of [expired, valid, bySha1, bySerial, expiring]) expect(run.stderr).toBe("")
    for (const run of [expired, valid, bySha1, bySerial]) expect(run.status).toBe(0)
    // Something expires within the window: exit 2, for cron and monitoring.
    expect(expiring.status).toBe(2)
    // Both smart card certificates are expired; newest first, one per page, a cursor for the next.
    const expiredPage = JSON.parse(expired.stdout) as JsonPage
    expect(expiredPage.total).toBe(2)
    expect(ids(expiredPage)).toEqual([idOf(DC)])
    expect(expiredPage.nextCursor).toEqual(expect.any(String))
    const item = expiredPage.items[0]!
    expect(item.certificate.notAfter).toBe(new Date(x509(DC).validTo).toISOString())
    expect(item.binding.boundAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(item.certificate.serial.decimal).toBe(BigInt(`0x${x509(DC).serialNumber}`).toString(10))
    expect(new Uint8Array(Buffer.from(item.certificate.der, "base64"))).toEqual(new Uint8Array(x509(DC).raw))
    expect(ids(JSON.parse(valid.stdout) as JsonPage)).toEqual([idOf(IDP)])

    const found = JSON.parse(bySha1.stdout) as Array<{
      matchedBy: string
      certificate: { sha1: string }
      bindings: Array<{ owner: string; certificateId: string }>
    }>
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ matchedBy: "sha1", certificate: { sha1: sha1(DC) } })
    expect(found[0]?.bindings).toEqual([
      expect.objectContaining({ owner: SMART_CARD, certificateId: idOf(DC) })
    ])
    expect(bySerial.stdout).toContain("matched by serial")
    expect(bySerial.stdout).toContain(sha1(USER))
    expect(bySerial.stdout).toMatch(new RegExp(`${SMART_CARD}\\s+${idOf(USER)}`))

    // Only the certificate valid now is expiring (within 100 years); expired ones are not.
    expect(ids(JSON.parse(expiring.stdout) as JsonPage)).toEqual([idOf(IDP)])

    const unbound = await certory(["unbind", SMART_CARD, idOf(USER), "--yes", "--db", db])
    expect(unbound.stderr).toBe("")
    expect(unbound.status).toBe(0)
    expect(unbound.stdout).toBe(`unbound ${idOf(USER)} from ${SMART_CARD}\n`)
    const [after, again] = await Promise.all([
      certory(["list", SMART_CARD, "--validity", "expired", "--json", "--db", db]),
      certory(["unbind", SMART_CARD, idOf(USER), "--yes", "--db", db])
    ])
    expect(ids(JSON.parse(after.stdout) as JsonPage)).toEqual([idOf(DC)])
    expect(again.status).toBe(1)
    expect(again.stderr).toBe(`certory unbind: owner ${SMART_CARD} has no certificate ${idOf(USER)}\n`)
  })

  it("errors are one line and exit 1: unknown owner, invalid owner text, not a certificate, IdP without store", async () => {
    const db = tempDb()
    expect((await certory(["migrate", "--db", db])).status).toBe(0)
    const [unknown, invalid] = await Promise.all([
      certory(["list", "profile:00000000-0000-0000-0000-000000000001", "--db", db]),
      certory(["list", "smartcard:not-a-guid", "--db", db])
    ])
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toBe(
      "certory list: owner profile:00000000-0000-0000-0000-000000000001 does not exist\n"
    )
    expect([1, 2]).toContain(invalid.status)
    expect(invalid.stderr).toContain("the id is not a GUID")
    expectOneLine(invalid.stderr)

    const [notCertificate, orphan] = await Promise.all([
      certory(["import", SMART_CARD, "--create-owner", sample("README.md"), "--db", db]),
      certory([
        "owners",
        "add",
        IDP_OWNER,
        "--name",
        "Azure AD",
        "--metadata-url",
        "https://idp.example/m",
        "--db",
        db
      ])
    ])
    expect(notCertificate.status).toBe(1)
    expect(notCertificate.stderr).toMatch(
      new RegExp(
        `^certory import: .*README\\.md: .*\\(nothing imported from it\\)\ncertory import: nothing to import: ${SMART_CARD} was not created\n$`
      )
    )
    expect(orphan.status).toBe(1)
    expect(orphan.stderr).toBe("certory owners add: owner identity-store:d-66f1a2b3b80 does not exist\n")

    // All or nothing: the owner was not created, since nothing could be imported into it.
    const listed = await certory(["list", SMART_CARD, "--json", "--db", db])
    expect(listed.status).toBe(1)
    expect(listed.stderr).toBe(`certory list: owner ${SMART_CARD} does not exist\n`)
    expect((await certory(["owners", "list", "--db", db])).stdout).toBe("no owners\n")
  })
})
