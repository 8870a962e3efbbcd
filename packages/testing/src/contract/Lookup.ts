/**
 * The contract's cases about finding a certificate by hash or serial across owners.
 */
import { Ids } from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect } from "effect"
import {
  type Area,
  byText,
  encodeCertificate,
  item,
  newIdentityStoreId,
  newIdp,
  newProfile
} from "./Support.js"

export const register = ({ it, setup, timeout }: Area): void => {
  describe("look-up", () => {
    it.effect(
      "a version 4 certificate (the parser reads it, with a warning) round-trips with its version",
      () =>
        Effect.gen(function* () {
          const { corpus, owner, bind, findAll } = yield* setup
          const v4 = corpus.one("v4")
          expect(v4.version).toBe(4)
          const ref = yield* owner()
          yield* bind(ref, [item(v4)])
          const [found] = yield* findAll("sha256", v4.sha256)
          expect(found!.certificate.version).toBe(4)
          expect(encodeCertificate(found!.certificate)).toEqual(encodeCertificate(v4))
        }),
      timeout
    )
    it.effect(
      "find by sha1, sha256, spkiSha256 and serial returns the certificate with its bindings across owners",
      () =>
        Effect.gen(function* () {
          const { corpus, owner, bind, findAll } = yield* setup
          const a = yield* owner()
          const b = yield* owner(newProfile())
          const negative = corpus.one("negativeSerial")
          const adcs = corpus.one("adcsSerial")
          const [ba] = yield* bind(a, [item(negative)])
          const [bb] = yield* bind(b, [item(negative)])
          yield* bind(b, [item(adcs)])
          expect(negative.serial.hex.startsWith("-")).toBe(true)
          for (const [kind, value] of [
            ["sha1", negative.sha1],
            ["sha256", negative.sha256],
            ["spkiSha256", negative.spkiSha256],
            ["serial", negative.serial.hex]
          ] as const) {
            const found = yield* findAll(kind, value)
            const hit = found.find((f) => f.certificate.sha256 === negative.sha256)
            expect(hit, `${kind} ${value}`).toBeDefined()
            expect(encodeCertificate(hit!.certificate)).toEqual(encodeCertificate(negative))
            for (const f of found) {
              const field = kind === "serial" ? f.certificate.serial.hex : f.certificate[kind]
              expect(field).toBe(value)
            }
            const ownIds = hit!.bindings
              .map((x) => x.certificateId)
              .filter((x) => x === ba!.binding.certificateId || x === bb!.binding.certificateId)
            expect(ownIds.sort(byText)).toEqual(
              [ba!.binding.certificateId, bb!.binding.certificateId].sort(byText)
            )
          }
          const bySerial = yield* findAll("serial", adcs.serial.hex)
          expect(bySerial.map((f) => f.certificate.sha256)).toContain(adcs.sha256)
          // Exact match only: no prefix, no other spelling.
          expect(yield* findAll("sha256", negative.sha256.slice(0, 63))).toEqual([])
          expect(yield* findAll("sha1", negative.sha1.toLowerCase())).toEqual([])
          expect(yield* findAll("serial", `${adcs.serial.windows.replace(/^0+/, "")}0`)).toEqual([])
        }),
      timeout
    )

    it.effect(
      "find within a scope: only the scope's bindings, in (SHA-256, certificate id) pages; none outside is revealed",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind } = yield* setup
          const certificate = corpus.one("ed448")
          const hidden = corpus.one("rsaPss")
          const storeId = newIdentityStoreId()
          const inScope = [
            yield* owner(),
            yield* owner(newProfile()),
            yield* owner(Ids.IdentityStoreRef.make({ id: storeId })),
            yield* owner(newIdp(storeId))
          ]
          const outside = [yield* owner(), yield* owner(newIdp())]
          for (const ref of [...inScope, ...outside]) yield* bind(ref, [item(certificate)])
          yield* bind(outside[0]!, [item(hidden)])
          const scope = { owners: inScope.slice(0, 2), identityStoreIds: [storeId] }
          const keys = [{ kind: "sha1" as const, value: certificate.sha1 }]
          const all = yield* store.find({ keys, scope, limit: 100 })
          expect(all.total).toBe(4)
          expect(all.items.map((i) => Ids.ownerKey(i.binding.owner)).sort(byText)).toEqual(
            inScope.map(Ids.ownerKey).sort(byText)
          )
          expect(all.items.map((i) => i.binding.certificateId)).toEqual(
            all.items.map((i) => i.binding.certificateId).sort(byText)
          )
          const first = yield* store.find({ keys, scope, limit: 3 })
          const last = first.items.at(-1)!
          const second = yield* store.find({
            keys,
            scope,
            limit: 3,
            after: { sha256: last.certificate.sha256, certificateId: last.binding.certificateId }
          })
          expect([...first.items, ...second.items].map((i) => i.binding.certificateId)).toEqual(
            all.items.map((i) => i.binding.certificateId)
          )
          expect(second.total).toBe(4)
          // Held only outside the scope: not found at all, by any key.
          const none = yield* store.find({
            keys: [
              { kind: "sha256", value: hidden.sha256 },
              { kind: "serial", value: hidden.serial.hex }
            ],
            scope,
            limit: 100
          })
          expect(none).toEqual({ items: [], total: 0 })
          // Several keys at once: a match on any of them.
          const either = yield* store.find({
            keys: [
              { kind: "sha256", value: "00".repeat(32) },
              { kind: "spkiSha256", value: certificate.spkiSha256 }
            ],
            scope,
            limit: 100
          })
          expect(either.total).toBe(4)
        }),
      timeout
    )
  })
}
