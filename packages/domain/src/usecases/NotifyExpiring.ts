/**
 * The expiry notification job: for every binding whose certificate is valid now and expires within the
 * widest threshold (default 90 / 30 / 7 / 1 days), send one notice for the tightest threshold it has
 * crossed, unless that (binding, threshold) is recorded as sent. A certificate imported already inside
 * 30 days thus gets the 30-day notice only, and the 90-day one never (the remaining time only shrinks).
 * A failed notice is recorded (with its attempts) and sent again on the next run.
 *
 * The whole run holds the `notify` lease (renewed each page), so two runners never send at once; the
 * records make a later run or a restart skip what was sent. A crash between a webhook's 2xx and its
 * record sends that one notice again: delivery is at least once, and the payload's `id` lets a
 * receiver drop the repeat.
 */
import { Clock, Effect, Either, Option } from "effect"
import { CertificateStore } from "../CertificateStore.js"
import { InvalidRequest } from "../Errors.js"
import { type CertificateId, type OwnerRef, ownerKey } from "../Ids.js"
import { truncate } from "../Inputs.js"
import { JobStore, NotificationRecord } from "../JobStore.js"
import { Notifier } from "../Notifier.js"

export const DEFAULT_THRESHOLDS: ReadonlyArray<number> = [90, 30, 7, 1]
export const LEASE = "notify"
const DAY = 86_400_000
const PAGE = 500

export interface Options {
  readonly holder: string
  /** Whole days, 1 to 36,500, any order. Default 90, 30, 7, 1. */
  readonly thresholdsDays?: ReadonlyArray<number>
  /** Default 10 minutes; renewed before each notice, so a slow receiver never outlives it. */
  readonly leaseMillis?: number
  /**
   * The run stops after this many notices failed in a row (a receiver that is down fails them all;
   * the rest wait for the next run instead of each waiting out its retries). Default 5.
   */
  readonly maxConsecutiveFailures?: number
}

export interface Report {
  /** False when another runner held the lease: nothing was looked at. */
  readonly ran: boolean
  readonly considered: number
  readonly sent: number
  readonly failed: number
  readonly alreadySent: number
  /** Why the run ended before looking at everything, when it did. */
  readonly stopped?: string
}

export const validThresholds = (
  days: ReadonlyArray<number>
): Either.Either<ReadonlyArray<number>, string> => {
  if (days.length === 0) return Either.left("at least one threshold is needed")
  for (const d of days) {
    if (!Number.isSafeInteger(d) || d < 1 || d > 36_500) {
      return Either.left(`a threshold is a whole number of days from 1 to 36500, not ${d}`)
    }
  }
  return Either.right([...new Set(days)].sort((a, b) => a - b))
}

export const notifyExpiring = Effect.fn("notifyExpiring")(function* (options: Options) {
  const thresholds = validThresholds(options.thresholdsDays ?? DEFAULT_THRESHOLDS)
  if (Either.isLeft(thresholds)) return yield* new InvalidRequest({ message: thresholds.left })
  const sorted = thresholds.right
  const widest = sorted[sorted.length - 1]!
  const store = yield* CertificateStore
  const jobs = yield* JobStore
  const notifier = yield* Notifier
  const leaseMillis = options.leaseMillis ?? 600_000
  const lease = (now: number) =>
    jobs
      .acquireLease({ name: LEASE, holder: options.holder, now, ttlMillis: leaseMillis })
      .pipe(Effect.catchTag("WriteConflict", () => Effect.succeed(false)))

  const now = yield* Clock.currentTimeMillis
  if (!(yield* lease(now))) {
    const notRun: Report = { ran: false, considered: 0, sent: 0, failed: 0, alreadySent: 0 }
    return notRun
  }
  return yield* Effect.gen(function* () {
    const names = new Map<string, string | undefined>()
    const displayName = (ref: OwnerRef) =>
      Effect.gen(function* () {
        const key = ownerKey(ref)
        if (!names.has(key)) {
          names.set(key, Option.getOrUndefined(yield* store.getOwner(ref))?.displayName)
        }
        return names.get(key)
      })
    let considered = 0
    let sent = 0
    let failed = 0
    let alreadySent = 0
    let failedInARow = 0
    let stopped: string | undefined
    const maxFailures = options.maxConsecutiveFailures ?? 5
    let after: { readonly value: number; readonly certificateId: CertificateId } | undefined
    pages: for (;;) {
      const page = yield* store.listExpiring({
        notAfterMin: now,
        notAfterMax: now + widest * DAY,
        notBeforeMax: now,
        limit: PAGE,
        ...(after === undefined ? {} : { after })
      })
      const records = yield* jobs.listNotifications(page.items.map((i) => i.binding.certificateId))
      const byKey = new Map<string, NotificationRecord>(
        records.map((r) => [`${r.certificateId}/${r.thresholdDays}`, r])
      )
      for (const item of page.items) {
        considered++
        const remaining = item.certificate.notAfter - now
        const tightest = sorted.find((t) => remaining <= t * DAY)
        if (tightest === undefined) continue
        const previous = byKey.get(`${item.binding.certificateId}/${tightest}`)
        if (previous?.status === "sent") {
          alreadySent++
          continue
        }
        const at = yield* Clock.currentTimeMillis
        // Held while sending: a lease that lapsed (another runner may have it now) ends the run.
        if (!(yield* lease(at))) {
          stopped = "the lease was lost"
          break pages
        }
        const name = yield* displayName(item.binding.owner)
        const outcome = yield* Effect.either(
          notifier.notify({
            item,
            thresholdDays: tightest,
            at,
            ...(name === undefined ? {} : { ownerDisplayName: name })
          })
        )
        const base = {
          certificateId: item.binding.certificateId,
          owner: item.binding.owner,
          thresholdDays: tightest,
          attempts: (previous?.attempts ?? 0) + 1,
          at
        }
        if (Either.isRight(outcome)) {
          sent++
          failedInARow = 0
        } else {
          failed++
          failedInARow++
        }
        yield* jobs
          .putNotification(
            Either.isRight(outcome)
              ? NotificationRecord.make({ ...base, status: "sent" })
              : NotificationRecord.make({
                  ...base,
                  status: "failed",
                  error: truncate(outcome.left.message, 500)
                })
          )
          .pipe(Effect.orDie)
        if (failedInARow >= maxFailures) {
          stopped = `${failedInARow} notices failed in a row; the rest wait for the next run`
          break pages
        }
      }
      if (page.items.length < PAGE) break
      const last = page.items[page.items.length - 1]!
      after = { value: last.certificate.notAfter, certificateId: last.binding.certificateId }
    }
    const report: Report = {
      ran: true,
      considered,
      sent,
      failed,
      alreadySent,
      ...(stopped === undefined ? {} : { stopped })
    }
    return report
  }).pipe(Effect.ensuring(Effect.orDie(jobs.releaseLease(LEASE, options.holder))))
})
