/**
 * What the native routes answer besides problems: JSON bodies, list pages (encoded once, with a strong
 * ETag of their exact text, 304 for a client that holds them), and the OpenAPI pieces every operation
 * repeats.
 */
import { Page } from "@certory/domain"
import { Effect, Schema } from "effect"
import type { Context } from "hono"
import * as ETag from "../../ETag.js"
import type { Env } from "../../Http.js"
import type * as OpenApi from "../../OpenApi.js"
import { type ProblemStatus, problems } from "./Problems.js"

export const JSON_TYPE = "application/json"

export const json = (
  c: Context<Env>,
  body: unknown,
  status: 200 | 201,
  headers: Record<string, string> = {}
) => c.body(JSON.stringify(body), status, { "Content-Type": JSON_TYPE, ...headers })

/** A domain page as the wire's: its items through `f`. */
export const page = <A, B>(value: Page.Page<A>, f: (a: A) => B) => ({
  items: value.items.map(f),
  total: value.total,
  ...(value.nextCursor === undefined ? {} : { nextCursor: value.nextCursor })
})

/** A list body, encoded once: its exact text and the ETag of that text. */
export interface Listed {
  readonly text: string
  readonly etag: string
}

export const listed = <A, I>(schema: Schema.Schema<A, I>, value: A): Effect.Effect<Listed> =>
  Effect.suspend(() => {
    const text = JSON.stringify(Schema.encodeSync(schema)(value))
    return Effect.map(ETag.of(text), (etag) => ({ text, etag }))
  })

/** 304 when the client holds this list already, else the list; lists may be revalidated, not reused. */
export const sendList = (c: Context<Env>, list: Listed, cacheControl = "private, no-cache"): Response =>
  ETag.matches(c.req.header("if-none-match"), list.etag)
    ? c.body(null, 304, { ETag: list.etag, "Cache-Control": cacheControl })
    : c.body(list.text, 200, { "Content-Type": JSON_TYPE, ETag: list.etag, "Cache-Control": cacheControl })

// The OpenAPI side.

export const pageParameters: ReadonlyArray<OpenApi.Parameter> = [
  { name: "cursor", in: "query", schema: Schema.String, description: "`nextCursor` of the previous page" },
  { name: "limit", in: "query", schema: Page.Limit, description: "page size, 1-1000 (default 100)" }
]

/** A list operation's answers: one page with its ETag, 304, and the problems. */
export const listResponses = (
  pageSchema: Schema.Schema.AnyNoContext,
  ...statuses: ReadonlyArray<ProblemStatus>
) => ({
  "200": {
    description: "one page",
    content: { [JSON_TYPE]: pageSchema },
    headers: { ETag: { description: "strong ETag of the body; send it back in If-None-Match" } }
  },
  "304": {
    description: "the list is unchanged since the ETag sent in If-None-Match (no body)",
    headers: { ETag: { description: "the list's ETag" } }
  },
  ...problems(...statuses)
})

/** A binary body in the document: a string of the media type. */
export const BinarySchema = (media: string) =>
  Schema.String.annotations({ jsonSchema: { type: "string", contentMediaType: media } })
