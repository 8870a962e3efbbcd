/**
 * The contract's cases about binding certificates to owners: every fact round trips, idempotence per (owner, certificate), limits and concurrent importers.
 */
import { Certificate as C, CertificateStore, Errors, Ids } from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect, Option } from "effect"
import {
  type Area,
  attributes,
  byText,
  encodeBinding,
  encodeCertificate,
  ids,
  item,
  newIdp,
  newProfile,
  newSmartCard,
  referenceOrder,
  uuid
} from "./Support.js"

export const register = ({ it, setup, timeout }: Area): void => {
  describe("binding", () => {
    it.effect(
      "every fact of every fixture round trips through bind, getBinding, listBindings and getCertificate",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, listAll } = yield* setup
          const ref = yield* owner()
          const certificates = [
            ...corpus.all("chain"),
            corpus.one("ec"),
            corpus.one("ed25519"),
            corpus.one("ed448"),
            corpus.one("templateOid"),
            corpus.one("templateName"),
            corpus.one("adcsUserDer"),
            corpus.one("adcsDcDer"),
            corpus.one("expired"),
            corpus.one("negativeSerial"),
            corpus.one("rsaPss"),
            corpus.one("notYetValid"),
            corpus.one("adcsSerial")
          ]
          const uses = C.CertificateUse.literals
          const items = certificates.map((certificate, i) =>
            item(
              certificate,
              attributes({
                isKeyHistory: i % 2 === 0,
                archivedOnCa: i % 3 === 0,
                certificateType: i === 4 ? 0 : i === 5 ? 2_147_483_647 : 1 + i,
                origin: i % 2 === 0 ? "external" : "native",
                use: uses[i % uses.length]!,
                source: C.Source.literals[i % C.Source.literals.length]!
              })
            )
          )
          const results = yield* bind(ref, items, { boundAt: 1_700_000_000_789 })
          expect(results.map((r) => r.created)).toEqual(items.map(() => true))

          for (const [i, { certificate, attributes: attrs, certificateId }] of items.entries()) {
            const expected = C.Binding.make({
              certificateId,
              owner: ref,
              sha256: certificate.sha256,
              isKeyHistory: attrs.isKeyHistory,
              archivedOnCa: attrs.archivedOnCa,
              certificateType: attrs.certificateType,
              origin: attrs.origin,
              use: attrs.use,
              source: attrs.source,
              boundBy: "contract",
              boundAt: 1_700_000_000_789
            })
            expect(encodeBinding(results[i]!.binding)).toEqual(encodeBinding(expected))
            const got = yield* store.getBinding(ref, certificateId)
            expect(Option.isSome(got)).toBe(true)
            const found = Option.getOrThrow(got)
            expect(encodeBinding(found.binding)).toEqual(encodeBinding(expected))
            expect(encodeCertificate(found.certificate)).toEqual(encodeCertificate(certificate))
            expect(found.certificate.der).toBeInstanceOf(Uint8Array)
            const stored = yield* store.getCertificate(certificate.sha256)
            expect(Option.map(stored, encodeCertificate)).toEqual(Option.some(encodeCertificate(certificate)))
          }

          const listed = yield* listAll(ref)
          expect(listed.total).toBe(items.length)
          const byId = new Map(listed.items.map((i) => [i.binding.certificateId, i]))
          for (const { certificate, certificateId } of items) {
            expect(encodeCertificate(byId.get(certificateId)!.certificate)).toEqual(
              encodeCertificate(certificate)
            )
          }
        }),
      timeout
    )

    it.effect(
      "binding is idempotent per (owner, certificate): same id back, created false, first attributes kept",
      () =>
        Effect.gen(function* () {
          const { corpus, owner, bind, listAll } = yield* setup
          const ref = yield* owner()
          const certificate = corpus.one("ec")
          const first = yield* bind(ref, [item(certificate, attributes({ isKeyHistory: true }))], {
            boundAt: 1000
          })
          const again = yield* bind(ref, [item(certificate, attributes({ isKeyHistory: false }))], {
            boundAt: 2000
          })
          expect(first[0]!.created).toBe(true)
          expect(again[0]!.created).toBe(false)
          expect(encodeBinding(again[0]!.binding)).toEqual(encodeBinding(first[0]!.binding))
          expect(again[0]!.binding.isKeyHistory).toBe(true)
          expect(again[0]!.binding.boundAt).toBe(1000)

          // Repeated within one request, and mixed with a new one.
          const other = corpus.one("ed25519")
          const mixed = yield* bind(ref, [item(other), item(certificate), item(other)])
          expect(mixed.map((r) => r.created)).toEqual([true, false, false])
          expect(mixed[2]!.binding.certificateId).toBe(mixed[0]!.binding.certificateId)
          expect(mixed[1]!.binding.certificateId).toBe(first[0]!.binding.certificateId)
          expect((yield* listAll(ref)).total).toBe(2)
        }),
      timeout
    )

    it.effect(
      "one certificate bound to several owners: one certificate row, one binding each",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, findAll } = yield* setup
          const certificate = corpus.one("templateName")
          const refs = [yield* owner(), yield* owner(newProfile()), yield* owner(newIdp())]
          const bound = []
          for (const [i, ref] of refs.entries()) {
            const [result] = yield* bind(ref, [item(certificate, attributes({ certificateType: 10 + i }))])
            expect(result!.created).toBe(true)
            bound.push(result!.binding)
          }
          expect(new Set(bound.map((b) => b.certificateId)).size).toBe(3)
          for (const [i, ref] of refs.entries()) {
            const got = Option.getOrThrow(yield* store.getBinding(ref, bound[i]!.certificateId))
            expect(got.binding.certificateType).toBe(10 + i)
            expect(Ids.ownerKey(got.binding.owner)).toBe(Ids.ownerKey(ref))
            // Another owner's binding id is not visible through this owner.
            const foreign = yield* store.getBinding(ref, bound[(i + 1) % 3]!.certificateId)
            expect(Option.isNone(foreign)).toBe(true)
          }
          const found = yield* findAll("sha256", certificate.sha256)
          expect(found).toHaveLength(1)
          const mine = found[0]!.bindings.filter((b) =>
            refs.some((r) => Ids.ownerKey(r) === Ids.ownerKey(b.owner))
          )
          expect(mine.map((b) => b.certificateId).sort(byText)).toEqual(
            bound.map((b) => b.certificateId).sort(byText)
          )
        }),
      timeout
    )

    it.effect(
      "bind to an unknown owner fails with OwnerNotFound and stores nothing",
      () =>
        Effect.gen(function* () {
          const { store, corpus, bind, findAll } = yield* setup
          const ref = newSmartCard()
          // v1.pem is bound by no other test, so its certificate row must not exist afterwards.
          const v1 = corpus.one("v1")
          const error = yield* bind(ref, [item(corpus.one("ec")), item(v1)]).pipe(Effect.flip)
          expect(error).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(ref) }))
          expect(Option.isNone(yield* store.getCertificate(v1.sha256))).toBe(true)
          expect(yield* findAll("sha256", v1.sha256)).toEqual([])
        }),
      timeout
    )

    it.effect(
      "maxBindings refuses the whole request (the 3rd of 3 items over the limit) and changes nothing",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, listAll } = yield* setup
          const ref = yield* owner(newIdp())
          const v1 = corpus.one("v1")
          const error = yield* bind(ref, [item(corpus.one("ec")), item(corpus.one("ed25519")), item(v1)], {
            maxBindings: 2
          }).pipe(Effect.flip)
          expect(error).toEqual(new Errors.CertificateLimitReached({ owner: Ids.ownerKey(ref), limit: 2 }))
          expect((yield* listAll(ref)).total).toBe(0)
          expect(Option.isNone(yield* store.getCertificate(v1.sha256))).toBe(true)

          yield* bind(ref, [item(corpus.one("ec"))], { maxBindings: 2 })
          const second = yield* bind(ref, [item(corpus.one("ed25519"))], { maxBindings: 2 })
          expect(second[0]!.created).toBe(true)
          // Already-bound certificates do not count twice.
          const repeat = yield* bind(ref, [item(corpus.one("ec")), item(corpus.one("ed25519"))], {
            maxBindings: 2
          })
          expect(repeat.map((r) => r.created)).toEqual([false, false])
          const third = yield* bind(ref, [item(corpus.one("ec")), item(corpus.one("ed448"))], {
            maxBindings: 2
          }).pipe(Effect.flip)
          expect(third).toBeInstanceOf(Errors.CertificateLimitReached)
          const after = yield* listAll(ref)
          expect(after.items.map((i) => i.certificate.sha256).sort()).toEqual(
            [corpus.one("ec").sha256, corpus.one("ed25519").sha256].sort()
          )
        }),
      timeout
    )

    it.effect(
      "8 concurrent importers of overlapping sets lose nothing and duplicate nothing",
      () =>
        Effect.gen(function* () {
          const { corpus, owner, bind, listAll, findAll } = yield* setup
          const ref = yield* owner()
          const others = [yield* owner(), yield* owner()]
          const certificates = corpus.cacerts.slice(0, 30)
          // Importer k takes certificates [3k, 3k + 12): each certificate is wanted by up to 4 importers.
          const sets = Array.from({ length: 8 }, (_, k) => certificates.slice(3 * k, 3 * k + 12))
          const results = yield* Effect.all(
            [
              ...sets.map((set, k) =>
                bind(
                  ref,
                  set.map((c) => item(c)),
                  { boundAt: 5000 + k }
                )
              ),
              // Other owners racing on the same certificate rows.
              ...others.map((other) =>
                bind(
                  other,
                  certificates.map((c) => item(c))
                )
              )
            ],
            { concurrency: 8 }
          )
          const union = new Set(sets.flat().map((c) => c.sha256))
          const listed = yield* listAll(ref)
          expect(listed.total).toBe(union.size)
          expect(new Set(listed.items.map((i) => i.certificate.sha256))).toEqual(union)
          const idOf = new Map(listed.items.map((i) => [i.certificate.sha256, i.binding.certificateId]))
          const createdCount = new Map<string, number>()
          for (const result of results.slice(0, 8).flat()) {
            // Every importer got the one binding that exists.
            expect(result.binding.certificateId).toBe(idOf.get(result.binding.sha256))
            if (result.created)
              createdCount.set(result.binding.sha256, (createdCount.get(result.binding.sha256) ?? 0) + 1)
          }
          expect([...createdCount.values()].every((n) => n === 1)).toBe(true)
          expect(createdCount.size).toBe(union.size)
          for (const other of others) expect((yield* listAll(other)).total).toBe(certificates.length)
          for (const certificate of certificates) {
            expect(yield* findAll("sha256", certificate.sha256)).toHaveLength(1)
          }
        }),
      timeout
    )

    it.effect(
      "extreme but valid facts round trip: largest template versions, first and last instants, NUL in a template name",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, listAll } = yield* setup
          const base = corpus.one("templateName")
          // Facts no parsed fixture has, but the domain allows: the store must hold them unchanged.
          const extreme = C.Certificate.make({
            ...base,
            sha256: Ids.Sha256Hex.make(uuid().replaceAll("-", "").toUpperCase().padEnd(64, "F")),
            notBefore: -62_167_219_200_000,
            notAfter: 253_402_300_799_999,
            template: C.Template.make({
              oid: "1.3.6.1.4.1.311.21.8.4294967295",
              majorVersion: 4_294_967_295,
              minorVersion: 4_294_967_295,
              name: "Domain\u0000Controller \u{1F512}"
            }),
            publicKey: C.PublicKey.make({ ...base.publicKey, size: 1_048_576 })
          })
          const ref = yield* owner()
          const [result] = yield* bind(ref, [item(extreme)])
          const got = Option.getOrThrow(yield* store.getBinding(ref, result!.binding.certificateId))
          expect(encodeCertificate(got.certificate)).toEqual(encodeCertificate(extreme))
          const listed = yield* listAll(ref, { notAfterMin: 253_402_300_799_999 })
          expect(listed.items.map((i) => encodeCertificate(i.certificate))).toEqual([
            encodeCertificate(extreme)
          ])
          expect((yield* listAll(ref, { template: "1.3.6.1.4.1.311.21.8.4294967295" })).total).toBe(1)
          expect(Option.map(yield* store.getCertificate(extreme.sha256), encodeCertificate)).toEqual(
            Option.some(encodeCertificate(extreme))
          )
        }),
      timeout
    )

    it.effect(
      "a certificate with a 23,500-character subject binds, lists and sorts by subject",
      () =>
        Effect.gen(function* () {
          const { corpus, owner, bind, listAll } = yield* setup
          const huge = corpus.one("manyNames")
          expect(huge.subject.rfc4514.length).toBeGreaterThan(20_000)
          const ref = yield* owner()
          const certificates = [huge, corpus.one("ec"), corpus.one("rsa"), corpus.one("ed25519")]
          yield* bind(
            ref,
            certificates.map((c) => item(c))
          )
          for (const direction of ["asc", "desc"] as const) {
            const sort = { field: "subject", direction } as const
            const all = yield* listAll(ref, { sort })
            expect(all.total).toBe(4)
            expect(ids(all.items)).toEqual(ids([...all.items].sort(referenceOrder("subject", direction))))
            const first = yield* listAll(ref, { sort, limit: 2 })
            const last = first.items.at(-1)!
            const rest = yield* listAll(ref, {
              sort,
              after: {
                value: CertificateStore.sortValue(last, "subject"),
                certificateId: last.binding.certificateId
              }
            })
            expect([...ids(first.items), ...ids(rest.items)]).toEqual(ids(all.items))
          }
          const [got] = (yield* listAll(ref)).items.filter((i) => i.certificate.sha256 === huge.sha256)
          expect(got!.certificate.subject.rfc4514).toBe(huge.subject.rfc4514)
        }),
      timeout
    )
  })
}
