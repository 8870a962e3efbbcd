/**
 * notifyExpiring over the memory stores with TestClock and a recording notifier: each threshold once,
 * only the tightest for a certificate imported late, failures recorded and retried on the next run,
 * certificates not valid now left alone, thresholds checked.
 */
import {
  Certificate,
  Errors,
  Ids,
  Notifier,
  NotifyExpiring,
  CertificateStore as Store
} from "@certory/domain"
import { MemoryJobStore } from "@certory/storage-memory"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Ref, TestClock } from "effect"

const { BindingAttributes } = Certificate

import { Corpus, card, createOwners, fixture, fresh, importAs, shared } from "../support.js"

const DAY = 86_400_000

/** A notifier that records `<certificateId>/<threshold>` and fails while `failing` is set. */
const recording = Effect.gen(function* () {
  const sent = yield* Ref.make<ReadonlyArray<string>>([])
  const failing = yield* Ref.make(false)
  const notifier = Notifier.Notifier.of({
    notify: (notice) =>
      Effect.gen(function* () {
        if (yield* Ref.get(failing))
          return yield* new Notifier.NotificationFailed({ message: "receiver down" })
        yield* Ref.update(sent, (all) => [
          ...all,
          `${notice.item.binding.certificateId}/${notice.thresholdDays}`
        ])
      })
  })
  return { sent, failing, notifier }
})

const run = (notifier: Notifier.Notifier["Type"], thresholdsDays?: ReadonlyArray<number>) =>
  NotifyExpiring.notifyExpiring({
    holder: "test",
    ...(thresholdsDays === undefined ? {} : { thresholdsDays })
  }).pipe(Effect.provideService(Notifier.Notifier, notifier))

const withJobs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  fresh(Effect.provide(effect, MemoryJobStore.layer))

layer(shared)("notifyExpiring", (it) => {
  describe("thresholds", () => {
    it.effect("each threshold fires once, as time passes", () =>
      withJobs(
        Effect.gen(function* () {
          const rsa = (yield* Corpus).one("rsa")
          yield* createOwners(card(1))
          yield* TestClock.setTime(rsa.notAfter - 200 * DAY)
          const [imported] = yield* importAs(card(1), fixture("rsa"))
          const id = imported!.binding.certificateId
          const { sent, notifier } = yield* recording
          const expected: Array<string> = []
          // Far out: nothing. Then each threshold once, however often the job runs.
          for (const [daysLeft, threshold] of [
            [120, undefined],
            [90, 90],
            [89, undefined],
            [31, undefined],
            [30, 30],
            [12, undefined],
            [7, 7],
            [2, undefined],
            [1, 1],
            [0.5, undefined]
          ] as const) {
            yield* TestClock.setTime(rsa.notAfter - daysLeft * DAY)
            const report = yield* run(notifier)
            expect(report.ran).toBe(true)
            if (threshold !== undefined) expected.push(`${id}/${threshold}`)
            expect(yield* Ref.get(sent)).toEqual(expected)
            yield* run(notifier)
            expect(yield* Ref.get(sent)).toEqual(expected)
          }
          // Expired: never again.
          yield* TestClock.setTime(rsa.notAfter + DAY)
          yield* run(notifier)
          expect(yield* Ref.get(sent)).toEqual(expected)
        })
      )
    )

    it.effect("a certificate imported already inside 30 days gets the 30-day notice only", () =>
      withJobs(
        Effect.gen(function* () {
          const rsa = (yield* Corpus).one("rsa")
          yield* createOwners(card(1))
          yield* TestClock.setTime(rsa.notAfter - 20 * DAY)
          const [imported] = yield* importAs(card(1), fixture("rsa"))
          const id = imported!.binding.certificateId
          const { sent, notifier } = yield* recording
          const report = yield* run(notifier)
          expect(report).toEqual({ ran: true, considered: 1, sent: 1, failed: 0, alreadySent: 0 })
          expect(yield* Ref.get(sent)).toEqual([`${id}/30`])
          yield* TestClock.setTime(rsa.notAfter - 3 * DAY)
          yield* run(notifier)
          expect(yield* Ref.get(sent)).toEqual([`${id}/30`, `${id}/7`])
        })
      )
    )

    it.effect("configured thresholds replace the defaults", () =>
      withJobs(
        Effect.gen(function* () {
          const rsa = (yield* Corpus).one("rsa")
          yield* createOwners(card(1))
          yield* TestClock.setTime(rsa.notAfter - 50 * DAY)
          const [imported] = yield* importAs(card(1), fixture("rsa"))
          const { sent, notifier } = yield* recording
          yield* run(notifier, [14, 60])
          expect(yield* Ref.get(sent)).toEqual([`${imported!.binding.certificateId}/60`])
        })
      )
    )

    it.effect("certificates not valid now are left alone", () =>
      withJobs(
        Effect.gen(function* () {
          const corpus = yield* Corpus
          const future = corpus.one("notYetValid")
          yield* createOwners(card(1), card(2))
          // The day before it is valid, 92 days before its end: within a 100-day threshold.
          yield* TestClock.setTime(future.notBefore - DAY)
          yield* importAs(card(1), fixture("notYetValid"))
          yield* importAs(card(2), fixture("expired"))
          const { sent, notifier } = yield* recording
          const report = yield* run(notifier, [100])
          expect(yield* Ref.get(sent)).toEqual([])
          expect(report.sent).toBe(0)
          // Once valid, it is.
          yield* TestClock.setTime(future.notBefore + DAY)
          expect(yield* run(notifier, [100])).toMatchObject({ sent: 1 })
        })
      )
    )

    it.effect("bad thresholds are InvalidRequest", () =>
      withJobs(
        Effect.gen(function* () {
          const { notifier } = yield* recording
          for (const bad of [[], [0], [-1], [1.5], [36_501], [Number.NaN]]) {
            const error = yield* Effect.flip(run(notifier, bad))
            expect(error).toBeInstanceOf(Errors.InvalidRequest)
          }
        })
      )
    )
  })

  describe("failures", () => {
    it.effect("a failed notice is recorded and sent on the next run", () =>
      withJobs(
        Effect.gen(function* () {
          const rsa = (yield* Corpus).one("rsa")
          yield* createOwners(card(1))
          yield* TestClock.setTime(rsa.notAfter - 5 * DAY)
          const [imported] = yield* importAs(card(1), fixture("rsa"))
          const id = imported!.binding.certificateId
          const { sent, failing, notifier } = yield* recording
          yield* Ref.set(failing, true)
          expect(yield* run(notifier)).toMatchObject({ sent: 0, failed: 1 })
          expect(yield* run(notifier)).toMatchObject({ sent: 0, failed: 1 })
          yield* Ref.set(failing, false)
          expect(yield* run(notifier)).toMatchObject({ sent: 1, failed: 0 })
          expect(yield* run(notifier)).toMatchObject({ sent: 0, alreadySent: 1 })
          expect(yield* Ref.get(sent)).toEqual([`${id}/7`])
        })
      )
    )

    it.effect("a receiver failing notice after notice stops the run; the next run sends everything", () =>
      withJobs(
        Effect.gen(function* () {
          const corpus = yield* Corpus
          const at = Date.UTC(2020, 0, 1)
          const valid = corpus.cacerts.filter((c) => c.notBefore <= at && c.notAfter >= at).slice(0, 7)
          expect(valid).toHaveLength(7)
          yield* createOwners(card(1))
          yield* TestClock.setTime(at)
          yield* Effect.flatMap(Store.CertificateStore, (store) =>
            store.bind({
              owner: card(1),
              items: valid.map((certificate) => ({
                certificate,
                attributes: BindingAttributes.make({}),
                certificateId: Ids.CertificateId.make(globalThis.crypto.randomUUID())
              })),
              boundBy: "test",
              boundAt: at
            })
          )
          const { sent, failing, notifier } = yield* recording
          yield* Ref.set(failing, true)
          const stopped = yield* run(notifier, [36_500])
          expect(stopped).toMatchObject({ sent: 0, failed: 5 })
          expect(stopped.stopped).toMatch(/5 notices failed in a row/)
          yield* Ref.set(failing, false)
          expect(yield* run(notifier, [36_500])).toMatchObject({ sent: 7, failed: 0 })
          expect(new Set(yield* Ref.get(sent)).size).toBe(7)
        })
      )
    )
  })
})
