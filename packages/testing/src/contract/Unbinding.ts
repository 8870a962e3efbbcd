/**
 * The contract's cases about unbinding one owner's certificate, the last-valid guard, and removing an owner with its bindings.
 */
import { Errors, Ids } from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect, Option } from "effect"
import { type Area, encodeBinding, item, newIdp, newSmartCard } from "./Support.js"

export const register = ({ it, setup, timeout }: Area): void => {
  describe("unbinding", () => {
    it.effect(
      "unbind removes one owner's binding; the certificate stays for the others",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, listAll, findAll } = yield* setup
          const a = yield* owner()
          const b = yield* owner()
          const certificate = corpus.one("ed448")
          const [ba] = yield* bind(a, [item(certificate)])
          const [bb] = yield* bind(b, [item(certificate)])
          const removed = yield* store.unbind({ owner: a, certificateId: ba!.binding.certificateId })
          expect(encodeBinding(removed)).toEqual(encodeBinding(ba!.binding))
          expect(Option.isNone(yield* store.getBinding(a, ba!.binding.certificateId))).toBe(true)
          expect((yield* listAll(a)).total).toBe(0)
          expect(Option.isSome(yield* store.getBinding(b, bb!.binding.certificateId))).toBe(true)
          expect(Option.isSome(yield* store.getCertificate(certificate.sha256))).toBe(true)
          const found = yield* findAll("sha256", certificate.sha256)
          const owners = found.flatMap((f) => f.bindings.map((x) => Ids.ownerKey(x.owner)))
          expect(owners).toContain(Ids.ownerKey(b))
          expect(owners).not.toContain(Ids.ownerKey(a))

          const again = yield* store
            .unbind({ owner: a, certificateId: ba!.binding.certificateId })
            .pipe(Effect.flip)
          expect(again).toEqual(
            new Errors.CertificateNotFound({
              owner: Ids.ownerKey(a),
              certificateId: ba!.binding.certificateId
            })
          )
          // b's binding id does not unbind anything through a.
          const foreign = yield* store
            .unbind({ owner: a, certificateId: bb!.binding.certificateId })
            .pipe(Effect.flip)
          expect(foreign).toBeInstanceOf(Errors.CertificateNotFound)
          const unknown = newSmartCard()
          const noOwner = yield* store
            .unbind({ owner: unknown, certificateId: bb!.binding.certificateId })
            .pipe(Effect.flip)
          expect(noOwner).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(unknown) }))
          // Rebinding after an unbind creates a new binding.
          const [rebound] = yield* bind(a, [item(certificate)])
          expect(rebound!.created).toBe(true)
        }),
      timeout
    )

    it.effect(
      "keepLastValidAt refuses removing the last certificate valid at that instant (bounds inclusive)",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind } = yield* setup
          const ref = yield* owner(newIdp())
          const dc = corpus.one("templateName") // 2024-04-19 .. 2025-04-19
          const ec = corpus.one("ec") // 2013 .. 2038
          const expired = corpus.one("expired") // 2016 .. 2021
          const [bdc, bec, bexpired] = yield* bind(ref, [item(dc), item(ec), item(expired)])
          const t = dc.notAfter
          // Two valid at t: removing one of them is fine... but first, an expired one is always removable.
          yield* store.unbind({
            owner: ref,
            certificateId: bexpired!.binding.certificateId,
            keepValid: { from: t, until: t }
          })
          yield* store.unbind({
            owner: ref,
            certificateId: bec!.binding.certificateId,
            keepValid: { from: t, until: t }
          })
          // dc is valid at exactly its notAfter, and now the only one.
          const refused = yield* store
            .unbind({
              owner: ref,
              certificateId: bdc!.binding.certificateId,
              keepValid: { from: t, until: t }
            })
            .pipe(Effect.flip)
          expect(refused).toEqual(
            new Errors.LastValidCertificate({
              owner: Ids.ownerKey(ref),
              certificateId: bdc!.binding.certificateId
            })
          )
          expect(Option.isSome(yield* store.getBinding(ref, bdc!.binding.certificateId))).toBe(true)
          const atStart = yield* store
            .unbind({
              owner: ref,
              certificateId: bdc!.binding.certificateId,
              keepValid: { from: dc.notBefore, until: dc.notBefore }
            })
            .pipe(Effect.flip)
          expect(atStart).toBeInstanceOf(Errors.LastValidCertificate)
          // One millisecond later it has expired, so removing it leaves nothing valid to protect.
          yield* store.unbind({
            owner: ref,
            certificateId: bdc!.binding.certificateId,
            keepValid: { from: t + 1, until: t + 1 }
          })
          expect(Option.isNone(yield* store.getBinding(ref, bdc!.binding.certificateId))).toBe(true)

          // Without keepLastValidAt the last one goes.
          const other = yield* owner()
          const [only] = yield* bind(other, [item(ec)])
          yield* store.unbind({ owner: other, certificateId: only!.binding.certificateId })
          expect(Option.isNone(yield* store.getBinding(other, only!.binding.certificateId))).toBe(true)
        }),
      timeout
    )

    it.effect(
      "removeOwner cascades to its bindings, not to certificates other owners hold",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, findAll } = yield* setup
          const gone = yield* owner()
          const stays = yield* owner()
          const certificate = corpus.one("rsaPss")
          const [bGone] = yield* bind(gone, [item(certificate), item(corpus.one("ec"))])
          const [bStays] = yield* bind(stays, [item(certificate)])
          yield* store.removeOwner(gone)
          expect(Option.isNone(yield* store.getBinding(gone, bGone!.binding.certificateId))).toBe(true)
          const error = yield* store
            .listBindings({ owner: gone, sort: { field: "boundAt", direction: "asc" }, limit: 10 })
            .pipe(Effect.flip)
          expect(error).toBeInstanceOf(Errors.OwnerNotFound)
          const found = yield* findAll("sha256", certificate.sha256)
          const owners = found.flatMap((f) => f.bindings.map((x) => Ids.ownerKey(x.owner)))
          expect(owners).not.toContain(Ids.ownerKey(gone))
          expect(owners).toContain(Ids.ownerKey(stays))
          expect(Option.isSome(yield* store.getBinding(stays, bStays!.binding.certificateId))).toBe(true)
          // The owner can be created again, empty.
          yield* owner(gone)
          const fresh = yield* store.listBindings({
            owner: gone,
            sort: { field: "boundAt", direction: "asc" },
            limit: 10
          })
          expect(fresh.total).toBe(0)
          const expiring = yield* store.listExpiring({
            notAfterMax: Number.MAX_SAFE_INTEGER,
            limit: 1_000_000
          })
          expect(expiring.items.some((i) => Ids.ownerKey(i.binding.owner) === Ids.ownerKey(gone))).toBe(false)
        }),
      timeout
    )
  })
}
