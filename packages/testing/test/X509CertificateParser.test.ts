/**
 * The CertificateParser adapter over @certory/x509: facts become domain certificates, failures become
 * InvalidCertificate with the block, look-up spellings become keys (a SHA-256 may also be a key pin).
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { CertificateParser, Errors } from "@certory/domain"
import { parseCertificates } from "@certory/x509"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either } from "effect"
import { input, names } from "../src/Fixtures.js"

layer(X509CertificateParser.layer)("X509CertificateParser", (it) => {
  describe("parse", () => {
    it.effect("maps every fact of a template certificate", () =>
      Effect.gen(function* () {
        const parser = yield* CertificateParser.CertificateParser
        const [c] = yield* parser.parse(input(names.templateName))
        expect(c!.serial.windows).toBe("35000000028BBDD10EE4F6E8D4000000000002")
        expect(c!.sha1).toBe("8BE1514506A5F9D3B567765CFCA44F5DF742D510")
        expect(c!.subject.rfc2253).toBe("CN=SRV-ADDS01.labs1collabu0.local")
        expect(c!.publicKey).toMatchObject({ algorithm: "RSA", size: 2048 })
        expect(c!.template?.name).toBe("DomainController")
        expect(c!.subjectAltNames?.length).toBeGreaterThan(0)
        expect(c!.der).toBeInstanceOf(Uint8Array)
        expect(c!.sha256).toMatch(/^[0-9A-F]{64}$/)
      })
    )

    it.effect("optional facts are absent, not undefined-valued (exact optional properties)", () =>
      Effect.gen(function* () {
        const parser = yield* CertificateParser.CertificateParser
        const [ec] = yield* parser.parse(input(names.ec))
        expect("template" in ec!).toBe(false)
        expect(ec!.publicKey.curve).toBe("P-384")
        const [oid] = yield* parser.parse(input(names.templateOid))
        expect(oid!.template).toEqual(
          expect.objectContaining({ oid: "1.2.3.4.5.6.7.8.9.0", majorVersion: 1 })
        )
        expect("minorVersion" in oid!.template!).toBe(false)
      })
    )

    it.effect("a bad block fails the whole input, naming the block", () =>
      Effect.gen(function* () {
        const parser = yield* CertificateParser.CertificateParser
        const bad = `${input(names.ec) as string}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`
        const error = yield* parser.parse(bad).pipe(Effect.flip)
        expect(error).toBeInstanceOf(Errors.InvalidCertificate)
        expect(error.block).toBe(2)
        const empty = yield* parser.parse("").pipe(Effect.flip)
        expect(empty).toBeInstanceOf(Errors.InvalidCertificate)
      })
    )
  })

  describe("normalizeLookup", () => {
    it.effect(
      "a SHA-256 spelling is looked up as certificate and key fingerprint; junk is InvalidLookup",
      () =>
        Effect.gen(function* () {
          const parser = yield* CertificateParser.CertificateParser
          const hex = "AB".repeat(32)
          const keys = yield* parser.normalizeLookup(hex.toLowerCase().match(/../g)!.join(":"))
          expect(keys).toContainEqual({ kind: "sha256", value: hex })
          expect(keys).toContainEqual({ kind: "spkiSha256", value: hex })
          expect(keys.findIndex((k) => k.kind === "sha256")).toBeLessThan(
            keys.findIndex((k) => k.kind === "spkiSha256")
          )
          const serial = yield* parser.normalizeLookup(
            "serial: 1181939495535341913976458770226053095656259586"
          )
          expect(serial).toContainEqual({ kind: "serial", value: "35000000028BBDD10EE4F6E8D4000000000002" })
          const error = yield* parser.normalizeLookup("   ").pipe(Effect.flip)
          expect(error).toBeInstanceOf(Errors.InvalidLookup)
        })
    )
  })

  describe("facts are validated on the way in", () => {
    it("a fact the domain cannot hold (a template version of Infinity, an unsafe integer) is refused, not stored", async () => {
      // A 200-byte template major version used to become Infinity, be stored as null, and break every
      // later listing with a decode defect.
      const outcome = await parseCertificates(input(names.templateOid))
      if (outcome._tag !== "Parsed") throw new Error("fixture did not parse")
      const facts = outcome.certificates[0]!
      expect(Either.isRight(X509CertificateParser.toCertificate(facts))).toBe(true)
      for (const majorVersion of [Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 32, -1, 1.5]) {
        const poisoned = {
          ...facts,
          extensions: {
            ...facts.extensions,
            microsoftTemplate: { ...facts.extensions.microsoftTemplate!, majorVersion }
          }
        }
        expect(Either.isLeft(X509CertificateParser.toCertificate(poisoned)), String(majorVersion)).toBe(true)
      }
      expect(
        Either.isLeft(X509CertificateParser.toCertificate({ ...facts, notAfter: Number.POSITIVE_INFINITY }))
      ).toBe(true)
      expect(
        Either.isLeft(
          X509CertificateParser.toCertificate({ ...facts, publicKey: { ...facts.publicKey, size: 2 ** 40 } })
        )
      ).toBe(true)
    })
  })
})
