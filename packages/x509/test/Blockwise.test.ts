/**
 * parseCertificatesBlockwise: a PEM block that fails is recorded with its block number and the next
 * block is read, so a bad block does not hide the good ones; every other input, and every input-level
 * failure, gives what parseCertificates gives. The certificates are real fixtures; the bad blocks are
 * real certificates cut short, or with a byte of their base64 or DER changed.
 */
import { describe, expect, it } from "vitest"
import { bundle } from "../fuzz/Shapes.js"
import {
  type BlockwiseOutcome,
  Limits,
  type ParseOutcome,
  parseCertificates,
  parseCertificatesBlockwise
} from "../src/index.js"
import { BING_INTERMEDIATE_SHA1, BING_PEER_SHA1, derOf, failure, fixture, parsed, text } from "./support.js"

const VERISIGN_G3 = "cacert.pem.012_Verisign_Class_3_Public_Primary_Certification_Authority_-_G3.pem"

const peer = text("bing.com.peer.3.pem")
const verisign = text(VERISIGN_G3)

const pem = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")}\n-----END ${label}-----\n`

/** The bing intermediate cut inside its TBSCertificate: the base64 decodes, the DER does not. */
const truncated = pem("CERTIFICATE", derOf("bing.com.intermediate.1.pem").subarray(0, 300))

const sha1s = (outcome: BlockwiseOutcome): string[] => outcome.certificates.map((c) => c.sha1)

/** What parseCertificates gives, in the blockwise shape: for inputs where the two must agree. */
const asBlockwise = (outcome: ParseOutcome): BlockwiseOutcome =>
  outcome._tag === "Parsed"
    ? { certificates: outcome.certificates, origins: outcome.origins, failures: [] }
    : { certificates: [], origins: [], failures: [outcome.error] }

describe("a bad PEM block does not hide the good ones", () => {
  it("good, truncated DER, good: 2 certificates and 1 failure naming block 2; parseCertificates still fails", async () => {
    const input = peer + truncated + verisign
    const outcome = await parseCertificatesBlockwise(input)
    expect(sha1s(outcome)).toEqual([BING_PEER_SHA1, parsed(await parseCertificates(verisign))[0]!.sha1])
    expect(outcome.origins).toEqual([
      { block: 1, where: "block 1" },
      { block: 3, where: "block 3" }
    ])
    expect(outcome.failures).toHaveLength(1)
    expect(outcome.failures[0]).toMatchObject({ code: "NotACertificate", block: 2 })
    expect(outcome.failures[0]?.message).toMatch(/^block 2: not a certificate: /)
    // The strict reader is unchanged: the same input is one failure, the same one.
    expect(failure(await parseCertificates(input))).toEqual(outcome.failures[0])
  })

  it("garbage base64 in block 2, as text and as bytes", async () => {
    const garbage = peer.replace(/(-----BEGIN CERTIFICATE-----\n.{10})./, "$1!")
    const input = peer + garbage + verisign
    for (const form of [input, new TextEncoder().encode(input)]) {
      const outcome = await parseCertificatesBlockwise(form)
      expect(outcome.certificates).toHaveLength(2)
      expect(outcome.failures).toEqual([failure(await parseCertificates(form))])
      expect(outcome.failures[0]).toMatchObject({ code: "InvalidPem", block: 2 })
    }
  })

  it("blocks are numbered counting every BEGIN line: a skipped private key is block 1, not a failure", async () => {
    const withKey = text("cryptography.io.with_garbage.pem")
    const key = withKey.slice(
      withKey.indexOf("-----BEGIN PRIVATE KEY-----"),
      withKey.indexOf("-----END PRIVATE KEY-----") + 25
    )
    const outcome = await parseCertificatesBlockwise(`${key}\n${peer}${truncated}`)
    expect(sha1s(outcome)).toEqual([BING_PEER_SHA1])
    expect(outcome.origins).toEqual([{ block: 2, where: "block 2" }])
    expect(outcome.failures.map((f) => [f.code, f.block])).toEqual([["NotACertificate", 3]])
  })

  it("a PKCS#7 block is all or nothing: a bad second certificate drops the block's first one too", async () => {
    const p7 = fixture("bing.com.chain.p7b").slice()
    const intermediate = derOf("bing.com.intermediate.1.pem")
    const at = p7.findIndex((_, i) => intermediate.subarray(0, 32).every((b, j) => p7[i + j] === b))
    // 30 82 LL LL 30 82 LL LL A0 03 02 01 02 | 02 (serialNumber): make the serial an OCTET STRING.
    expect(p7[at + 13]).toBe(0x02)
    p7[at + 13] = 0x04
    const input = peer + pem("PKCS7", p7) + verisign
    const outcome = await parseCertificatesBlockwise(input)
    expect(outcome.certificates).toHaveLength(2)
    expect(outcome.origins.map((o) => o.block)).toEqual([1, 3])
    expect(outcome.failures).toHaveLength(1)
    expect(outcome.failures[0]).toMatchObject({ code: "NotACertificate", block: 2 })
    expect(outcome.failures[0]?.message).toMatch(/^block 2: PKCS#7 certificate 2: not a certificate: /)
    expect(failure(await parseCertificates(input))).toEqual(outcome.failures[0])
    // The intact bundle in the same place gives both of its certificates.
    const intact = await parseCertificatesBlockwise(peer + text("bing.com.chain.p7b.pem") + verisign)
    expect(intact.failures).toEqual([])
    expect(intact.origins.map((o) => o.where)).toEqual([
      "block 1",
      "block 2: PKCS#7 certificate 1",
      "block 2: PKCS#7 certificate 2",
      "block 3"
    ])
  })

  it("a last block without its END line is a failure of that block; the blocks before it are kept", async () => {
    const unterminated = verisign.slice(0, verisign.indexOf("-----END"))
    const outcome = await parseCertificatesBlockwise(peer + unterminated)
    expect(sha1s(outcome)).toEqual([BING_PEER_SHA1])
    expect(outcome.failures).toEqual([failure(await parseCertificates(peer + unterminated))])
    expect(outcome.failures[0]).toMatchObject({ code: "InvalidPem", block: 2 })
  })

  it("every block bad: only the failures, in block order, and no NoCertificateFound", async () => {
    const outcome = await parseCertificatesBlockwise(truncated + truncated)
    expect(outcome.certificates).toEqual([])
    expect(outcome.failures.map((f) => [f.code, f.block])).toEqual([
      ["NotACertificate", 1],
      ["NotACertificate", 2]
    ])
  })

  it("good input gives exactly what parseCertificates gives, warnings included", async () => {
    for (const input of [
      peer + text("bing.com.intermediate.1.pem"),
      text("bing.com.chain.p7b.pem"),
      text("cryptography.io.with_garbage.pem"),
      text("utcNotZulu.pem")
    ]) {
      expect(await parseCertificatesBlockwise(input)).toEqual(asBlockwise(await parseCertificates(input)))
    }
  })
})

describe("other inputs and input-level failures: what parseCertificates gives", () => {
  it("DER, concatenated DER with a broken second certificate, base64 and PKCS#7 DER", async () => {
    const good = derOf("bing.com.peer.3.pem")
    // The second with its TBSCertificate tagged SET: still a whole TLV after the first.
    const broken = new Uint8Array([...good, ...derOf("bing.com.intermediate.1.pem")])
    broken[good.length + 4] = 0x31
    const base64 = Buffer.from(good).toString("base64")
    for (const input of [good, broken, base64, fixture("bing.com.chain.p7b")]) {
      expect(await parseCertificatesBlockwise(input)).toEqual(asBlockwise(await parseCertificates(input)))
    }
    const outcome = await parseCertificatesBlockwise(broken)
    expect(outcome.certificates).toEqual([])
    expect(outcome.failures).toHaveLength(1)
    expect(outcome.failures[0]?.message).toMatch(/^certificate 2: not a certificate: /)
    expect(sha1s(await parseCertificatesBlockwise(fixture("bing.com.chain.p7b")))).toEqual([
      BING_PEER_SHA1,
      BING_INTERMEDIATE_SHA1
    ])
  })

  it("empty, only a private key, too large, no WebCrypto: one failure each", async () => {
    const withKey = text("cryptography.io.with_garbage.pem")
    const keyOnly = withKey.slice(0, withKey.indexOf("-----END PRIVATE KEY-----") + 25)
    const cases: Array<[string, Parameters<typeof parseCertificates>[1], string]> = [
      ["", {}, "NoCertificateFound"],
      [keyOnly, {}, "NoCertificateFound"],
      [peer + truncated, { maxInputBytes: 1000 }, "InputTooLarge"],
      [peer + truncated + verisign, { crypto: {} as Crypto }, "CryptoUnavailable"]
    ]
    for (const [input, options, code] of cases) {
      const outcome = await parseCertificatesBlockwise(input, options)
      expect(outcome).toEqual(asBlockwise(await parseCertificates(input, options)))
      expect(outcome.failures.map((f) => f.code)).toEqual([code])
    }
  })

  it("WebCrypto failing on digest is one failure for the input, not one per block", async () => {
    const crypto = {
      subtle: {
        digest: () => Promise.reject(new Error("no digest here"))
      }
    } as unknown as Crypto
    const outcome = await parseCertificatesBlockwise(peer + verisign + peer, { crypto })
    expect(outcome.certificates).toEqual([])
    expect(outcome.failures).toHaveLength(1)
    expect(outcome.failures[0]?.code).toBe("CryptoUnavailable")
  })
})

describe("the same limits", () => {
  const MiB = 1024 * 1024

  it("more certificate blocks than Limits.maxCertificates: one failure before any is read", async () => {
    const input = peer.repeat(Limits.maxCertificates + 1)
    const outcome = await parseCertificatesBlockwise(input, { maxInputBytes: 64 * MiB })
    expect(outcome).toEqual({
      certificates: [],
      origins: [],
      failures: [
        {
          code: "LimitExceeded",
          message: `more than ${Limits.maxCertificates} certificates in one input (limit)`
        }
      ]
    })
  })

  it("the certificate cap counts across blocks: a bundle that would pass it fails, the blocks around it are read", async () => {
    const full = bundle(new Array<Uint8Array>(Limits.maxCertificates).fill(derOf("bing.com.peer.3.pem")))
    const input = peer + pem("PKCS7", full) + verisign
    const outcome = await parseCertificatesBlockwise(input, { maxInputBytes: 64 * MiB })
    expect(outcome.origins.map((o) => o.block)).toEqual([1, 3])
    expect(outcome.failures).toEqual([
      {
        code: "LimitExceeded",
        message: `block 2: more than ${Limits.maxCertificates} certificates in one input (limit)`,
        block: 2
      }
    ])
  })

  it("after Limits.maxCertificates failing blocks, one LimitExceeded ends the reading", async () => {
    const bad = "-----BEGIN PKCS7-----\n!\n-----END PKCS7-----\n"
    const input = peer + bad.repeat(Limits.maxCertificates + 10) + verisign
    const outcome = await parseCertificatesBlockwise(input)
    expect(sha1s(outcome)).toEqual([BING_PEER_SHA1])
    expect(outcome.failures).toHaveLength(Limits.maxCertificates + 1)
    expect(outcome.failures.slice(0, -1).every((f) => f.code === "InvalidPem")).toBe(true)
    expect(outcome.failures.at(-1)).toEqual({
      code: "LimitExceeded",
      message: `block ${Limits.maxCertificates + 2}: more than ${Limits.maxCertificates} failing blocks in one input (limit): this block and the rest are not read`,
      block: Limits.maxCertificates + 2
    })
  })
})
