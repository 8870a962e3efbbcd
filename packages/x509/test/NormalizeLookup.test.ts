/**
 * normalizeLookup: every spelling of a fingerprint or serial maps to the canonical value the facts
 * carry (`sha1`, `sha256`, `serial.hex`), with ambiguous input giving every reading, likeliest first.
 */
import { describe, expect, it } from "vitest"
import { type LookupOutcome, normalizeLookup } from "../src/index.js"

// bing.com.peer.3.pem, from the OpenSSL oracle.
const SHA1 = "08636F879638B7D5CFDA6B800A7298FB6301E777"
const SHA256 = "576E9B9518BDA1E243D9937D96CAB7F0371412CFBA36E976D30B6A7CEEC16B0F"
const SERIAL_HEX = "430003A5985B1D66D63B2B202700000003A598"
const SERIAL_DEC = "1494151169262348969023802101054464982343984536"

const b64url = (hex: string, pad: boolean): string => {
  const b64 = Buffer.from(hex, "hex").toString("base64").replace(/\+/g, "-").replace(/\//g, "_")
  return pad ? b64 : b64.replace(/=+$/, "")
}

const candidates = (outcome: LookupOutcome) => {
  if (outcome._tag !== "Normalized") throw new Error(outcome.error.message)
  return outcome.candidates.map((c) => `${c.kind}:${c.value}`)
}

describe("normalizeLookup", () => {
  it("reads a SHA-1 in any case and with colons, spaces or dashes; 40 digits may also be a serial", () => {
    const colons = SHA1.match(/../g)!.join(":")
    for (const text of [
      SHA1,
      SHA1.toLowerCase(),
      colons,
      colons.replace(/:/g, " "),
      colons.replace(/:/g, "-")
    ]) {
      expect(candidates(normalizeLookup(`  ${text} `))).toEqual([`sha1:${SHA1}`, `serial:${SHA1.slice(1)}`])
    }
  })

  it("reads a SHA-256, and a prefix removes the ambiguity", () => {
    expect(candidates(normalizeLookup(SHA256.toLowerCase()))).toEqual([
      `sha256:${SHA256}`,
      `serial:${SHA256}`
    ])
    expect(candidates(normalizeLookup(`sha256:${SHA256}`))).toEqual([`sha256:${SHA256}`])
    expect(candidates(normalizeLookup(`SHA-1 Fingerprint=${SHA1.match(/../g)!.join(":")}`))).toEqual([
      `sha1:${SHA1}`
    ])
  })

  it("reads base64url x5t (SHA-1) and x5t#S256 (SHA-256), with or without padding or prefix", () => {
    expect(candidates(normalizeLookup(b64url(SHA1, false)))).toEqual([`sha1:${SHA1}`])
    expect(candidates(normalizeLookup(`x5t:${b64url(SHA1, true)}`))).toEqual([`sha1:${SHA1}`])
    expect(candidates(normalizeLookup(b64url(SHA256, false)))).toEqual([`sha256:${SHA256}`])
    expect(candidates(normalizeLookup(`x5t#S256:${b64url(SHA256, true)}`))).toEqual([`sha256:${SHA256}`])
    expect(normalizeLookup(`x5t#S256:${b64url(SHA1, false)}`)._tag).toBe("Failed")
  })

  it("reads decimal serials into serial.hex, decimal reading first", () => {
    expect(candidates(normalizeLookup(SERIAL_DEC))).toEqual([
      `serial:${SERIAL_HEX}`,
      // The same digits read as hex: less likely, still offered.
      `serial:${SERIAL_DEC}`
    ])
    expect(candidates(normalizeLookup(`serial: ${SERIAL_HEX.toLowerCase()}`))).toEqual([
      `serial:${SERIAL_HEX}`
    ])
  })

  it("drops the Windows sign byte and leading zeros, keeps a minus sign", () => {
    expect(candidates(normalizeLookup("00 9b 7e 06 49 a3 3e 62 b9 d5 ee 90 48 71 29 ef 57"))).toEqual([
      "serial:9B7E0649A33E62B9D5EE90487129EF57"
    ])
    expect(candidates(normalizeLookup("0x01"))).toEqual(["serial:1"])
    // Both readings of "00" are zero: one candidate.
    expect(candidates(normalizeLookup("00"))).toEqual(["serial:0"])
    expect(candidates(normalizeLookup("-04316693ED"))).toEqual(["serial:-4316693ED"])
    expect(candidates(normalizeLookup("-18008675309"))).toEqual(["serial:-4316693ED", "serial:-18008675309"])
  })

  it("gives a typed error for junk", () => {
    expect(normalizeLookup("")).toEqual({
      _tag: "Failed",
      error: { code: "EmptyLookup", message: "empty look-up text" }
    })
    expect(normalizeLookup("sha256:")._tag).toBe("Failed")
    for (const junk of ["hello world", "sha1:1234", "AB:CD-EF", "12.34", "x".repeat(600), "-sha1"]) {
      const outcome = normalizeLookup(junk)
      expect(outcome._tag, junk).toBe("Failed")
      if (outcome._tag === "Failed") expect(outcome.error.code).toBe("InvalidLookup")
    }
  })
})
