/**
 * The contract's cases about finding a certificate by hash or serial across owners.
 */
import { describe, expect } from "@effect/vitest"
import { Effect } from "effect"
import { type Area, byText, encodeCertificate, item, newProfile } from "./Support.js"

export const register = ({ it, setup, timeout }: Area): void => {
  describe("look-up", () => {
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
  })
}
