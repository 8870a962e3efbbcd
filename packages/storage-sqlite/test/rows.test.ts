/**
 * The rows the store writes are exact: the hand-written facts JSON is the Schema encoding's text, and the
 * DER's base64 is Effect's, over every fixture (both directions), so skipping the encoder changes nothing
 * stored. Lives here because storage-sql has no test runner of its own.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate as Cert } from "@certory/domain"
import { Rows } from "@certory/storage-sql"
import { Fixtures } from "@certory/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

const Facts = Schema.Struct(Cert.Certificate.fields).omit("der")
const corpus = Fixtures.layerCorpus.pipe(Layer.provide(X509CertificateParser.layer))

const everyFixture = Effect.map(Fixtures.Corpus, (corpus) => [
  ...(Object.keys(Fixtures.names) as ReadonlyArray<Fixtures.Name>).flatMap((name) => corpus.all(name)),
  ...corpus.cacerts
])

describe("Rows", () => {
  it("stores every Certificate field but the DER, in schema order", () => {
    expect([...Rows.factFields, "der"].sort()).toEqual(Object.keys(Cert.Certificate.fields).sort())
    expect(Rows.factFields).toEqual(Object.keys(Cert.Certificate.fields).filter((field) => field !== "der"))
  })

  it.effect("factsJson is the Schema encoding's JSON text for every fixture", () =>
    Effect.gen(function* () {
      const certificates = yield* everyFixture
      expect(certificates.length).toBeGreaterThan(70)
      // Optional facts both present and absent are covered.
      expect(certificates.some((c) => c.template !== undefined)).toBe(true)
      expect(certificates.some((c) => c.subjectAltNames !== undefined)).toBe(true)
      expect(certificates.some((c) => c.publicKey.curve !== undefined)).toBe(true)
      for (const c of certificates) {
        expect(Rows.factsJson(c)).toBe(JSON.stringify(Schema.encodeSync(Facts)(c)))
      }
    }).pipe(Effect.provide(corpus))
  )

  it.effect("the DER's base64 is Effect's, and reads back to the same bytes", () =>
    Effect.gen(function* () {
      for (const c of yield* everyFixture) {
        const text = Rows.derToBase64(c.der)
        expect(text).toBe(Encoding.encodeBase64(c.der))
        expect(Rows.derFromBase64(text)).toEqual(Either.getOrThrow(Encoding.decodeBase64(text)))
      }
      expect(() => Rows.derFromBase64("not base64!")).toThrow()
    }).pipe(Effect.provide(corpus))
  )

  it.effect("a certificate row decodes back to the same certificate", () =>
    Effect.gen(function* () {
      for (const c of yield* everyFixture) {
        const row = Rows.certificateRow(c)
        const decoded = Schema.decodeUnknownSync(Cert.Certificate)({
          ...JSON.parse(row.facts as string),
          der: Rows.derFromBase64(row.der as string)
        })
        expect(Schema.encodeSync(Cert.Certificate)(decoded)).toEqual(Schema.encodeSync(Cert.Certificate)(c))
      }
    }).pipe(Effect.provide(corpus))
  )
})
