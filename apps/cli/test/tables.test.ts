/**
 * Tables: fitted to COLUMNS (the shrinkable columns first, then lines cut at the width), whole values with
 * `--format wide` and on a pipe without COLUMNS, the key history / archived / days-left columns, and no
 * colour codes on a pipe or with NO_COLOR (expired rows are red on a terminal); `templates list` and
 * `tokens list` fitted the same way. SQLite.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import * as Report from "../src/Report.js"
import { certory, cliArgv, cliEnv, DC, IDP, IDP_OWNER, SMART_CARD, tempDir, USER } from "./support.js"

const MANY_NAMES = fileURLToPath(
  new URL("../../../packages/testing/fixtures/many-names.pem", import.meta.url)
)
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes is the point.
const ESC = /\u001b/
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const COLOUR = /\u001b\[[0-9;]*m/g

const lines = (stdout: string) => stdout.replace(/\n$/, "").split("\n")

describe("tables", { timeout: 600_000 }, () => {
  it("fit COLUMNS, show everything with --format wide or on a pipe, and carry no colour on a pipe", async () => {
    const db = ["--db", join(tempDir(), "certory.sqlite")]
    const setup = [
      ["import", SMART_CARD, USER, DC, "--create-owner", ...db],
      ["import", SMART_CARD, IDP, "--key-history", "--archived-on-ca", ...db],
      ["import", SMART_CARD, MANY_NAMES, ...db]
    ]
    for (const args of setup) {
      const run = await certory(args)
      expect(run.stderr).toBe("")
      expect(run.status).toBe(0)
    }
    const [narrow, medium, wide, piped, expiring] = await Promise.all([
      certory(["list", SMART_CARD, ...db], { env: { COLUMNS: "80" } }),
      certory(["list", SMART_CARD, ...db], { env: { COLUMNS: "220" } }),
      certory(["list", SMART_CARD, "--format", "wide", ...db], { env: { COLUMNS: "80" } }),
      certory(["list", SMART_CARD, ...db]),
      certory(["expiring", "--within", "36500d", ...db], { env: { COLUMNS: "100" } })
    ])
    for (const run of [narrow, medium, wide, piped]) expect(run.status).toBe(0)
    expect(expiring.status).toBe(2)
    for (const run of [narrow, medium, wide, piped, expiring]) expect(run.stdout).not.toMatch(ESC)

    // COLUMNS=80: no line is longer; the many-names subject (~23,500 characters) is cut with "…".
    for (const line of lines(narrow.stdout)) expect(line.length).toBeLessThanOrEqual(80)
    expect(narrow.stdout).toContain("…")
    for (const line of lines(expiring.stdout)) expect(line.length).toBeLessThanOrEqual(100)

    // COLUMNS=220: every column fits once the subject gave way; ids and hashes whole.
    const header = lines(medium.stdout)[0]!
    expect(header).toMatch(
      /^CERTIFICATE ID\s+SUBJECT\s+NOT AFTER\s+DAYS LEFT\s+STATUS\s+KEY HISTORY\s+ARCHIVED\s+TEMPLATE\s+SHA-1$/
    )
    for (const line of lines(medium.stdout)) expect(line.length).toBeLessThanOrEqual(220)
    const idpRow = lines(medium.stdout).find((line) => line.includes("DigiCert"))!
    expect(idpRow).toMatch(/\s2038-01-15\s+\d+\s+valid\s+yes\s+yes\s+-\s+[0-9A-F]{40}$/)
    const dcRow = lines(medium.stdout).find((line) => line.includes("SRV-ADDS01"))!
    expect(dcRow).toMatch(/\s2025-04-19\s+-\d+\s+expired\s+no\s+no\s+DomainController\s+[0-9A-F]{40}$/)

    // --format wide (COLUMNS ignored) and a pipe without COLUMNS: the whole subject, the full instant.
    const subject = (stdout: string) =>
      lines(stdout).some((line) => line.length > 23_000 && line.includes("emailAddress=t1@test"))
    expect(subject(wide.stdout)).toBe(true)
    expect(wide.stdout).toContain("2038-01-15T12:00:00.000Z")
    expect(subject(piped.stdout)).toBe(true)

    // On a terminal (script(1) gives the CLI a pseudo-terminal): expired rows red, unless NO_COLOR.
    const onTerminal = (env: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        const line = cliArgv(["list", SMART_CARD, ...db]).join(" ")
        const child = spawn("script", ["-qec", line, "/dev/null"], {
          env: cliEnv({ COLUMNS: "100", NO_COLOR: undefined, ...env })
        })
        let out = ""
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          out += chunk
        })
        child.on("error", reject)
        child.on("close", () => resolve(out))
        child.stdin.end()
      })
    const coloured = await onTerminal({})
    const dcLine = coloured.split(/\r?\n/).find((line) => line.includes("SRV-ADDS"))!
    expect(dcLine.startsWith("\u001b[31m")).toBe(true)
    const idpLine = coloured.split(/\r?\n/).find((line) => line.includes("DigiCert"))!
    expect(idpLine).not.toMatch(ESC)
    for (const line of coloured.split(/\r?\n/))
      expect(line.replace(COLOUR, "").length).toBeLessThanOrEqual(100)
    expect(await onTerminal({ NO_COLOR: "1" })).not.toMatch(ESC)
  })

  it("templates list and tokens list fit COLUMNS too: names and grants give way, OIDs and ids stay whole", async () => {
    const db = ["--db", join(tempDir(), "certory.sqlite")]
    const OID = "1.3.6.1.4.1.311.21.8.1234567.7654321.1.2"
    const templateName = `Smartcard Logon ${"for the finance department ".repeat(6)}`.trim()
    const tokenName = `monitoring ${"of the finance department ".repeat(4)}`.slice(0, 128)
    const setup = [
      ["migrate", ...db],
      ["templates", "add", OID, templateName, ...db],
      ["templates", "add", "1.3.6.1.4.1.311.21.8.1.2", "SmartcardLogon", ...db],
      [
        "tokens",
        "create",
        "--name",
        tokenName,
        "--role",
        "reader",
        "--owner",
        SMART_CARD,
        "--owner",
        IDP_OWNER,
        ...db
      ]
    ]
    for (const args of setup) {
      const run = await certory(args)
      expect(run.stderr).toBe("")
      expect(run.status).toBe(0)
    }
    const narrow = { env: { COLUMNS: "60" } }
    const [
      templates,
      tokens,
      templatesPiped,
      tokensPiped,
      templatesJson,
      tokensJson,
      templatesJsonNarrow,
      tokensJsonNarrow
    ] = await Promise.all([
      certory(["templates", "list", ...db], narrow),
      certory(["tokens", "list", ...db], narrow),
      certory(["templates", "list", ...db]),
      certory(["tokens", "list", ...db]),
      certory(["templates", "list", "--json", ...db]),
      certory(["tokens", "list", "--json", ...db]),
      certory(["templates", "list", "--json", ...db], narrow),
      certory(["tokens", "list", "--json", ...db], narrow)
    ])
    for (const run of [templates, tokens, templatesPiped, tokensPiped, templatesJson, tokensJson]) {
      expect(run.stderr).toBe("")
      expect(run.status).toBe(0)
    }
    const [token] = JSON.parse(tokensJson.stdout) as Array<{ id: string; name: string }>
    expect(token?.name).toBe(tokenName)

    // COLUMNS=60: no line is longer; the long names are cut with "…", the OIDs and the token id whole.
    for (const run of [templates, tokens])
      for (const line of lines(run.stdout)) expect(line.length).toBeLessThanOrEqual(60)
    expect(lines(templates.stdout)[0]).toMatch(/^OID\s+NAME\s+UPD/)
    const longTemplate = lines(templates.stdout).find((line) => line.startsWith(`${OID} `))!
    expect(longTemplate).toMatch(/^\S+\s+Smartcard L[^…]*…\s+20/)
    expect(longTemplate).not.toContain(templateName)
    expect(
      lines(templates.stdout).some((line) => /^1\.3\.6\.1\.4\.1\.311\.21\.8\.1\.2\s+Smartcard/.test(line))
    ).toBe(true)
    expect(lines(tokens.stdout)[0]).toMatch(/^TOKEN ID\s+NAME\s+GRANT\b/)
    const tokenRow = lines(tokens.stdout)[1]!
    expect(tokenRow).toMatch(new RegExp(`^${token!.id}\\s+monitoring[^…]*…\\s+reader[^…]*…$`))

    // A pipe without COLUMNS: every value whole.
    expect(templatesPiped.stdout).toContain(`${OID}  ${templateName}  `)
    expect(tokensPiped.stdout).toContain(
      `${token!.id}  ${tokenName}  reader of ${SMART_CARD}, ${IDP_OWNER}  active  `
    )
    // Instants whole on a pipe; to the minute when fitted to a width.
    expect(lines(tokensPiped.stdout)[1]).toMatch(/\s\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    for (const run of [templatesPiped, tokensPiped]) expect(run.stdout).not.toContain("…")

    // --json: the same whatever COLUMNS says, every value whole.
    expect(templatesJsonNarrow.stdout).toBe(templatesJson.stdout)
    expect(tokensJsonNarrow.stdout).toBe(tokensJson.stdout)
    expect(JSON.parse(templatesJson.stdout)).toContainEqual(
      expect.objectContaining({ oid: OID, name: templateName })
    )
  })

  it("rows are toned expired / expiring (the codes Output.ts keeps only on a terminal without NO_COLOR)", () => {
    const text = Report.table(
      ["A", "B"],
      [
        ["gone", "x"],
        ["soon", "y"],
        ["fine", "z"]
      ],
      { tones: ["expired", "expiring", undefined] }
    )
    const [, gone, soon, fine] = text.split("\n")
    expect(gone).toBe("\u001b[31mgone  x\u001b[0m")
    expect(soon).toBe("\u001b[33msoon  y\u001b[0m")
    expect(fine).toBe("fine  z")
    expect(
      Report.table(["NAME", "ID"], [["a".repeat(50), "0123456789"]], { width: 30, shrink: ["NAME"] })
    ).toBe(`NAME${" ".repeat(14)}  ID\n${"a".repeat(17)}…  0123456789`)
  })
})
