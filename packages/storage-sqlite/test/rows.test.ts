/**
 * The rows the store writes are exact: the hand-written facts JSON is the Schema encoding's text over
 * every fixture (so skipping the encoder changes nothing stored), the row schemas round-trip, and the
 * column lists are the table structs'. Lives here because storage-sql has no test runner of its own.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate as Cert, Ids, Owner } from "@certory/domain"
import { Rows } from "@certory/storage-sql"
import { Fixtures } from "@certory/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
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

  it.effect(
    "a certificates row decodes back to the same certificate (facts through the schema, DER as Effect's base64)",
    () =>
      Effect.gen(function* () {
        const decode = Schema.decodeUnknownSync(Rows.CertificateRow)
        const certificates = yield* everyFixture
        for (const c of certificates) {
          const row = Rows.certificateRow(c)
          expect(row.der).toBe(Encoding.encodeBase64(c.der))
          expect(Schema.encodeSync(Cert.Certificate)(decode(row))).toEqual(
            Schema.encodeSync(Cert.Certificate)(c)
          )
        }
        expect(() => decode({ facts: "{}", der: "" })).toThrow()
        expect(() => decode({ ...Rows.certificateRow(certificates[0]!), der: "not base64!" })).toThrow()
      }).pipe(Effect.provide(corpus))
  )

  it("column lists are the table structs' fields, in order", () => {
    expect(Rows.ownerColumns.map(([name]) => name)).toEqual(Object.keys(Rows.OwnersTable.fields))
    expect(Rows.certificateColumns.map(([name]) => name)).toEqual(Object.keys(Rows.CertificatesTable.fields))
    expect(Rows.bindingColumns.map(([name]) => name)).toEqual(Object.keys(Rows.BindingsTable.fields))
  })

  it("owners and bindings round trip through their row schemas; PostgreSQL's string BIGINTs decode", () => {
    const ref = Ids.IdpRef.make({
      identityStoreId: Ids.IdentityStoreId.make("d-1"),
      idpId: Ids.IdpId.make("x")
    })
    const owner = Owner.Owner.make({
      ref,
      enabled: false,
      createdAt: 1_700_000_000_000,
      createdBy: "t",
      displayName: "n"
    })
    const ownerRow = Schema.encodeSync(Rows.OwnerRow)(owner)
    expect(ownerRow).toMatchObject({
      owner_key: "idp:d-1/x",
      kind: "Idp",
      identity_store_id: "d-1",
      enabled: 0
    })
    const back = Schema.decodeUnknownSync(Rows.OwnerRow)({ ...ownerRow, created_at: "1700000000000" })
    expect(Schema.encodeSync(Owner.Owner)(back)).toEqual(Schema.encodeSync(Owner.Owner)(owner))
    const binding = Cert.Binding.make({
      certificateId: Ids.CertificateId.make("6f1b8c2e-7c1d-4c57-9a39-0d9a3c1f1e2a"),
      owner: ref,
      sha256: Ids.Sha256Hex.make("A".repeat(64)),
      isKeyHistory: true,
      archivedOnCa: false,
      certificateType: -2_147_483_648,
      origin: "external",
      use: "signing",
      source: "metadata",
      boundBy: "t",
      boundAt: 5
    })
    const bindingRow = Schema.encodeSync(Rows.BindingRow)(binding)
    expect(bindingRow).toMatchObject({ owner_key: "idp:d-1/x", is_key_history: 1, usage: "signing" })
    const decoded = Rows.bindingDecoder()({ ...bindingRow, bound_at: "5" })
    expect(Schema.encodeSync(Cert.Binding)(decoded)).toEqual(Schema.encodeSync(Cert.Binding)(binding))
    expect(() => Rows.bindingDecoder()({ ...bindingRow, owner_key: "nonsense" })).toThrow()
  })
})
