/**
 * `certory inspect` end to end: the real binary through tsx, checked against Node's own X.509 parser.
 */
import { spawnSync } from "node:child_process"
import { X509Certificate } from "node:crypto"
import { readFileSync } from "node:fs"
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
    expect(stderr).toContain("does-not-exist.pem")
    expect(stderr).toContain(bin)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(JSON.parse(stdout)).toHaveLength(nodeCertificates(fixture("chain.pem")).length)
  })
})
