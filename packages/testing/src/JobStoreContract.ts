/**
 * The one behaviour every JobStore adapter must show, run unchanged against memory, SQLite, PostgreSQL
 * and D1 (inside workerd: nothing here touches node: or a file system). The layer provides the
 * CertificateStore too, on the same database: sync records belong to IdPs, notification records to
 * bindings, and the last cases run the two jobs themselves, twice at once, over the store.
 *
 * The store is built once per `suite` call and shared by its tests; each test works on owners, bindings
 * and lease names of its own.
 *
 * Usage: JobStoreContract.suite("sqlite", SqliteCertificateStore.layerStores({ filename }))
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import {
  Certificate as C,
  Ids,
  JobStore as Jobs,
  MetadataFetcher,
  MetadataReader,
  Notifier,
  NotifyExpiring,
  Owner as O,
  CertificateStore as Store,
  SyncIdpMetadata
} from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Ref, Schema, TestClock } from "effect"
import { newCertificateId, newIdp, newSmartCard, ownerOf, uuid } from "./contract/Support.js"
import { Corpus, layerCorpus } from "./Fixtures.js"

export interface SuiteOptions {
  /** Per-test timeout in milliseconds. Default 30 000. */
  readonly timeout?: number
}

const DAY = 86_400_000
const encodeSync = Schema.encodeSync(Jobs.IdpSync)
const encodeRecord = Schema.encodeSync(Jobs.NotificationRecord)

const sha = (n: number) => Ids.Sha256Hex.make(n.toString(16).toUpperCase().padStart(64, "0"))

/**
 * A metadata source for the sync job without HTTP or XML: each URL serves a comma-separated list of
 * fixture names, read back as those certificates' DER; every fetch is counted per URL.
 */
const fakeSource = (documents: ReadonlyMap<string, string>, fetches: Ref.Ref<ReadonlyArray<string>>) =>
  Effect.gen(function* () {
    const corpus = yield* Corpus
    const fetcher = MetadataFetcher.MetadataFetcher.of({
      fetch: (url) =>
        Ref.update(fetches, (all) => [...all, url]).pipe(
          // A real fetch yields: let the other runner interleave here.
          Effect.zipRight(Effect.yieldNow()),
          Effect.as({ _tag: "Fetched", status: 200, body: documents.get(url) ?? "" } as const)
        )
    })
    const reader = MetadataReader.MetadataReader.of({
      read: (xml) =>
        Effect.succeed({
          entityId: "urn:contract",
          signingCertificates: xml.split(",").map((name) => corpus.one(name as "rsa").der)
        })
    })
    return Layer.merge(
      Layer.succeed(MetadataFetcher.MetadataFetcher, fetcher),
      Layer.succeed(MetadataReader.MetadataReader, reader)
    )
  })

export const suite = (
  name: string,
  storeLayer: Layer.Layer<Store.CertificateStore | Jobs.JobStore, unknown>,
  options: SuiteOptions = {}
): void => {
  const timeout = options.timeout ?? 30_000
  const fixtures = Layer.merge(
    Layer.provide(layerCorpus, X509CertificateParser.layer),
    X509CertificateParser.layer
  )

  layer(Layer.merge(storeLayer, fixtures), { timeout: `${timeout} millis` })(
    `JobStore contract: ${name}`,
    (it) => {
      /** An IdP (and its identity store) with a metadata URL of its own. */
      const createIdp = (metadataUrl?: string) =>
        Effect.gen(function* () {
          const store = yield* Store.CertificateStore
          const ref = newIdp()
          yield* store.createOwner(ownerOf(Ids.IdentityStoreRef.make({ id: ref.identityStoreId })))
          yield* store.createOwner(
            O.Owner.make({ ...ownerOf(ref), ...(metadataUrl === undefined ? {} : { metadataUrl }) })
          )
          return ref
        })

      describe("leases", () => {
        it.effect(
          "free, held, renewed by its holder, lapsed, released",
          () =>
            Effect.gen(function* () {
              const jobs = yield* Jobs.JobStore
              const lease = `contract:${uuid()}`
              const at = (holder: string, now: number, ttlMillis = 1000) =>
                jobs.acquireLease({ name: lease, holder, now, ttlMillis })
              expect(yield* at("a", 10_000)).toBe(true)
              expect(yield* at("b", 10_500)).toBe(false)
              // Renewal by the holder moves the expiry.
              expect(yield* at("a", 10_900)).toBe(true)
              expect(yield* at("b", 11_000)).toBe(false)
              expect(yield* at("b", 11_899)).toBe(false)
              // Lapsed (expiry <= now): anyone takes it.
              expect(yield* at("b", 11_900)).toBe(true)
              expect(yield* at("a", 11_901)).toBe(false)
              // Released only by its holder.
              yield* jobs.releaseLease(lease, "a")
              expect(yield* at("a", 11_902)).toBe(false)
              yield* jobs.releaseLease(lease, "b")
              expect(yield* at("a", 11_903)).toBe(true)
              // Leases are independent by name.
              expect(
                yield* jobs.acquireLease({ name: `${lease}:other`, holder: "b", now: 11_904, ttlMillis: 5 })
              ).toBe(true)
            }),
          timeout
        )

        it.effect(
          "many holders asking at once: exactly one gets each lease",
          () =>
            Effect.gen(function* () {
              const jobs = yield* Jobs.JobStore
              for (let round = 0; round < 10; round++) {
                const lease = `contract:${uuid()}`
                const taken = yield* Effect.all(
                  Array.from({ length: 6 }, (_, i) =>
                    jobs.acquireLease({ name: lease, holder: `holder-${i}`, now: 50_000, ttlMillis: 60_000 })
                  ),
                  { concurrency: "unbounded" }
                )
                expect(taken.filter(Boolean)).toHaveLength(1)
              }
            }),
          timeout
        )
      })

      describe("sync records", () => {
        it.effect(
          "every field round trips, absent fields stay absent, a put replaces",
          () =>
            Effect.gen(function* () {
              const jobs = yield* Jobs.JobStore
              const ref = yield* createIdp()
              expect(Option.isNone(yield* jobs.getIdpSync(ref))).toBe(true)
              const full = Jobs.IdpSync.make({
                owner: ref,
                metadataUrl: "https://idp.example/metadata?x='1'&y=\"ü\"",
                at: 1_735_689_600_123,
                outcome: "synced",
                httpStatus: 200,
                added: [sha(1), sha(2)],
                refused: [sha(3)],
                error: "1 signing certificate(s) not bound",
                etag: 'W/"abc"',
                lastModified: "Wed, 21 Oct 2015 07:28:00 GMT",
                nextAt: 253_402_300_799_999
              })
              yield* jobs.putIdpSync(full)
              const read = yield* jobs.getIdpSync(ref)
              expect(Option.map(read, encodeSync)).toEqual(Option.some(encodeSync(full)))
              expect(Option.getOrThrow(read)).toBeInstanceOf(Jobs.IdpSync)
              const bare = Jobs.IdpSync.make({
                owner: ref,
                metadataUrl: "http://idp.example/",
                at: 0,
                outcome: "failed",
                added: [],
                refused: [],
                nextAt: 300_000
              })
              yield* jobs.putIdpSync(bare)
              const replaced = Option.getOrThrow(yield* jobs.getIdpSync(ref))
              expect(encodeSync(replaced)).toEqual(encodeSync(bare))
              expect(Object.keys(replaced).sort()).toEqual(Object.keys(bare).sort())
              // Another IdP has no record.
              expect(Option.isNone(yield* jobs.getIdpSync(yield* createIdp()))).toBe(true)
            }),
          timeout
        )
      })

      describe("notification records", () => {
        it.effect(
          "put, replace, and list by binding ids (only those)",
          () =>
            Effect.gen(function* () {
              const jobs = yield* Jobs.JobStore
              const store = yield* Store.CertificateStore
              const corpus = yield* Corpus
              const owner = newSmartCard()
              yield* store.createOwner(ownerOf(owner))
              const bound = yield* store.bind({
                owner,
                items: [corpus.one("rsa"), corpus.one("ec"), corpus.one("ed25519")].map((certificate) => ({
                  certificate,
                  attributes: C.BindingAttributes.make({}),
                  certificateId: newCertificateId()
                })),
                boundBy: "contract",
                boundAt: 1_700_000_000_000
              })
              const [a, b, c] = bound.map((r) => r.binding.certificateId) as [
                Ids.CertificateId,
                Ids.CertificateId,
                Ids.CertificateId
              ]
              expect(yield* jobs.listNotifications([a, b, c])).toEqual([])
              const record = (
                certificateId: Ids.CertificateId,
                thresholdDays: number,
                fields: Partial<ConstructorParameters<typeof Jobs.NotificationRecord>[0]> = {}
              ) =>
                Jobs.NotificationRecord.make({
                  certificateId,
                  owner,
                  thresholdDays,
                  status: "sent",
                  attempts: 1,
                  at: 1_700_000_000_001,
                  ...fields
                })
              const records = [
                record(a, 90),
                record(a, 30, { status: "failed", attempts: 3, error: "webhook answered HTTP 500" }),
                record(b, 7)
              ]
              yield* Effect.forEach(records, jobs.putNotification, { discard: true })
              const key = (r: Jobs.NotificationRecord) => `${r.certificateId}/${r.thresholdDays}`
              const sorted = (rs: ReadonlyArray<Jobs.NotificationRecord>) =>
                [...rs].sort((x, y) => (key(x) < key(y) ? -1 : 1)).map((r) => encodeRecord(r))
              expect(sorted(yield* jobs.listNotifications([a, b, c]))).toEqual(sorted(records))
              expect(sorted(yield* jobs.listNotifications([b]))).toEqual(sorted([records[2]!]))
              expect(yield* jobs.listNotifications([c])).toEqual([])
              expect(yield* jobs.listNotifications([])).toEqual([])
              // Replacing (a, 30): sent on the fourth attempt.
              const resent = record(a, 30, { attempts: 4, at: 1_700_000_000_002 })
              yield* jobs.putNotification(resent)
              expect(sorted(yield* jobs.listNotifications([a]))).toEqual(sorted([records[0]!, resent]))
              const listed = yield* jobs.listNotifications([a])
              expect(listed.every((r) => r instanceof Jobs.NotificationRecord)).toBe(true)
            }),
          timeout
        )
      })

      describe("two runners at once", () => {
        it.effect(
          "each IdP is synced once",
          () =>
            Effect.gen(function* () {
              const store = yield* Store.CertificateStore
              const base = `https://idp.example/${uuid()}`
              const documents = new Map([
                [`${base}/1`, "rsa"],
                [`${base}/2`, "rsa,ed25519"],
                [`${base}/3`, "ec"],
                [`${base}/4`, "ed25519,ec"]
              ])
              const idps = yield* Effect.forEach(documents.keys(), (url) => createIdp(url))
              yield* TestClock.setTime(Date.UTC(2018, 0, 1))
              const fetches = yield* Ref.make<ReadonlyArray<string>>([])
              const source = yield* fakeSource(documents, fetches)
              const run = (holder: string) =>
                SyncIdpMetadata.syncIdpMetadata({ holder }).pipe(Effect.provide(source))
              const [first, second] = yield* Effect.all([run("runner-a"), run("runner-b")], {
                concurrency: 2
              })
              const mine = new Set([...documents.keys()])
              const fetched = (yield* Ref.get(fetches)).filter((url) => mine.has(url))
              expect([...fetched].sort()).toEqual([...mine].sort())
              const statuses = (report: SyncIdpMetadata.Report) =>
                report.idps.filter((r) => idps.some((ref) => Ids.ownerKey(ref) === Ids.ownerKey(r.owner)))
              const synced = [...statuses(first), ...statuses(second)].filter((r) => r.status === "synced")
              expect(synced).toHaveLength(4)
              const jobs = yield* Jobs.JobStore
              for (const [i, ref] of idps.entries()) {
                const names = [...documents.values()][i]!.split(",")
                const held = yield* store.listBindings({
                  owner: ref,
                  sort: { field: "boundAt", direction: "asc" },
                  limit: 10
                })
                expect(held.total).toBe(names.length)
                const record = Option.getOrThrow(yield* jobs.getIdpSync(ref))
                expect(record.outcome).toBe("synced")
                expect(record.added).toHaveLength(names.length)
              }
              // A third run at the same instant: nothing is due.
              const third = yield* run("runner-c")
              expect(statuses(third).every((r) => r.status === "notDue")).toBe(true)
            }),
          timeout
        )

        it.effect(
          "each notification is sent once",
          () =>
            Effect.gen(function* () {
              const store = yield* Store.CertificateStore
              const corpus = yield* Corpus
              const rsa = corpus.one("rsa")
              const owners = [newSmartCard(), newSmartCard(), newSmartCard()]
              for (const owner of owners) {
                yield* store.createOwner(ownerOf(owner))
                yield* store.bind({
                  owner,
                  items: [
                    {
                      certificate: rsa,
                      attributes: C.BindingAttributes.make({}),
                      certificateId: newCertificateId()
                    }
                  ],
                  boundBy: "contract",
                  boundAt: rsa.notBefore
                })
              }
              // 20 days before the certificate expires: the 30-day threshold only.
              yield* TestClock.setTime(rsa.notAfter - 20 * DAY)
              const sent = yield* Ref.make<ReadonlyArray<string>>([])
              const notifier = Notifier.Notifier.of({
                notify: (notice) =>
                  Ref.update(sent, (all) => [
                    ...all,
                    `${notice.item.binding.certificateId}/${notice.thresholdDays}`
                  ]).pipe(Effect.zipRight(Effect.yieldNow()))
              })
              const run = (holder: string) =>
                NotifyExpiring.notifyExpiring({ holder }).pipe(
                  Effect.provideService(Notifier.Notifier, notifier)
                )
              yield* Effect.all([run("runner-a"), run("runner-b")], { concurrency: 2 })
              yield* run("runner-c")
              const all = yield* Ref.get(sent)
              // No (binding, threshold) twice, whoever else's bindings the store holds.
              expect(new Set(all).size).toBe(all.length)
              for (const owner of owners) {
                const held = yield* store.listBindings({
                  owner,
                  sort: { field: "boundAt", direction: "asc" },
                  limit: 10
                })
                const id = held.items[0]!.binding.certificateId
                expect(all.filter((key) => key.startsWith(`${id}/`))).toEqual([`${id}/30`])
              }
            }),
          timeout
        )
      })
    }
  )
}
