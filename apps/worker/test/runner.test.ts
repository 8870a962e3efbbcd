/**
 * The runner without a process around it: `runOnce` reports a job that cannot run as not ok (and keeps
 * going), `runForever` runs each job on its period (TestClock) and, interrupted while a sync is in flight,
 * lets that sync finish and record before it ends.
 */
import { CertificateStore, Ids, JobStore, MetadataFetcher, Notifier, Owner } from "@certory/domain"
import { MemoryCertificateStore, MemoryJobStore } from "@certory/storage-memory"
import { Fixtures } from "@certory/testing"
import { expect, layer } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Layer, Option, Queue, Ref, TestClock } from "effect"
import type { WorkerConfig } from "../src/index.js"
import * as Runner from "../src/Runner.js"
import * as SamlMetadataReader from "../src/SamlMetadataReader.js"
import { fixtures, metadataXml } from "./support.js"

const config: WorkerConfig.WorkerConfig = {
  holder: "runner-test",
  syncEvery: Duration.minutes(5),
  syncInterval: Duration.minutes(5),
  notifyEvery: Duration.hours(1),
  thresholdsDays: [90, 30, 7, 1],
  webhookUrl: Option.none(),
  webhookSecret: Option.none(),
  fetchTimeout: Duration.seconds(10),
  retries: 0,
  maxMetadataBytes: 1_048_576
}

const idp = Ids.IdpRef.make({
  identityStoreId: Ids.IdentityStoreId.make("d-5555555555"),
  idpId: Ids.IdpId.make("idp-r")
})

const createIdp = Effect.gen(function* () {
  const store = yield* CertificateStore.CertificateStore
  const owner = (ref: Ids.OwnerRef, metadataUrl?: string) =>
    store.createOwner(
      Owner.Owner.make({
        ref,
        enabled: true,
        createdAt: 0,
        createdBy: "test",
        ...(metadataUrl === undefined ? {} : { metadataUrl })
      })
    )
  yield* owner(Ids.IdentityStoreRef.make({ id: idp.identityStoreId }))
  yield* owner(idp, "https://idp.runner.example/metadata")
})

/** A fetcher serving `body`, counting fetches, and waiting for `gate` (when given) before answering. */
const fetcher = (
  body: string,
  fetches: Ref.Ref<number>,
  started?: Deferred.Deferred<void>,
  gate?: Deferred.Deferred<void>
) =>
  Layer.succeed(
    MetadataFetcher.MetadataFetcher,
    MetadataFetcher.MetadataFetcher.of({
      fetch: () =>
        Effect.gen(function* () {
          yield* Ref.update(fetches, (n) => n + 1)
          if (started !== undefined) yield* Deferred.succeed(started, undefined)
          if (gate !== undefined) yield* Deferred.await(gate)
          return { _tag: "Fetched", status: 200, body } as const
        })
    })
  )

const stores = () => Layer.merge(MemoryCertificateStore.layer, MemoryJobStore.layer)

layer(Layer.mergeAll(fixtures, SamlMetadataReader.layer(), Notifier.layer(Notifier.makeLog())))(
  "Runner",
  (it) => {
    it.effect("runOnce: a job that cannot run is not ok, the other still runs", () =>
      Effect.gen(function* () {
        const broken = Layer.succeed(
          JobStore.JobStore,
          JobStore.JobStore.of({
            acquireLease: () => Effect.succeed(true),
            releaseLease: () => Effect.void,
            getIdpSync: () => Effect.dieMessage("the database went away"),
            putIdpSync: () => Effect.void,
            listNotifications: () => Effect.succeed([]),
            putNotification: () => Effect.void
          })
        )
        const fetches = yield* Ref.make(0)
        const results = yield* Effect.gen(function* () {
          yield* createIdp
          return yield* Runner.runOnce(config)
        }).pipe(Effect.provide(Layer.mergeAll(MemoryCertificateStore.layer, broken, fetcher("", fetches))))
        expect(results.map((r) => [r.job, r.ok])).toEqual([
          ["sync", false],
          ["notify", true]
        ])
        expect(results[0]!.lines[0]).toMatch(/^sync: could not run: .*the database went away/)
      })
    )

    it.effect("runForever: each job on its period; interrupted mid-sync, the sync finishes and records", () =>
      Effect.gen(function* () {
        const corpus = yield* Fixtures.Corpus
        yield* createIdp
        const fetches = yield* Ref.make(0)
        const started = yield* Deferred.make<void>()
        const gate = yield* Deferred.make<void>()
        const reported = yield* Ref.make<ReadonlyArray<string>>([])
        const body = metadataXml([corpus.one("ec").der])
        // First: a free-running loop, to see the periods. The clock moves only once the jobs due so far
        // have reported: a job's work awaits real promises (the parser's digests), and a clock moved past
        // a job still at work would have it schedule its next run from the later time.
        const reports = yield* Queue.unbounded<string>()
        const loop = yield* Effect.fork(
          Runner.runForever(config, (r) => Queue.offer(reports, r.job)).pipe(
            Effect.provide(fetcher(body, fetches))
          )
        )
        const next = Queue.take(reports)
        // t=0: sync, notify; t=5m: sync (the IdP's 5-minute interval is due); t=10m: sync; nothing by 12m.
        expect([yield* next, yield* next]).toEqual(["sync", "notify"])
        yield* TestClock.adjust(Duration.minutes(5))
        expect(yield* next).toBe("sync")
        yield* TestClock.adjust(Duration.minutes(5))
        expect(yield* next).toBe("sync")
        yield* TestClock.adjust(Duration.minutes(2))
        yield* Fiber.interrupt(loop)
        expect(yield* Queue.size(reports)).toBe(0)
        expect(yield* Ref.get(fetches)).toBe(3)

        // Then: interrupted while a fetch is in flight.
        yield* TestClock.adjust(Duration.minutes(10))
        const inFlight = yield* Effect.fork(
          Runner.runForever(config, (r) => Ref.update(reported, (all) => [...all, `late ${r.job}`])).pipe(
            Effect.provide(fetcher(body, fetches, started, gate))
          )
        )
        yield* Deferred.await(started)
        const stopping = yield* Effect.fork(Fiber.interrupt(inFlight))
        yield* Effect.yieldNow()
        expect((yield* Ref.get(reported)).includes("late sync")).toBe(false)
        yield* Deferred.succeed(gate, undefined)
        yield* Fiber.join(stopping)
        expect((yield* Ref.get(reported)).at(-1)).toBe("late sync")
        const jobs = yield* JobStore.JobStore
        const record = Option.getOrThrow(yield* jobs.getIdpSync(idp))
        expect(record.at).toBe(22 * 60_000)
        expect(record.outcome).toBe("synced")
      }).pipe(Effect.provide(stores()))
    )
  }
)
