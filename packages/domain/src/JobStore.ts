/**
 * The background jobs' bookkeeping port, beside (not inside) the CertificateStore: each external IdP's
 * last metadata sync, one record per (binding, threshold) expiry notification, and leases with expiry
 * so several runners (Node workers on one PostgreSQL, Cron invocations on one D1) never run the same
 * piece of work at once. Adapters (memory, SQLite, PostgreSQL, D1) pass the JobStore contract suite in
 * @certory/testing. Storage failures are defects, as in the CertificateStore.
 */
import type { Effect, Option } from "effect"
import { Context, Schema } from "effect"
import { EpochMillis } from "./Certificate.js"
import type { WriteConflict } from "./Errors.js"
import { CertificateId, OwnerRef, Sha256Hex } from "./Ids.js"

/** How a sync ended: new content read, 304 Not Modified, or nothing changed because of `error`. */
export const SyncOutcome = Schema.Literal("synced", "notModified", "failed")
export type SyncOutcome = typeof SyncOutcome.Type

/** The last sync of one IdP's metadata, as recorded on it (and shown by the native API and the CLI). */
export class IdpSync extends Schema.Class<IdpSync>("IdpSync")({
  owner: OwnerRef,
  /** The URL fetched; a different URL on the owner now means the validators below do not apply. */
  metadataUrl: Schema.String,
  at: EpochMillis,
  outcome: SyncOutcome,
  /** The final HTTP status, when a response came. */
  httpStatus: Schema.optional(Schema.Int),
  /** SHA-256 of the certificates this sync bound. */
  added: Schema.Array(Sha256Hex),
  /** Signing certificates of the metadata the IdP could not take because of its certificate limit. */
  refused: Schema.Array(Sha256Hex),
  /** Why nothing changed (outcome "failed"), or what was skipped (expired certificates), in words. */
  error: Schema.optional(Schema.String),
  /** Validators of the last metadata applied, for the next conditional GET. */
  etag: Schema.optional(Schema.String),
  lastModified: Schema.optional(Schema.String),
  /** Not synced again before this instant (interval, `cacheDuration`, `validUntil`, retry delay). */
  nextAt: EpochMillis
}) {}

export const NotificationStatus = Schema.Literal("sent", "failed")
export type NotificationStatus = typeof NotificationStatus.Type

/** One expiry notification of one binding at one threshold: sent, or failed (tried again next run). */
export class NotificationRecord extends Schema.Class<NotificationRecord>("NotificationRecord")({
  certificateId: CertificateId,
  owner: OwnerRef,
  thresholdDays: Schema.Int.pipe(Schema.between(0, 36_500)),
  status: NotificationStatus,
  attempts: Schema.Int.pipe(Schema.positive()),
  at: EpochMillis,
  error: Schema.optional(Schema.String)
}) {}

export interface LeaseRequest {
  /** What is leased (`sync:idp:<store>/<idp>`, `notify`); at most 512 characters. */
  readonly name: string
  /** Who asks: one id per runner process or invocation. */
  readonly holder: string
  readonly now: number
  /** The lease lapses at `now + ttlMillis` unless released or taken again by its holder first. */
  readonly ttlMillis: number
}

export class JobStore extends Context.Tag("@certory/domain/JobStore")<
  JobStore,
  {
    /**
     * Takes the lease when nobody holds it, its holder's lease has lapsed (expiry <= now), or the same
     * holder asks again (renewal). True when taken; atomic across processes sharing the store.
     */
    readonly acquireLease: (request: LeaseRequest) => Effect.Effect<boolean, WriteConflict>
    /** Gives the lease up if `holder` still holds it; otherwise nothing. */
    readonly releaseLease: (name: string, holder: string) => Effect.Effect<void, WriteConflict>

    readonly getIdpSync: (owner: OwnerRef) => Effect.Effect<Option.Option<IdpSync>>
    /** Replaces the IdP's record. Gone with the owner where the store can cascade (the SQL stores). */
    readonly putIdpSync: (sync: IdpSync) => Effect.Effect<void, WriteConflict>

    /** The records of these bindings (any thresholds), in no particular order. At most 1,000 ids. */
    readonly listNotifications: (
      certificateIds: ReadonlyArray<CertificateId>
    ) => Effect.Effect<ReadonlyArray<NotificationRecord>>
    /** Replaces the record of (certificateId, thresholdDays). Gone with the binding in the SQL stores. */
    readonly putNotification: (record: NotificationRecord) => Effect.Effect<void, WriteConflict>
  }
>() {}
