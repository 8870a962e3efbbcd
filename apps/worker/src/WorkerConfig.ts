/**
 * What the runner is told: how often each job runs, the sync's per-IdP interval and fetch limits, the
 * notification thresholds and channels. Read from the environment (`fromEnv`, the variables below) and
 * overridden by flags in `certory worker`; checked once (`validate`), so a bad value is one line and
 * exit 1 before anything runs. Documented in apps/worker/README.md and docs/jobs.md.
 */
import { Inputs, MetadataFetcher, Notifier, NotifyExpiring } from "@certory/domain"
import { Config, ConfigError, Duration, Effect, Either, Layer, Option } from "effect"
import * as SamlMetadataReader from "./SamlMetadataReader.js"

export interface WorkerConfig {
  /** This runner's lease holder id. */
  readonly holder: string
  /** How often the sync job runs (each IdP is fetched only once its own interval has passed). */
  readonly syncEvery: Duration.Duration
  /** The longest time between two syncs of one IdP (cacheDuration / validUntil may shorten it). */
  readonly syncInterval: Duration.Duration
  /** How often the notification job runs. */
  readonly notifyEvery: Duration.Duration
  readonly thresholdsDays: ReadonlyArray<number>
  readonly webhookUrl: Option.Option<string>
  readonly webhookSecret: Option.Option<string>
  /** Per attempt of a metadata fetch or a webhook POST. */
  readonly fetchTimeout: Duration.Duration
  /** Attempts after the first, for fetches and webhook POSTs. */
  readonly retries: number
  /** The largest metadata document read, bytes. */
  readonly maxMetadataBytes: number
}

/**
 * A duration as every surface reads one (the domain's `parseDurationMillis`: `30d`, `5m`, `5 minutes`,
 * `1 hour`, `PT1H`), for the flags and the environment alike.
 */
export const parseDuration = (text: string): Either.Either<Duration.Duration, string> => {
  const parsed = Inputs.parseDurationMillis(text)
  return "millis" in parsed ? Either.right(Duration.millis(parsed.millis)) : Either.left(parsed.error)
}

const duration = (name: string, fallback: Duration.Duration): Config.Config<Duration.Duration> =>
  Config.string(name).pipe(
    Config.mapOrFail((text) =>
      Either.mapLeft(parseDuration(text), (message) => ConfigError.InvalidData([name], message))
    ),
    Config.withDefault(fallback)
  )

/** The environment: every variable optional. */
export const fromEnv = (holder: string): Config.Config<WorkerConfig> =>
  Config.all({
    syncEvery: duration("CERTORY_SYNC_EVERY", Duration.minutes(5)),
    syncInterval: duration("CERTORY_SYNC_INTERVAL", Duration.hours(1)),
    notifyEvery: duration("CERTORY_NOTIFY_EVERY", Duration.hours(1)),
    thresholds: Config.string("CERTORY_NOTIFY_THRESHOLDS").pipe(Config.withDefault("90,30,7,1")),
    webhookUrl: Config.option(Config.string("CERTORY_WEBHOOK_URL")),
    webhookSecret: Config.option(Config.string("CERTORY_WEBHOOK_SECRET")),
    fetchTimeout: duration("CERTORY_FETCH_TIMEOUT", Duration.seconds(10)),
    retries: Config.integer("CERTORY_RETRIES").pipe(Config.withDefault(3)),
    maxMetadataBytes: Config.integer("CERTORY_MAX_METADATA_BYTES").pipe(Config.withDefault(1_048_576))
  }).pipe(
    Config.mapOrFail(({ thresholds, ...rest }) =>
      Either.match(parseThresholds(thresholds), {
        onLeft: (message) => Either.left(ConfigError.InvalidData(["CERTORY_NOTIFY_THRESHOLDS"], message)),
        onRight: (thresholdsDays) => Either.right({ ...rest, thresholdsDays, holder })
      })
    )
  )

/** `90,30,7,1` -> [90, 30, 7, 1], or why not. */
export const parseThresholds = (text: string): Either.Either<ReadonlyArray<number>, string> => {
  const parts = text.split(",").map((p) => p.trim())
  if (parts.some((p) => !/^\d{1,5}$/.test(p))) {
    return Either.left(`thresholds are whole numbers of days separated by commas, not "${text.slice(0, 60)}"`)
  }
  return NotifyExpiring.validThresholds(parts.map(Number))
}

/** Every value in range, the webhook an http(s) URL; the reason otherwise. */
export const validate = (config: WorkerConfig): Either.Either<WorkerConfig, string> => {
  const positive = (name: string, d: Duration.Duration) =>
    Duration.greaterThan(d, Duration.zero) ? undefined : `${name} must be longer than zero`
  const problems = [
    positive("the sync period", config.syncEvery),
    positive("the sync interval", config.syncInterval),
    positive("the notification period", config.notifyEvery),
    positive("the fetch timeout", config.fetchTimeout),
    Number.isSafeInteger(config.retries) && config.retries >= 0 && config.retries <= 10
      ? undefined
      : "retries must be 0 to 10",
    Number.isSafeInteger(config.maxMetadataBytes) &&
    config.maxMetadataBytes >= 1024 &&
    config.maxMetadataBytes <= 64 * 1_048_576
      ? undefined
      : "the metadata size cap must be 1 KiB to 64 MiB",
    Either.isLeft(NotifyExpiring.validThresholds(config.thresholdsDays))
      ? Either.getLeft(NotifyExpiring.validThresholds(config.thresholdsDays)).pipe(Option.getOrUndefined)
      : undefined,
    Option.match(config.webhookUrl, {
      onNone: () =>
        Option.isSome(config.webhookSecret) ? "a webhook secret needs a webhook URL" : undefined,
      onSome: (url) => {
        try {
          const parsed = new URL(url)
          return parsed.protocol === "https:" || parsed.protocol === "http:"
            ? undefined
            : "the webhook URL must be http(s)"
        } catch {
          return "the webhook URL is not an absolute URL"
        }
      }
    })
  ].filter((p): p is string => p !== undefined)
  return problems.length === 0 ? Either.right(config) : Either.left(problems.join("; "))
}

/** The adapters the jobs need besides the stores and the certificate parser. */
export const layerAdapters = (config: WorkerConfig) =>
  Layer.mergeAll(
    MetadataFetcher.layerFetch({
      timeout: config.fetchTimeout,
      retries: config.retries,
      maxBytes: config.maxMetadataBytes
    }),
    SamlMetadataReader.layer({ maxInputBytes: config.maxMetadataBytes }),
    Notifier.layer(
      Notifier.combine([
        Notifier.makeLog(),
        ...Option.match(config.webhookUrl, {
          onNone: () => [],
          onSome: (url) => [
            Notifier.makeWebhook({
              url,
              timeout: config.fetchTimeout,
              retries: config.retries,
              ...Option.match(config.webhookSecret, { onNone: () => ({}), onSome: (secret) => ({ secret }) })
            })
          ]
        })
      ])
    )
  )

/** A lease holder id unique to this process. */
export const newHolder = (): string => `worker-${globalThis.crypto.randomUUID()}`

export const load = (holder: string = newHolder()) => Effect.orDie(fromEnv(holder))
