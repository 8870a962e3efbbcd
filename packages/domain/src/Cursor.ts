/**
 * Opaque pagination cursors: base64url of a small JSON record naming the order it was made for, the
 * sort value of the last item and its tie-breaker. A cursor only continues the order it came from;
 * anything else (another sort, a tampered or truncated string) is InvalidCursor, never a wrong page.
 */
import { Effect, Either, Encoding, Schema } from "effect"
import { InvalidCursor } from "./Errors.js"

const Payload = Schema.Struct({
  /** The order: e.g. "notAfter:asc", "owners", "expiring". */
  o: Schema.String,
  v: Schema.Union(Schema.Number, Schema.String),
  i: Schema.optional(Schema.String)
})
type Payload = typeof Payload.Type

const PayloadFromJson = Schema.parseJson(Payload)
const encodeJson = Schema.encodeSync(PayloadFromJson)
const decodeJson = Schema.decodeUnknownEither(PayloadFromJson)

export interface Position {
  readonly value: number | string
  readonly id?: string
}

export const encode = (order: string, position: Position): string =>
  Encoding.encodeBase64Url(
    encodeJson(
      position.id === undefined
        ? { o: order, v: position.value }
        : { o: order, v: position.value, i: position.id }
    )
  )

/** The position a cursor holds, provided it was made for `order`. */
export const decode = (order: string, cursor: string): Effect.Effect<Payload, InvalidCursor> => {
  const payload = Encoding.decodeBase64UrlString(cursor).pipe(
    Either.flatMap((json) => decodeJson(json)),
    Either.getOrUndefined
  )
  if (payload === undefined)
    return Effect.fail(new InvalidCursor({ message: "the cursor is not one this service issued" }))
  if (payload.o !== order) {
    return Effect.fail(
      new InvalidCursor({
        message: `the cursor continues the order "${payload.o}", not "${order}": start again without it`
      })
    )
  }
  return Effect.succeed(payload)
}
