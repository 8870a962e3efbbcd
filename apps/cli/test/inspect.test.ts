/**
 * `certory inspect` end to end: the real binary through tsx, checked against Node's own X.509 parser,
 * and its extension lines against what `openssl x509 -noout -text` (OpenSSL 3.0) printed for the same
 * fixtures (`fixtures/*.openssl.txt`, see fixtures/README.md).
 */
import { spawnSync } from "node:child_process"
import { X509Certificate } from "node:crypto"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

const certory = (args: ReadonlyArray<string>, input?: Uint8Array) => {
  const result = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], {
    input,
    encoding: "utf8",
    cwd: fileURLToPath(new URL("..", import.meta.url))
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** The PEM blocks of a file, as Node sees them. */
const nodeCertificates = (path: string): Array<X509Certificate> => {
  const text = readFileSync(path, "latin1")
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
  return blocks === null
    ? [new X509Certificate(readFileSync(path))]
    : blocks.map((b) => new X509Certificate(b))
}

const hex = (fingerprint: string) => fingerprint.replaceAll(":", "")

describe("certory inspect", { timeout: 30_000 }, () => {
  it("prints one JSON object per certificate, in input order, for all inputs", () => {
    const inputs = [fixture("chain.pem"), fixture("ms-template-user.der")]
    const { status, stdout, stderr } = certory(["inspect", "--json", ...inputs])
    expect(stderr).toBe("")
    expect(status).toBe(0)
    const report = JSON.parse(stdout) as Array<Record<string, unknown>>
    const expected = inputs.flatMap((input) => nodeCertificates(input).map((cert) => ({ input, cert })))
    expect(report).toHaveLength(expected.length)
    expected.forEach(({ input, cert }, i) => {
      const entry = report[i]!
      expect(entry.input).toBe(input)
      expect(entry.sha1).toBe(hex(cert.fingerprint))
      expect(entry.sha256).toBe(hex(cert.fingerprint256))
      expect((entry.serial as { hex: string }).hex).toBe(cert.serialNumber.replace(/^0+(?=.)/, ""))
      expect(entry.notAfter).toBe(new Date(cert.validTo).toISOString())
    })
  })

  it("reads standard input with -", () => {
    const der = readFileSync(fixture("ms-template-user.der"))
    const { status, stdout } = certory(["inspect", "--json", "-"], der)
    expect(status).toBe(0)
    const [entry] = JSON.parse(stdout) as Array<{ input: string; sha1: string }>
    expect(entry?.input).toBe("<stdin>")
    expect(entry?.sha1).toBe(hex(new X509Certificate(der).fingerprint))
  })

  it("prints a readable summary with the template by default", () => {
    const { status, stdout } = certory(["inspect", fixture("ms-certificate-template.pem")])
    expect(status).toBe(0)
    const cert = nodeCertificates(fixture("ms-certificate-template.pem"))[0]!
    expect(stdout).toContain(`SHA-1:`)
    expect(stdout).toContain(hex(cert.fingerprint))
    expect(stdout).toMatch(/Template:\s+\S+/)
  })

  it("exits 1 naming each failed input, and still reports the others", () => {
    const { status, stdout, stderr } = certory([
      "inspect",
      "--json",
      fixture("chain.pem"),
      fixture("does-not-exist.pem"),
      bin
    ])
    expect(status).toBe(1)
    // Why, in one line and in the words of `cat`, not the platform's error text.
    expect(stderr).toContain(
      `certory inspect: ${fixture("does-not-exist.pem")}: cannot read: no such file or directory\n`
    )
    expect(stderr).toContain(bin)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(JSON.parse(stdout)).toHaveLength(nodeCertificates(fixture("chain.pem")).length)
  })

  it("names EKUs and access methods as openssl does, lists CRL / AIA URLs and marks critical extensions", () => {
    for (const [file, oracle] of [
      ["ms-template-user.der", "ms-template-user.openssl.txt"],
      ["chain.pem", "chain.openssl.txt"]
    ] as const) {
      const { status, stdout, stderr } = certory(["inspect", fixture(file)])
      expect(stderr).toBe("")
      expect(status).toBe(0)
      const expected = opensslExtensions(readFileSync(fixture(oracle), "utf8"))
      // The first certificate of the file is the one openssl printed.
      const first = stdout.split("\n\n")[0]!
      const row = (label: string) => new RegExp(`^  ${label}:\\s+(.*)$`, "m").exec(first)?.[1]
      const eku = expected.get("X509v3 Extended Key Usage")!
      expect(row("Extended key usage")).toBe(eku.critical ? `${eku.body[0]} (critical)` : eku.body[0])
      const ku = expected.get("X509v3 Key Usage")!
      expect(row("Key usage")?.endsWith(" (critical)")).toBe(ku.critical)
      const crl = expected.get("X509v3 CRL Distribution Points")!
      expect(row("CRL distribution")).toBe(
        crl.body
          .filter((line) => line.startsWith("URI:"))
          .map((line) => `uri:${line.slice(4)}`)
          .join(", ")
      )
      const aia = expected.get("Authority Information Access")!
      expect(row("Authority info")).toBe(
        aia.body.map((line) => line.replace(" - URI:", " - uri:")).join(", ")
      )
      // Every extension, in certificate order, under openssl's heading, critical ones marked.
      expect(row("Extensions")).toBe(
        [...expected].map(([name, { critical }]) => (critical ? `${name} (critical)` : name)).join(", ")
      )
    }
  })

  it("prints the good blocks of a file when another block is bad, and names the bad one", () => {
    const pem = readFileSync(fixture("chain.pem"), "latin1")
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    // Block 2: the first certificate cut short (its DER ends inside the TBSCertificate).
    const der = new X509Certificate(blocks[0]!).raw
    const truncated = `-----BEGIN CERTIFICATE-----\n${der.subarray(0, 200).toString("base64")}\n-----END CERTIFICATE-----`
    const dir = mkdtempSync(join(tmpdir(), "certory-inspect-"))
    const mixed = join(dir, "mixed.pem")
    writeFileSync(mixed, [blocks[0], truncated, blocks[1]].join("\n"))

    const text = certory(["inspect", mixed])
    expect(text.status).toBe(1)
    expect(text.stderr).toMatch(new RegExp(`^certory inspect: ${mixed}: block 2: [^\n]+\n$`))
    expect(text.stdout).toContain(`${mixed} #1 (block 1)`)
    expect(text.stdout).toContain(`${mixed} #2 (block 3)`)

    const json = certory(["inspect", "--json", mixed])
    expect(json.status).toBe(1)
    const report = JSON.parse(json.stdout) as Array<{ sha1: string; where: string }>
    expect(report.map((entry) => [entry.where, entry.sha1])).toEqual([
      ["block 1", hex(new X509Certificate(blocks[0]!).fingerprint)],
      ["block 3", hex(new X509Certificate(blocks[1]!).fingerprint)]
    ])
  })
})

/** openssl's extension headings (with criticality) and the lines under each, from `x509 -text`. */
const opensslExtensions = (text: string) => {
  const section = text.slice(
    text.indexOf("X509v3 extensions:"),
    text.indexOf("Signature Algorithm:", text.indexOf("X509v3 extensions:"))
  )
  const map = new Map<string, { critical: boolean; body: Array<string> }>()
  let current: { critical: boolean; body: Array<string> } | undefined
  for (const line of section.split("\n").slice(1)) {
    const heading = /^ {12}(\S.*?):( critical)?\s*$/.exec(line)
    if (heading !== null) {
      current = { critical: heading[2] !== undefined, body: [] }
      map.set(heading[1]!, current)
    } else if (current !== undefined && line.trim() !== "" && line.trim() !== "Full Name:")
      current.body.push(line.trim())
  }
  return map
}
