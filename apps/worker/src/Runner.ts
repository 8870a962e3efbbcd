/**
 * The job runner: the sync and the notification job, once each (`runOnce`) or on their periods until
 * interrupted (`runForever`; SIGTERM / SIGINT interrupt the main fiber in Node). A job in flight is
 * never cut short: it runs on a fiber of its own and an interruption waits for it to finish. A job's
 * failure (a store that cannot be reached, a defect) is a result, never the end of the loop; an IdP
 * whose sync failed is a line of the sync's result, not a failure of the job.
 */
import {
  type CertificateParser,
  type CertificateStore,
  Ids,
  type JobStore,
  type MetadataFetcher,
  type MetadataReader,
  type Notifier,
  NotifyExpiring,
  SyncIdpMetadata
} from "@certory/domain"
import { Cause, Duration, Effect, Exit, Fiber } from "effect"
import type { WorkerConfig } from "./WorkerConfig.js"

export type JobName = "sync" | "notify"

export interface JobResult {
  readonly job: JobName
  /** False when the job could not run at all (its per-IdP failures do not count). */
  readonly ok: boolean
  /** One line per thing worth saying: the job's summary first. */
  readonly lines: ReadonlyArray<string>
}

export type Requirements =
  | CertificateStore.CertificateStore
  | JobStore.JobStore
  | CertificateParser.CertificateParser
  | MetadataFetcher.MetadataFetcher
  | MetadataReader.MetadataReader
  | Notifier.Notifier

const idpLine = (r: SyncIdpMetadata.IdpReport): string => {
  const parts = [`sync ${Ids.ownerKey(r.owner)}: ${r.status}`]
  if (r.httpStatus !== undefined) parts.push(`HTTP ${r.httpStatus}`)
  if (r.added.length > 0) parts.push(`${r.added.length} added`)
  if (r.refused.length > 0) parts.push(`${r.refused.length} refused (limit): ${r.refused.join(", ")}`)
  if (r.error !== undefined) parts.push(r.error)
  return parts.join(", ")
}

const sync = (config: WorkerConfig) =>
  SyncIdpMetadata.syncIdpMetadata({
    holder: config.holder,
    intervalMillis: Duration.toMillis(config.syncInterval),
    retryMillis: Math.min(Duration.toMillis(config.syncInterval), 300_000)
  }).pipe(
    Effect.map((report) => {
      const count = (s: SyncIdpMetadata.Status) => report.idps.filter((r) => r.status === s).length
      return [
        `sync: ${report.idps.length} IdP(s) with metadata: ${count("synced")} synced, ${count("notModified")} not modified, ${count("failed")} failed, ${count("notDue")} not due, ${count("busy")} busy elsewhere`,
        ...report.idps.filter((r) => r.status !== "notDue" && r.status !== "busy").map(idpLine)
      ]
    })
  )

const notify = (config: WorkerConfig) =>
  NotifyExpiring.notifyExpiring({ holder: config.holder, thresholdsDays: config.thresholdsDays }).pipe(
    Effect.map((r) => [
      r.ran
        ? `notify: ${r.considered} certificate(s) within ${Math.max(...config.thresholdsDays)} days: ${r.sent} sent, ${r.failed} failed (retried next run), ${r.alreadySent} already sent${r.stopped === undefined ? "" : `; stopped: ${r.stopped}`}`
        : "notify: another runner holds the lease; nothing to do"
    ])
  )

/**
 * Runs the effect on a fiber of its own and waits for it; an interruption of the caller waits for it
 * too, so the effect always runs to its end.
 */
export const toEnd = <A, R>(effect: Effect.Effect<A, never, R>): Effect.Effect<A, never, R> =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkDaemon(effect)
    return yield* Fiber.join(fiber).pipe(Effect.onInterrupt(() => Fiber.await(fiber)))
  })

/** Runs one job to its end, even when the caller is interrupted meanwhile; every failure is a result. */
export const runJob = (job: JobName, config: WorkerConfig): Effect.Effect<JobResult, never, Requirements> =>
  Effect.gen(function* () {
    const work: Effect.Effect<ReadonlyArray<string>, unknown, Requirements> = job === "sync"
      ? sync(config)
      : notify(config)
    const exit = yield* toEnd(Effect.exit(work))
    return Exit.match(exit, {
      onSuccess: (lines): JobResult => ({ job, ok: true, lines }),
      onFailure: (cause): JobResult => ({
        job,
        ok: false,
        lines: [`${job}: could not run: ${Cause.pretty(cause).split("\n")[0]}`]
      })
    })
  })

/** Each job once, in order: sync first (new certificates are then notified about in the same run). */
export const runOnce = (config: WorkerConfig) =>
  Effect.forEach(["sync", "notify"] as const, (job) => runJob(job, config))

/**
 * Both jobs on their periods until interrupted, each result handed to `report`. Sync and notify run
 * one after the other (never at once in one runner), whichever is due first.
 */
export const runForever = <R2>(
  config: WorkerConfig,
  report: (result: JobResult) => Effect.Effect<void, never, R2>
): Effect.Effect<never, never, Requirements | R2> =>
  Effect.gen(function* () {
    const periods = {
      sync: Duration.toMillis(config.syncEvery),
      notify: Duration.toMillis(config.notifyEvery)
    }
    const start = yield* Effect.clockWith((c) => c.currentTimeMillis)
    const next = { sync: start, notify: start }
    for (;;) {
      const now = yield* Effect.clockWith((c) => c.currentTimeMillis)
      const job: JobName = next.sync <= next.notify ? "sync" : "notify"
      if (next[job] > now) yield* Effect.sleep(Duration.millis(next[job] - now))
      // The job and its report, both to their end: a signal now stops the loop after them.
      yield* toEnd(Effect.flatMap(runJob(job, config), report))
      next[job] = (yield* Effect.clockWith((c) => c.currentTimeMillis)) + periods[job]
    }
  })
