/**
 * The in-memory JobStore: the reference semantics the JobStore contract suite holds the SQL adapters
 * to. Each write is one `Ref.modify`/`Ref.update` of an immutable state, so it is atomic. It does not
 * see the CertificateStore: records of a removed owner or binding stay (harmless, as binding ids are
 * never reused) where the SQL stores cascade them away.
 */
import { type Ids, JobStore as Store } from "@certory/domain"
import { Effect, Layer, Option, Ref } from "effect"

interface Lease {
  readonly holder: string
  readonly expiresAt: number
}

interface State {
  readonly leases: ReadonlyMap<string, Lease>
  readonly syncs: ReadonlyMap<string, Store.IdpSync>
  /** `<certificateId>/<thresholdDays>` -> record. */
  readonly notifications: ReadonlyMap<string, Store.NotificationRecord>
}

const empty: State = { leases: new Map(), syncs: new Map(), notifications: new Map() }

/** The owner's canonical key, without importing the domain's helper into the state's types. */
const key = (ref: Ids.OwnerRef): string => JSON.stringify(ref)

/** Build the layer once and share it: each build is a new, empty store. */
export const make = Effect.gen(function* () {
  const state = yield* Ref.make(empty)

  return Store.JobStore.of({
    acquireLease: ({ name, holder, now, ttlMillis }) =>
      Ref.modify(state, (s): readonly [boolean, State] => {
        const current = s.leases.get(name)
        if (current !== undefined && current.holder !== holder && current.expiresAt > now) return [false, s]
        return [true, { ...s, leases: new Map(s.leases).set(name, { holder, expiresAt: now + ttlMillis }) }]
      }),

    releaseLease: (name, holder) =>
      Ref.update(state, (s) => {
        if (s.leases.get(name)?.holder !== holder) return s
        const leases = new Map(s.leases)
        leases.delete(name)
        return { ...s, leases }
      }),

    getIdpSync: (owner) =>
      Ref.get(state).pipe(Effect.map((s) => Option.fromNullable(s.syncs.get(key(owner))))),

    putIdpSync: (sync) =>
      Ref.update(state, (s) => ({ ...s, syncs: new Map(s.syncs).set(key(sync.owner), sync) })),

    listNotifications: (certificateIds) =>
      Ref.get(state).pipe(
        Effect.map((s) => {
          const wanted = new Set<string>(certificateIds)
          return [...s.notifications.values()].filter((r) => wanted.has(r.certificateId))
        })
      ),

    putNotification: (record) =>
      Ref.update(state, (s) => ({
        ...s,
        notifications: new Map(s.notifications).set(`${record.certificateId}/${record.thresholdDays}`, record)
      }))
  })
})

/** A fresh, empty store per build. */
export const layer: Layer.Layer<Store.JobStore> = Layer.effect(Store.JobStore, make)
