/**
 * The expiry notification port, its versioned webhook payload, and two adapters that need nothing but
 * web-standard globals (`fetch`, WebCrypto), so they run in Node and in Cloudflare workerd alike:
 *
 * - `makeWebhook`: one JSON POST per notice, signed `X-Certory-Signature: sha256=<hex HMAC-SHA256 of the
 *   exact body>` with the configured secret, retried with exponential backoff and jitter on any failure
 *   (network, timeout, non-2xx); what still fails is the job's to record and try on its next run.
 * - `makeLog`: one structured log line per notice.
 *
 * The payload (`version: 1`) is documented in docs/jobs.md; fields are only ever added to a version.
 */
import { Context, Duration, Effect, Encoding, Layer, Schedule, Schema } from "effect"
import type { OwnerCertificate } from "./Certificate.js"
import { OwnerRef, ownerKey } from "./Ids.js"
import { truncate } from "./Inputs.js"

/** One binding crossing one threshold. */
export interface ExpiryNotice {
  readonly item: OwnerCertificate
  readonly ownerDisplayName?: string
  readonly thresholdDays: number
  /** When the job decided to send it. */
  readonly at: number
}

export class NotificationFailed extends Schema.TaggedError<NotificationFailed>()("NotificationFailed", {
  message: Schema.String,
  status: Schema.optional(Schema.Int)
}) {}

export class Notifier extends Context.Tag("@certory/domain/Notifier")<
  Notifier,
  { readonly notify: (notice: ExpiryNotice) => Effect.Effect<void, NotificationFailed> }
>() {}

/** The webhook body, version 1. */
export const PayloadV1 = Schema.Struct({
  version: Schema.Literal(1),
  type: Schema.Literal("certificate.expiring"),
  /** Stable per (binding, threshold): a receiver drops repeats by it. */
  id: Schema.String,
  /** ISO 8601. */
  sentAt: Schema.String,
  thresholdDays: Schema.Int,
  /** Whole days left at `sentAt` (rounded down). */
  daysLeft: Schema.Int,
  owner: Schema.Struct({
    key: Schema.String,
    ref: OwnerRef,
    displayName: Schema.optional(Schema.String)
  }),
  certificate: Schema.Struct({
    certificateId: Schema.String,
    sha256: Schema.String,
    subject: Schema.String,
    issuer: Schema.String,
    serialNumber: Schema.String,
    notBefore: Schema.String,
    notAfter: Schema.String
  })
})
export type PayloadV1 = typeof PayloadV1.Type

const iso = (millis: number) => new Date(millis).toISOString()
const encodePayload = Schema.encodeSync(PayloadV1)

/** The notice as the webhook's JSON value (encoded through PayloadV1). */
export const payloadOf = (notice: ExpiryNotice): unknown => {
  const { binding, certificate } = notice.item
  return encodePayload({
    version: 1,
    type: "certificate.expiring",
    id: `${binding.certificateId}/${notice.thresholdDays}`,
    sentAt: iso(notice.at),
    thresholdDays: notice.thresholdDays,
    daysLeft: Math.floor((certificate.notAfter - notice.at) / 86_400_000),
    owner: {
      key: ownerKey(binding.owner),
      ref: binding.owner,
      ...(notice.ownerDisplayName === undefined ? {} : { displayName: notice.ownerDisplayName })
    },
    certificate: {
      certificateId: binding.certificateId,
      sha256: certificate.sha256,
      subject: certificate.subject.rfc4514,
      issuer: certificate.issuer.rfc4514,
      serialNumber: certificate.serial.hex,
      notBefore: iso(certificate.notBefore),
      notAfter: iso(certificate.notAfter)
    }
  })
}

/** `sha256=<lowercase hex HMAC-SHA256(secret, body)>`, the X-Certory-Signature value. */
export const signature = (secret: string, body: string): Effect.Effect<string> =>
  Effect.promise(async () => {
    const encoder = new TextEncoder()
    const key = await globalThis.crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"]
    )
    const mac = await globalThis.crypto.subtle.sign("HMAC", key, encoder.encode(body))
    return `sha256=${Encoding.encodeHex(new Uint8Array(mac))}`
  })

export interface WebhookOptions {
  readonly url: string
  /** Signs every body when given (recommended); without it no signature header is sent. */
  readonly secret?: string
  /** Per attempt. Default 10 s. */
  readonly timeout?: Duration.DurationInput
  /** Attempts after the first. Default 3. */
  readonly retries?: number
  /** The first retry's delay before jitter, doubling. Default 1 s. */
  readonly backoff?: Duration.DurationInput
  readonly fetch?: typeof globalThis.fetch
}

export const makeWebhook = (options: WebhookOptions): Notifier["Type"] => {
  const timeout = Duration.decode(options.timeout ?? "10 seconds")
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const schedule = Schedule.exponential(options.backoff ?? "1 second").pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(options.retries ?? 3))
  )
  const post = (body: string, headers: Record<string, string>) =>
    Effect.tryPromise({
      try: async (signal) => {
        const response = await doFetch(options.url, {
          method: "POST",
          headers,
          body,
          signal,
          redirect: "manual"
        })
        await response.body?.cancel().catch(() => undefined)
        return response.status
      },
      catch: (e) =>
        new NotificationFailed({
          message: truncate(`webhook: ${e instanceof Error ? e.message : String(e)}`, 300)
        })
    }).pipe(
      Effect.flatMap((status) =>
        status >= 200 && status < 300
          ? Effect.void
          : Effect.fail(new NotificationFailed({ message: `webhook answered HTTP ${status}`, status }))
      ),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new NotificationFailed({ message: `webhook: no answer within ${Duration.format(timeout)}` })
      })
    )
  return Notifier.of({
    notify: (notice) =>
      Effect.gen(function* () {
        const payload = payloadOf(notice)
        const body = JSON.stringify(payload)
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "user-agent": "certory-worker",
          "x-certory-event": "certificate.expiring",
          "x-certory-delivery": (payload as { id: string }).id
        }
        if (options.secret !== undefined)
          headers["x-certory-signature"] = yield* signature(options.secret, body)
        yield* post(body, headers).pipe(Effect.retry(schedule))
      })
  })
}

/** One log line per notice (level WARNING), annotated with the payload's fields. */
export const makeLog = (): Notifier["Type"] =>
  Notifier.of({
    notify: (notice) => {
      const { binding, certificate } = notice.item
      return Effect.logWarning(
        `certificate ${certificate.subject.rfc4514} of ${ownerKey(binding.owner)} expires ${iso(certificate.notAfter)} (threshold ${notice.thresholdDays} days)`
      ).pipe(
        Effect.annotateLogs({
          event: "certificate.expiring",
          owner: ownerKey(binding.owner),
          certificateId: binding.certificateId,
          sha256: certificate.sha256,
          thresholdDays: notice.thresholdDays
        })
      )
    }
  })

/** Every notifier gets each notice; the notice failed when one of them failed (all are tried). */
export const combine = (notifiers: ReadonlyArray<Notifier["Type"]>): Notifier["Type"] =>
  Notifier.of({
    notify: (notice) =>
      Effect.forEach(notifiers, (n) => Effect.either(n.notify(notice))).pipe(
        Effect.flatMap((results) => {
          const failures = results.flatMap((r) => (r._tag === "Left" ? [r.left] : []))
          return failures.length === 0
            ? Effect.void
            : Effect.fail(
                failures.length === 1
                  ? failures[0]!
                  : new NotificationFailed({ message: failures.map((f) => f.message).join("; ") })
              )
        })
      )
  })

export const layer = (notifier: Notifier["Type"]): Layer.Layer<Notifier> => Layer.succeed(Notifier, notifier)
