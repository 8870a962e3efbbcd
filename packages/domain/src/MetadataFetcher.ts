/**
 * The metadata fetching port of the sync job, and its default adapter over the global `fetch` (Node 20+
 * and Cloudflare workerd alike, so it lives here without any `node:` import): a conditional GET
 * (If-None-Match / If-Modified-Since), a timeout per attempt, retries with exponential backoff and
 * jitter on timeouts, network failures, 429 and 5xx, a cap on the body read (a longer body is cut off
 * while streaming, never buffered whole), and http(s) only, redirects included: each Location is checked
 * like an administrator's metadata URL (no credentials, no link-local or cloud metadata address).
 */
import { Context, Duration, Effect, Layer, Schedule, Schema } from "effect"
import { MetadataUrl, truncate } from "./Inputs.js"

/** The previous response's validators, sent back so an unchanged document costs a 304. */
export interface Validators {
  readonly etag?: string
  readonly lastModified?: string
}

export type FetchResult =
  | {
      readonly _tag: "Fetched"
      readonly status: number
      readonly body: string
      readonly etag?: string
      readonly lastModified?: string
    }
  | { readonly _tag: "NotModified"; readonly status: 304 }

export const FetchFailure = Schema.Literal(
  "InvalidUrl",
  "Timeout",
  "Unreachable",
  "HttpStatus",
  "TooLarge",
  "TooManyRedirects"
)
export type FetchFailure = typeof FetchFailure.Type

/** The metadata could not be read: the last attempt's reason (and status, for an HTTP error). */
export class MetadataFetchFailed extends Schema.TaggedError<MetadataFetchFailed>()("MetadataFetchFailed", {
  reason: FetchFailure,
  status: Schema.optional(Schema.Int),
  message: Schema.String
}) {}

export class MetadataFetcher extends Context.Tag("@certory/domain/MetadataFetcher")<
  MetadataFetcher,
  {
    readonly fetch: (url: string, validators: Validators) => Effect.Effect<FetchResult, MetadataFetchFailed>
  }
>() {}

export interface Options {
  /** Per attempt, headers and body together. Default 10 s. */
  readonly timeout?: Duration.DurationInput
  /** Attempts after the first. Default 3. */
  readonly retries?: number
  /** The first retry's delay before jitter, doubling each time. Default 500 ms. */
  readonly backoff?: Duration.DurationInput
  /** The most body bytes read. Default 1 MiB (the SAML parser's own default cap). */
  readonly maxBytes?: number
  /** Default 5. */
  readonly maxRedirects?: number
  /** The `fetch` to call; default the global one (tests and embedders may wrap it). */
  readonly fetch?: typeof globalThis.fetch
}

const isMetadataUrl = Schema.is(MetadataUrl)
const failed = (reason: FetchFailure, message: string, status?: number) =>
  new MetadataFetchFailed({
    reason,
    message: truncate(message, 300),
    ...(status === undefined ? {} : { status })
  })

const retryable = (e: MetadataFetchFailed): boolean =>
  e.reason === "Timeout" ||
  e.reason === "Unreachable" ||
  (e.reason === "HttpStatus" && (e.status === 429 || (e.status !== undefined && e.status >= 500)))

/** Reads at most `maxBytes` of the body, cancelling the stream past it. */
const readCapped = (response: Response, maxBytes: number) =>
  Effect.tryPromise({
    try: async () => {
      const declared = Number(response.headers.get("content-length") ?? Number.NaN)
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel().catch(() => undefined)
        return undefined
      }
      if (response.body === null) return ""
      const reader = response.body.getReader()
      const chunks: Array<Uint8Array> = []
      let total = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        total += value.byteLength
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined)
          return undefined
        }
        chunks.push(value)
      }
      const bytes = new Uint8Array(total)
      let offset = 0
      for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.byteLength
      }
      return new TextDecoder("utf-8").decode(bytes)
    },
    catch: (e) => failed("Unreachable", `reading the body failed: ${messageOf(e)}`)
  }).pipe(
    Effect.flatMap((body) =>
      body === undefined
        ? Effect.fail(failed("TooLarge", `the metadata is larger than ${maxBytes} bytes`))
        : Effect.succeed(body)
    )
  )

const messageOf = (e: unknown): string => {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message
  }
  return String(e)
}

/** A fetcher over `fetch` with the options above. */
export const make = (options: Options = {}): MetadataFetcher["Type"] => {
  const timeout = Duration.decode(options.timeout ?? "10 seconds")
  const retries = options.retries ?? 3
  const maxBytes = options.maxBytes ?? 1_048_576
  const maxRedirects = options.maxRedirects ?? 5
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const schedule = Schedule.exponential(options.backoff ?? "500 millis").pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(retries))
  )

  const attempt = (url: string, validators: Validators) =>
    Effect.gen(function* () {
      let current = url
      for (let hop = 0; ; hop++) {
        if (!isMetadataUrl(current)) {
          return yield* failed("InvalidUrl", `not an allowed http(s) metadata URL: ${current}`)
        }
        const headers: Record<string, string> = {
          accept: "application/samlmetadata+xml, application/xml, text/xml, */*"
        }
        if (validators.etag !== undefined) headers["if-none-match"] = validators.etag
        if (validators.lastModified !== undefined) headers["if-modified-since"] = validators.lastModified
        const target = current
        const response = yield* Effect.tryPromise({
          try: (signal) => doFetch(target, { headers, redirect: "manual", signal }),
          catch: (e) => failed("Unreachable", `${target}: ${messageOf(e)}`)
        })
        if (response.status >= 300 && response.status < 400 && response.status !== 304) {
          yield* Effect.promise(() => response.body?.cancel().catch(() => undefined) ?? Promise.resolve())
          const location = response.headers.get("location")
          if (location === null) {
            return yield* failed("HttpStatus", `HTTP ${response.status} without Location`, response.status)
          }
          if (hop >= maxRedirects) {
            return yield* failed("TooManyRedirects", `more than ${maxRedirects} redirects`, response.status)
          }
          current = new URL(location, target).href
          continue
        }
        if (response.status === 304) {
          yield* Effect.promise(() => response.body?.cancel().catch(() => undefined) ?? Promise.resolve())
          return { _tag: "NotModified", status: 304 } as const
        }
        if (response.status < 200 || response.status > 299) {
          yield* Effect.promise(() => response.body?.cancel().catch(() => undefined) ?? Promise.resolve())
          return yield* failed("HttpStatus", `HTTP ${response.status}`, response.status)
        }
        const body = yield* readCapped(response, maxBytes)
        const etag = response.headers.get("etag")
        const lastModified = response.headers.get("last-modified")
        return {
          _tag: "Fetched",
          status: response.status,
          body,
          ...(etag === null ? {} : { etag }),
          ...(lastModified === null ? {} : { lastModified })
        } as const
      }
    }).pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => failed("Timeout", `no complete answer within ${Duration.format(timeout)}`)
      })
    )

  return MetadataFetcher.of({
    fetch: (url, validators) => attempt(url, validators).pipe(Effect.retry({ schedule, while: retryable }))
  })
}

export const layerFetch = (options: Options = {}): Layer.Layer<MetadataFetcher> =>
  Layer.succeed(MetadataFetcher, make(options))
