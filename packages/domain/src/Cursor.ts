/**
 * Opaque pagination cursors: base64url of a small JSON record naming the listing it was made for (the
 * order and a digest of the owner and filters), the sort value of the last item and its tie-breaker.
 * A cursor only continues the listing it came from; anything else (another owner, filter or sort, a
 * tampered, truncated or oversized string) is InvalidCursor, never a wrong page. Error messages never
 * quote the cursor.
 */
import { Effect, Either, Encoding, Schema } from "effect"
import { InvalidCursor } from "./Errors.js"
import { MAX_CURSOR_LENGTH } from "./Inputs.js"

const Payload = Schema.Struct({
  /** The order and query digest: e.g. "notAfter:asc/1f3a...". */
  o: Schema.String.pipe(Schema.maxLength(128)),
  v: Schema.Union(Schema.Int, Schema.String.pipe(Schema.maxLength(1024))),
  i: Schema.optional(Schema.String.pipe(Schema.maxLength(64)))
})
type Payload = typeof Payload.Type

const PayloadFromJson = Schema.parseJson(Payload)
const encodeJson = Schema.encodeSync(PayloadFromJson)
const decodeJson = Schema.decodeUnknownEither(PayloadFromJson)

export interface Position {
  readonly value: number | string
  readonly id?: string
}

/**
 * A short digest of what a listing is over (owner, filters): 53-bit FNV-1a-style hash as base36. Not a
 * security measure (authorization is checked on every page); it only tells one listing from another.
 */
export const digest = (context: unknown): string => {
  const text = JSON.stringify(context) ?? ""
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

/** The listing key a cursor is bound to: the order plus the digest of the query context. */
export const listing = (order: string, context: unknown): string => `${order}/${digest(context)}`

export const encode = (listingKey: string, position: Position): string =>
  Encoding.encodeBase64Url(
    encodeJson(
      position.id === undefined
        ? { o: listingKey, v: position.value }
        : { o: listingKey, v: position.value, i: position.id }
    )
  )

const notOurs = () => new InvalidCursor({ message: "the cursor is not one this service issued" })

/** The position a cursor holds, provided it was made for the listing `listingKey`. */
export const decode = (listingKey: string, cursor: string): Effect.Effect<Payload, InvalidCursor> => {
  if (cursor.length > MAX_CURSOR_LENGTH) return Effect.fail(notOurs())
  const payload = Encoding.decodeBase64UrlString(cursor).pipe(
    Either.flatMap((json) => decodeJson(json)),
    Either.getOrUndefined
  )
  if (payload === undefined) return Effect.fail(notOurs())
  if (payload.o !== listingKey) {
    return Effect.fail(
      new InvalidCursor({
        message: "the cursor belongs to another listing (owner, filters or sort): start again without it"
      })
    )
  }
  return Effect.succeed(payload)
}
