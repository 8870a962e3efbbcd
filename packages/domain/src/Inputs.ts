/**
 * The building blocks of every use-case's input schema. Each use-case exports its `Input` schema built
 * from these, so the HTTP API validates requests and documents them from the same source, and every
 * store sees only values it can hold: no NUL characters or lone surrogates (PostgreSQL refuses the
 * first, drivers silently rewrite the second), no string longer than anything real needs, integers
 * that fit the columns they go to. A value that fails is an `InvalidRequest`, before any store is asked.
 */
import { Duration, Effect, ParseResult, Schema } from "effect"
import { InvalidRequest } from "./Errors.js"

/** Whether the text holds a NUL or a surrogate that is not part of a pair (one linear pass). */
export const hasUnsafeCharacters = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0) return true
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) return true
  }
  return false
}

/** Text of at most `max` UTF-16 units, without NUL characters or lone surrogates. */
export const Text = (max: number) =>
  Schema.String.pipe(
    Schema.maxLength(max, { message: () => `at most ${max} characters` }),
    Schema.filter((s) => !hasUnsafeCharacters(s) || "NUL characters and lone surrogates are not allowed")
  )

/** An owner's display name. */
export const DisplayName = Text(256).annotations({ identifier: "DisplayName" })

/** Whether an IPv4 address (dotted, as the URL parser normalises it) is link-local (169.254.0.0/16). */
const linkLocalV4 = (host: string): boolean => /^169\.254\.\d{1,3}\.\d{1,3}$/.test(host)

/** Hosts that answer with cloud credentials or are link-local; never a SAML metadata source. */
const forbiddenHost = (hostname: string): boolean => {
  const host = hostname.toLowerCase().replace(/\.$/, "")
  if (linkLocalV4(host)) return true
  if (host.startsWith("[")) {
    const v6 = host.slice(1, -1)
    // fe80::/10 covers fe80:: to febf::.
    if (/^fe[89ab][0-9a-f]?:/.test(v6)) return true
    // IPv4-mapped (::ffff:a9fe:xxxx is 169.254.x.x) and AWS's IPv6 metadata address.
    if (/^::ffff:a9fe:[0-9a-f]{1,4}$/.test(v6) || /^::ffff:169\.254\./.test(v6)) return true
    if (v6 === "fd00:ec2::254") return true
    return false
  }
  return host === "metadata.google.internal" || host === "metadata" || host === "instance-data"
}

/**
 * An absolute http(s) URL without credentials, at most 2048 characters, not pointing at a link-local or
 * cloud metadata address.
 */
const HttpUrl = Text(2048).pipe(
  Schema.filter((text) => {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return "not an absolute URL"
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return "only http and https URLs are allowed"
    if (url.username !== "" || url.password !== "") return "credentials in the URL are not allowed"
    if (forbiddenHost(url.hostname)) return "link-local and cloud metadata addresses are not allowed"
    return true
  })
)

/**
 * Where an external IdP publishes its SAML metadata (the sync job fetches it, so a link-local or cloud
 * metadata address would make certory read the platform's credentials).
 */
export const MetadataUrl = HttpUrl.annotations({
  identifier: "MetadataUrl",
  description: "http(s) URL of the IdP's SAML metadata"
})

/**
 * An external IdP's single sign-on URL (SAML metadata's SingleSignOnService Location): checked like a
 * metadata URL, since whatever follows it (a browser, a monitoring job) must not reach the platform.
 */
export const LoginUrl = HttpUrl.annotations({
  identifier: "LoginUrl",
  description: "http(s) URL of the IdP's single sign-on service"
})

/** A SAML entity ID: 1 to 1024 characters (the SAML 2.0 metadata schema's limit). */
export const EntityId = Text(1024)
  .pipe(Schema.minLength(1, { message: () => "at least 1 character" }))
  .annotations({ identifier: "EntityId", description: "the IdP's SAML entity ID" })

/** The longest window anyone asks about: a century (keeps every bound a safe integer). */
export const MAX_WINDOW_MILLIS = 100 * 365 * 24 * 3_600_000

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WEEK = 7 * DAY

const UNIT_MILLIS: Record<string, number> = {
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 7 * 86_400_000,
  wk: 7 * 86_400_000,
  week: 7 * 86_400_000,
  weeks: 7 * 86_400_000
}

/** `30d`, `12h`, `2w`, `90 minutes`, `1.5 days`: a number and a unit, with or without a space. */
const SHORT = /^(\d{1,12}(?:\.\d{1,6})?)\s*([a-z]{1,12})$/
/** ISO 8601 durations without years and months (their length varies): `P30D`, `PT12H`, `P2W`, `P1DT6H30M`. */
const ISO =
  /^P(?:(\d{1,9})W|(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9}(?:\.\d{1,6})?)S)?)?)$/

/**
 * The one duration parser of every surface: `30d`, `12h`, `2w`, `30 days`, `12 hours`, ISO 8601 `P30D`
 * / `PT12H` (case-insensitive). No sign is accepted, so a negative duration is not a duration; the
 * caller decides whether zero is allowed. Returns the milliseconds, or a reason.
 */
export const parseDurationMillis = (
  text: string
): { readonly millis: number } | { readonly error: string } => {
  const input = text.trim().toLowerCase()
  const short = SHORT.exec(input)
  if (short !== null) {
    const unit = UNIT_MILLIS[short[2] ?? ""]
    if (unit === undefined)
      return { error: `unknown unit "${short[2]}": use s, m, h, d or w (or seconds ... weeks)` }
    return { millis: Math.round(Number(short[1]) * unit) }
  }
  const iso = ISO.exec(input.toUpperCase())
  if (iso !== null && input !== "p" && !input.endsWith("t")) {
    const [, weeks, days, hours, minutes, seconds] = iso
    const n = (value: string | undefined) => (value === undefined ? 0 : Number(value))
    return {
      millis: Math.round(
        n(weeks) * WEEK + n(days) * DAY + n(hours) * HOUR + n(minutes) * MINUTE + n(seconds) * SECOND
      )
    }
  }
  if (/^\s*[-+]/.test(text)) return { error: "a duration has no sign" }
  return { error: 'not a duration: write e.g. "30d", "12h", "2w", "30 days" or "P30D"' }
}

/**
 * A window written as text (see `parseDurationMillis`), or a Duration: more than zero, at most a century.
 */
export const Window = Schema.transformOrFail(
  Schema.Union(Text(64), Schema.DurationFromSelf),
  Schema.DurationFromSelf,
  {
    strict: true,
    decode: (input, _, ast) => {
      if (typeof input !== "string") return ParseResult.succeed(input)
      const parsed = parseDurationMillis(input)
      return "error" in parsed
        ? ParseResult.fail(new ParseResult.Type(ast, input, parsed.error))
        : ParseResult.succeed(Duration.millis(parsed.millis))
    },
    encode: (duration) => ParseResult.succeed(Duration.format(duration))
  }
)
  .pipe(
    Schema.filter((duration) => {
      const millis = Duration.toMillis(duration)
      return (millis > 0 && millis <= MAX_WINDOW_MILLIS) || "a duration of more than zero, at most 100 years"
    })
  )
  .annotations({ identifier: "Window" })

/** Opaque cursors are short; anything longer is refused before it is decoded. */
export const MAX_CURSOR_LENGTH = 512
/** Checked by `Cursor.decode` (an oversized one is InvalidCursor, like any cursor not issued here). */
export const CursorText = Schema.String.annotations({
  identifier: "Cursor",
  description: `an opaque cursor from a previous page (at most ${MAX_CURSOR_LENGTH} characters)`
})

/** MIM CM's CertificateType: a 32-bit signed integer. */
export const Int32 = Schema.Int.pipe(Schema.between(-2_147_483_648, 2_147_483_647))

/** A template name or OID, as a filter. */
export const TemplateFilter = Text(256)

/**
 * Decodes a use-case's input: a value that does not fit its schema is `InvalidRequest` naming what is
 * wrong (never quoting long input back).
 */
export const decode =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (input: I): Effect.Effect<A, InvalidRequest> =>
    Schema.decode(schema, { errors: "first" })(input).pipe(
      Effect.mapError((error) => new InvalidRequest({ message: oneLine(error) }))
    )

/** `field.path: what is wrong`, on one line (a CLI prints it as one, an API puts it in one JSON string). */
const oneLine = (error: ParseResult.ParseError): string =>
  truncate(
    ParseResult.ArrayFormatter.formatErrorSync(error)
      .map(({ path, message }) => (path.length === 0 ? message : `${path.join(".")}: ${message}`))
      .join("; ")
      .replace(/\s*\n\s*/g, " ")
  )

/** Messages quote inputs; keep them readable and bounded. */
export const truncate = (message: string, max = 500): string =>
  message.length <= max ? message : `${message.slice(0, max)}…`

/** An optional field that, when present, holds a value (never `undefined`): exact optional properties. */
export const optional = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true })
