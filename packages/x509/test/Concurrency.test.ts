/**
 * No shared mutable state: concurrent calls must not see each other. The PEM block regex used to be
 * module state whose `lastIndex` survived an `await`, so 4 concurrent parses of 5- and 2-block PEMs
 * returned 9, 1, 2, 3 certificates instead of 5, 2, 5, 2. Here 200 different inputs (multi-block PEM
 * with text and other blocks between, PKCS#7 bundles in DER, BER and PEM, concatenated DER) are parsed
 * all at once and each result is compared with the same input parsed alone.
 */
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { bundle } from "../fuzz/Shapes.js"
import { type ParseOutcome, parseCertificates } from "../src/index.js"
import { derOf, fixture, text } from "./support.js"

const PEMS = [
  "bing.com.peer.3.pem",
  "bing.com.intermediate.1.pem",
  "ms-certificate-template.pem",
  "negative_serial.pem",
  "bad_validity.pem",
  "v1_explicit_version.pem",
  "utcNotZulu.pem",
  "metasploit_channel_binding_spec_peer_cert.pem",
  "failed_signature_algorithm.pem",
  "cacert.pem.012_Verisign_Class_3_Public_Primary_Certification_Authority_-_G3.pem"
]

/** A small deterministic generator, so every run builds the same 200 inputs. */
const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) >>> 0
  return seed / 2 ** 32
}

const inputs = (): Array<string | Uint8Array> => {
  const random = prng(6)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)]!
  const garbage = text("cryptography.io.with_garbage.pem")
  const key = garbage.slice(
    garbage.indexOf("-----BEGIN PRIVATE KEY-----"),
    garbage.indexOf("-----END PRIVATE KEY-----") + 25
  )
  const out: Array<string | Uint8Array> = []
  for (let i = 0; i < 200; i++) {
    const names = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(PEMS))
    switch (i % 4) {
      case 0: // multi-block PEM, text and a key block between
        out.push(names.map((n, j) => `${j % 2 === 1 ? `${key}\n` : ""}note ${j}\r\n${text(n)}`).join("\n"))
        break
      case 1: // DER bundle, sometimes BER
        out.push(bundle(names.map(derOf), { ber: random() < 0.5 }))
        break
      case 2: // PEM blocks around a PKCS#7 block
        out.push(
          `${text(names[0]!)}\n-----BEGIN PKCS7-----\n${Buffer.from(bundle(names.slice(1).map(derOf))).toString("base64")}\n-----END PKCS7-----\n${text(pick(PEMS))}`
        )
        break
      default: // concatenated DER
        out.push(Buffer.concat(names.map(derOf)))
    }
  }
  return out
}

/** What a result is, independent of object identity. */
const summary = (outcome: ParseOutcome) =>
  outcome._tag === "Parsed"
    ? {
        count: outcome.certificates.length,
        sha256: outcome.certificates.map((c) => c.sha256),
        origins: outcome.origins
      }
    : { error: outcome.error }

describe("concurrent parses share nothing", () => {
  it("200 different inputs parsed at once give exactly what each gives alone", async () => {
    const all = inputs()
    const alone = []
    for (const input of all) alone.push(summary(await parseCertificates(input)))
    // Every input holds at least one certificate and the counts differ, so a mix-up cannot go unseen.
    expect(alone.every((s) => "count" in s && s.count >= 1)).toBe(true)
    expect(new Set(alone.map((s) => ("count" in s ? s.count : 0))).size).toBeGreaterThan(4)
    const together = (await Promise.all(all.map((input) => parseCertificates(input)))).map(summary)
    expect(together).toEqual(alone)
  })

  it("the issue's reproduction: 5- and 2-block PEMs, four at once", async () => {
    const five = PEMS.slice(0, 5).map(text).join("\n")
    const two = PEMS.slice(5, 7).map(text).join("\n")
    const counts = await Promise.all(
      [five, two, five, two].map(async (pem) => {
        const outcome = await parseCertificates(pem)
        return outcome._tag === "Parsed" ? outcome.certificates.length : -1
      })
    )
    expect(counts).toEqual([5, 2, 5, 2])
  })
})

describe("no module state in the package", () => {
  // A static guard: module-level `let` / `var`, or a module-level regex with the g or y flag (its
  // lastIndex is state), would be shared by every concurrent call.
  const dir = fileURLToPath(new URL("../src/", import.meta.url))
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    it(file, () => {
      const source = readFileSync(`${dir}${file}`, "utf8")
      expect(source).not.toMatch(/^(?:export )?(?:let|var) /m)
      expect(source).not.toMatch(/^(?:export )?const \w+ = \/.*\/[a-z]*[gy][a-z]*\s*$/m)
    })
  }
  it("the fixtures used here are real files", () => {
    for (const name of PEMS) expect(fixture(name).length).toBeGreaterThan(0)
  })
})
