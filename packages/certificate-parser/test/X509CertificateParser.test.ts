/**
 * How x509 outcomes become the port's: input that is not a certificate, or a certificate the domain
 * cannot hold, is InvalidCertificate naming where it is; a failure of the parser itself (a bug, no
 * WebCrypto) is a defect. The rest of the adapter is tested in @certory/testing.
 */
import { readFileSync } from "node:fs"
import { Errors } from "@certory/domain"
import { Cause, Effect, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import { X509CertificateParser } from "../src/index.js"

const text = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "latin1")

const der = (name: string): Uint8Array => {
  const pem = text(name)
  const body = pem.slice(
    pem.indexOf("-----BEGIN CERTIFICATE-----") + 27,
    pem.indexOf("-----END CERTIFICATE-----")
  )
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ""), "base64"))
}

const VALID = "bing.com.peer.3.pem"
/** A well-formed certificate with version 4: x509 reads it (with a warning), the domain holds it. */
const VERSION_4 = "certVersion4NoExtensions.pem"

/** DER TLV and a certs-only SignedData around some certificates (the container only, no invented certificate). */
const tlv = (id: number, ...content: Uint8Array[]): Uint8Array => {
  const length = content.reduce((n, c) => n + c.length, 0)
  const header = length < 0x80 ? [id, length] : length < 0x10000 ? [id, 0x82, length >> 8, length & 0xff] : []
  return Uint8Array.from([...header, ...content.flatMap((c) => [...c])])
}
const signedDataOid = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02])
const dataOid = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01])
const bundle = (...certificates: Uint8Array[]): Uint8Array =>
  tlv(
    0x30,
    signedDataOid,
    tlv(
      0xa0,
      tlv(
        0x30,
        Uint8Array.from([2, 1, 1]),
        tlv(0x31),
        tlv(0x30, dataOid),
        tlv(0xa0, ...certificates),
        tlv(0x31)
      )
    )
  )
const pemOf = (label: string, bytes: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString("base64")}\n-----END ${label}-----\n`

const parseWith = (input: string | Uint8Array, crypto?: Crypto) =>
  Effect.runPromiseExit(X509CertificateParser.makeWith(crypto === undefined ? {} : { crypto }).parse(input))

const invalid = async (input: string | Uint8Array): Promise<Errors.InvalidCertificate> => {
  const exit = await parseWith(input)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected InvalidCertificate, got ${Cause.pretty(exit.cause)}`)
  expect(error.value).toBeInstanceOf(Errors.InvalidCertificate)
  return error.value as Errors.InvalidCertificate
}

const defect = async (input: string | Uint8Array, crypto: Crypto): Promise<string> => {
  const exit = await parseWith(input, crypto)
  if (Exit.isSuccess(exit)) throw new Error("expected a defect")
  expect(Cause.isDie(exit.cause)).toBe(true)
  expect(Option.isNone(Cause.failureOption(exit.cause))).toBe(true)
  return Cause.pretty(exit.cause)
}

describe("parse outcomes", () => {
  it("reads a certificate", async () => {
    const exit = await parseWith(text(VALID))
    expect(Exit.isSuccess(exit) && exit.value.map((c) => c.sha1)).toEqual([
      "08636F879638B7D5CFDA6B800A7298FB6301E777"
    ])
  })

  it("no WebCrypto is a defect, not InvalidCertificate", async () => {
    expect(await defect(text(VALID), {} as Crypto)).toContain("CryptoUnavailable")
  })

  it("a failing WebCrypto digest is a defect", async () => {
    const broken = { subtle: { digest: () => Promise.reject(new Error("engine gone")) } } as unknown as Crypto
    expect(await defect(text(VALID), broken)).toContain(
      "CryptoUnavailable: WebCrypto SHA-1 digest failed: Error: engine gone"
    )
  })

  it("an exception inside the parser (x509's InternalError) is a defect", async () => {
    const throwing = {
      get subtle(): SubtleCrypto {
        throw new Error("a bug")
      }
    } as unknown as Crypto
    expect(await defect(text(VALID), throwing)).toContain(
      "InternalError: unexpected parser failure: Error: a bug"
    )
  })

  it("input that is not a certificate is InvalidCertificate with x509's block", async () => {
    const error = await invalid(
      `${text(VALID)}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`
    )
    expect(error.block).toBe(2)
    expect(error.message).toMatch(/^block 2: not a certificate: /)
  })
})

describe("a version 4 certificate is read as the domain's version 4 wherever it is", () => {
  // The domain refused it before (version 1..3 only), so import failed on what inspect read.
  const versions = async (input: string | Uint8Array) => {
    const exit = await parseWith(input)
    if (Exit.isFailure(exit)) throw new Error(`expected certificates, got ${Cause.pretty(exit.cause)}`)
    return exit.value.map((certificate) => certificate.version)
  }

  it("a PEM block", async () => {
    expect(await versions(text(VALID) + text(VERSION_4))).toEqual([3, 4])
  })

  it("a PKCS#7 bundle entry, binary and inside a PEM block", async () => {
    const p7 = bundle(der(VALID), der(VERSION_4))
    expect(await versions(p7)).toEqual([3, 4])
    expect(await versions(text(VALID) + pemOf("PKCS7", p7))).toEqual([3, 3, 4])
  })

  it("the second of concatenated DER certificates", async () => {
    expect(await versions(Buffer.concat([der(VALID), der(VERSION_4)]))).toEqual([3, 4])
  })
})
