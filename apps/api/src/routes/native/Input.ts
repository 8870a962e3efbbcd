/**
 * What the native routes read from a request: the query and JSON bodies decoded through their schemas
 * (a mismatch is `invalid_request` naming the field), the body's media type, its raw text or bytes.
 */
import { Errors, Inputs } from "@certory/domain"
import { Effect, ParseResult, Schema } from "effect"
import type { Context } from "hono"
import * as Body from "../../Body.js"
import type { Env } from "../../Http.js"
import { MalformedBody, UnsupportedMediaType } from "./Problems.js"

/** Decodes a query or body; a mismatch is InvalidRequest naming the field (unknown body fields too). */
const decodeWith =
  <A, I>(schema: Schema.Schema<A, I>, onExcessProperty: "ignore" | "error") =>
  (input: unknown): Effect.Effect<A, Errors.InvalidRequest> =>
    Schema.decodeUnknown(schema, { errors: "first", onExcessProperty })(input).pipe(
      Effect.mapError(
        (error) =>
          new Errors.InvalidRequest({
            message: Inputs.truncate(
              ParseResult.ArrayFormatter.formatErrorSync(error)
                .map(({ path, message }) => (path.length === 0 ? message : `${path.join(".")}: ${message}`))
                .join("; ")
                .replace(/\s*\n\s*/g, " ")
            )
          })
      )
    )

export const QueryInt = Schema.NumberFromString.pipe(Schema.int())
export const QueryBoolean = Schema.BooleanFromString
export const optional = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true })

/** The query parameters of every list. */
export const PageQuery = { cursor: optional(Schema.String), limit: optional(QueryInt) }

/** The query through `schema`; parameters it does not name are ignored. */
export const query = <A, I>(c: Context<Env>, schema: Schema.Schema<A, I>) =>
  decodeWith(schema, "ignore")(c.req.query())

/** The media type of the request body, lower-cased, without parameters. */
export const mediaType = (c: Context<Env>): string =>
  (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase()

export const isJson = (media: string) => media === "application/json" || media.endsWith("+json")

const malformed = (message: string) => new MalformedBody(message)

export const text = (c: Context<Env>) => Body.text(c, malformed)
export const bytes = (c: Context<Env>) => Body.bytes(c, malformed)

/** A JSON body through `schema`; with `emptyIsEmpty`, no body at all stands for `{}`. */
export const json = <A, I>(c: Context<Env>, schema: Schema.Schema<A, I>, emptyIsEmpty: boolean) =>
  Effect.gen(function* () {
    const body = yield* text(c)
    if (body.trim() === "" && emptyIsEmpty) return yield* decodeWith(schema, "error")({})
    if (!isJson(mediaType(c))) {
      return yield* Effect.fail(new UnsupportedMediaType("send the body as application/json"))
    }
    const parsed = yield* Body.parseJson(body, () => malformed("the body is not valid JSON"))
    return yield* decodeWith(schema, "error")(parsed)
  })
