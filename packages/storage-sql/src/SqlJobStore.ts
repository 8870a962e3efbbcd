/**
 * The JobStore port over an @effect/sql client: one implementation for SQLite, PostgreSQL and
 * Cloudflare D1, on the tables of migration 6. A lease is ONE upsert that takes the row only when it is
 * free, lapsed or the caller's own, its outcome read from its own RETURNING rows, so concurrent callers
 * (processes, Cron invocations) get it exactly once; the same statement on every dialect. Records are
 * the domain's Schema encodings as JSON. Writes run through the atomic batch, retries and WriteConflict
 * of the other SQL stores; infrastructure failures and undecodable rows are defects.
 */
import { Ids, JobStore } from "@certory/domain"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Rows from "./Rows.js"
import * as SqlStore from "./SqlStore.js"

type Row = Rows.Row

export type Options = SqlStore.Options

const decodeSync = Schema.decodeUnknownSync(Rows.IdpSyncJson)
const encodeSync = Schema.encodeSync(Rows.IdpSyncJson)
const decodeNotification = Schema.decodeUnknownSync(Rows.NotificationJson)
const encodeNotification = Schema.encodeSync(Rows.NotificationJson)

/** The most binding ids one listNotifications takes (one bound JSON parameter, well under D1's 2 MB). */
export const MAX_IDS = 1000

export const make = (
  options: Options = {}
): Effect.Effect<JobStore.JobStore["Type"], never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const { sql, batch, query } = yield* SqlStore.context(options)
    const jsonList = (values: ReadonlyArray<string>) =>
      sql.onDialectOrElse({
        pg: () => sql`SELECT jsonb_array_elements_text(CAST(${JSON.stringify(values)} AS jsonb))`,
        orElse: () => sql`SELECT value FROM json_each(${JSON.stringify(values)})`
      })

    const acquireLease = (request: JobStore.LeaseRequest) =>
      batch([
        sql<Row>`INSERT INTO job_leases (name, holder, expires_at)
          VALUES (${request.name}, ${request.holder}, ${request.now + request.ttlMillis})
          ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE job_leases.expires_at <= ${request.now} OR job_leases.holder = excluded.holder
          RETURNING holder`
      ]).pipe(Effect.map(([rows]) => rows?.length === 1))

    const releaseLease = (name: string, holder: string) =>
      batch([sql<Row>`DELETE FROM job_leases WHERE name = ${name} AND holder = ${holder}`]).pipe(
        Effect.asVoid
      )

    const getIdpSync = (owner: Ids.OwnerRef) =>
      query(sql<Row>`SELECT record_json FROM idp_syncs WHERE owner_key = ${Ids.ownerKey(owner)}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => decodeSync(row.record_json)))
      )

    // Only while the owner exists: a record of a removed IdP has nowhere to go and is dropped.
    const putIdpSync = (sync: JobStore.IdpSync) => {
      const key = Ids.ownerKey(sync.owner)
      return batch([
        sql<Row>`INSERT INTO idp_syncs (owner_key, record_json)
          SELECT CAST(${key} AS TEXT), CAST(${encodeSync(sync)} AS TEXT) WHERE EXISTS (SELECT 1 FROM owners WHERE owner_key = ${key})
          ON CONFLICT (owner_key) DO UPDATE SET record_json = excluded.record_json`
      ]).pipe(Effect.asVoid)
    }

    const listNotifications = (certificateIds: ReadonlyArray<Ids.CertificateId>) =>
      certificateIds.length === 0
        ? Effect.succeed([])
        : certificateIds.length > MAX_IDS
          ? Effect.dieMessage(`listNotifications takes at most ${MAX_IDS} ids`)
          : query(
              sql<Row>`SELECT record_json FROM notifications
                WHERE certificate_id IN (${jsonList(certificateIds)})`
            ).pipe(Effect.map((rows) => rows.map((row) => decodeNotification(row.record_json))))

    // Only while the binding exists (a binding removed meanwhile takes its records with it).
    const putNotification = (record: JobStore.NotificationRecord) =>
      batch([
        sql<Row>`INSERT INTO notifications (certificate_id, threshold_days, record_json)
          SELECT CAST(${record.certificateId} AS TEXT), CAST(${record.thresholdDays} AS INTEGER),
            CAST(${encodeNotification(record)} AS TEXT)
          WHERE EXISTS (SELECT 1 FROM bindings WHERE certificate_id = ${record.certificateId})
          ON CONFLICT (certificate_id, threshold_days) DO UPDATE SET record_json = excluded.record_json`
      ]).pipe(Effect.asVoid)

    return JobStore.JobStore.of({
      acquireLease,
      releaseLease,
      getIdpSync,
      putIdpSync,
      listNotifications,
      putNotification
    })
  })

/** The store over whatever SqlClient is provided; the caller runs the migrations first. */
export const layer = (options: Options = {}): Layer.Layer<JobStore.JobStore, never, SqlClient.SqlClient> =>
  Layer.effect(JobStore.JobStore, make(options))
