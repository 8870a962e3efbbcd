/**
 * `certory worker`: the background jobs (SAML metadata sync, expiry notifications) of @certory/worker
 * over the store `--store` names, on their periods until SIGINT / SIGTERM (the job in flight finishes),
 * or each once with `--once` (exit 0 when every job ran, 1 when one could not run at all; an IdP whose
 * sync failed is a line of output, not a failure). Configuration: the CERTORY_* variables of
 * apps/worker/README.md, each overridden by the flag of the same meaning.
 */
import type { JobStore } from "@certory/domain"
import { MemoryJobStore } from "@certory/storage-memory"
import { PgCertificateStore } from "@certory/storage-pg"
import { SqlJobStore } from "@certory/storage-sql"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import { Runner, WorkerConfig } from "@certory/worker"
import { Command, Options } from "@effect/cli"
import { Console, Duration, Effect, Either, Layer, Option, Redacted } from "effect"
import * as Local from "../Local.js"
import * as Stores from "../Stores.js"

const once = Options.boolean("once").pipe(Options.withDescription("run each job once, then exit"))
const text = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional)
const webhookUrl = text("webhook-url", "POST expiry notices here (default $CERTORY_WEBHOOK_URL)")
const webhookSecret = Options.redacted("webhook-secret").pipe(
  Options.withDescription("HMAC-SHA256 key of X-Certory-Signature (prefer $CERTORY_WEBHOOK_SECRET)"),
  Options.optional
)
const thresholds = text(
  "thresholds",
  "notice thresholds in days, e.g. 90,30,7,1 (default $CERTORY_NOTIFY_THRESHOLDS)"
)
const syncEvery = text(
  "sync-every",
  'how often the sync job runs, e.g. "5 minutes" (default $CERTORY_SYNC_EVERY)'
)
const syncInterval = text(
  "sync-interval",
  'the longest time between two fetches of one IdP, e.g. "1 hour" (default $CERTORY_SYNC_INTERVAL)'
)
const notifyEvery = text(
  "notify-every",
  "how often the notification job runs (default $CERTORY_NOTIFY_EVERY)"
)

const duration = (flag: string, value: string): Either.Either<Duration.Duration, string> =>
  Either.mapLeft(WorkerConfig.parseDuration(value), (message) => `--${flag}: ${message}`)

export const worker = Command.make(
  "worker",
  {
    ...Local.storeOptions,
    once,
    webhookUrl,
    webhookSecret,
    thresholds,
    syncEvery,
    syncInterval,
    notifyEvery
  },
  (options) =>
    Local.run("worker", options, (_principal, _opened) =>
      Effect.gen(function* () {
        const fromEnv = yield* Effect.either(WorkerConfig.fromEnv(WorkerConfig.newHolder()))
        if (Either.isLeft(fromEnv)) return yield* Effect.fail({ message: String(fromEnv.left) })
        let config = fromEnv.right
        for (const [flag, value, key] of [
          ["sync-every", options.syncEvery, "syncEvery"],
          ["sync-interval", options.syncInterval, "syncInterval"],
          ["notify-every", options.notifyEvery, "notifyEvery"]
        ] as const) {
          if (Option.isNone(value)) continue
          const parsed = duration(flag, value.value)
          if (Either.isLeft(parsed)) return yield* Effect.fail({ message: parsed.left })
          config = { ...config, [key]: parsed.right }
        }
        if (Option.isSome(options.thresholds)) {
          const parsed = WorkerConfig.parseThresholds(options.thresholds.value)
          if (Either.isLeft(parsed)) return yield* Effect.fail({ message: `--thresholds: ${parsed.left}` })
          config = { ...config, thresholdsDays: parsed.right }
        }
        if (Option.isSome(options.webhookUrl)) config = { ...config, webhookUrl: options.webhookUrl }
        if (Option.isSome(options.webhookSecret)) {
          config = { ...config, webhookSecret: Option.some(Redacted.value(options.webhookSecret.value)) }
        }
        const valid = WorkerConfig.validate(config)
        if (Either.isLeft(valid)) return yield* Effect.fail({ message: valid.left })
        // Stores.open builds the inventory's stores; the JobStore is opened here beside them, on a
        // connection of its own to the same (already migrated) store.
        const parsed = Stores.parse(Local.storeUrl(options))
        if (Either.isLeft(parsed)) return yield* Effect.fail({ message: parsed.left })
        const jobStore: Layer.Layer<JobStore.JobStore> =
          parsed.right._tag === "Memory"
            ? MemoryJobStore.layer
            : SqlJobStore.layer().pipe(
                Layer.provide(
                  parsed.right._tag === "Sqlite"
                    ? SqliteCertificateStore.layerClient({ filename: parsed.right.filename })
                    : PgCertificateStore.layerClient({ url: parsed.right.url })
                )
              )
        const print = (result: Runner.JobResult) =>
          Effect.forEach(result.lines, (line) => (result.ok ? Console.log(line) : Console.error(line)), {
            discard: true
          })
        const program = options.once
          ? Effect.gen(function* () {
              const results = yield* Runner.runOnce(valid.right)
              yield* Effect.forEach(results, print, { discard: true })
              if (results.some((r) => !r.ok)) {
                yield* Effect.sync(() => {
                  process.exitCode = 1
                })
              }
            })
          : Console.log(
              `certory worker: sync every ${Duration.format(config.syncEvery)}, notify every ${Duration.format(config.notifyEvery)} (Ctrl-C stops after the job in flight)`
            ).pipe(Effect.zipRight(Runner.runForever(valid.right, print)))
        yield* program.pipe(Effect.provide(Layer.merge(WorkerConfig.layerAdapters(valid.right), jobStore)))
      })
    )
).pipe(
  Command.withDescription(
    "Run the background jobs: SAML metadata sync and expiry notifications. Example: certory worker --once --webhook-url https://hooks.example/certory --thresholds 90,30,7"
  )
)
