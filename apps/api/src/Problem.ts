/**
 * RFC 9457 problem details (`application/problem+json`): the native API's one error shape. Every problem
 * has a stable `code` (the part of the answer clients branch on), its `type` URI derived from the code,
 * a `title` fixed per code, an optional human `detail`, and the request id (also in `X-Request-Id`), so
 * a client's report can be found in the log. A 500 carries no detail at all.
 */
import { Schema } from "effect"
import type { Context } from "hono"
import type { Env } from "./Http.js"

export const CONTENT_TYPE = "application/problem+json"

/** Identifies the problem type; not meant to be dereferenced (the code is documented in the OpenAPI document). */
export const typeOf = (code: string): string => `https://certory.dev/problems/${code}`

/** The problem schema over a closed list of codes (the document lists them). */
export const schema = <const Codes extends readonly [string, ...Array<string>]>(codes: Codes) =>
  Schema.Struct({
    type: Schema.String,
    title: Schema.String,
    status: Schema.Int,
    detail: Schema.optional(Schema.String),
    code: Schema.Literal(...codes),
    request_id: Schema.String,
    /** InvalidCertificate: the 1-based PEM block at fault, when known. */
    block: Schema.optional(Schema.Int)
  }).annotations({ identifier: "Problem", description: "RFC 9457 problem details" })

export interface Problem {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail?: string
  readonly block?: number
}

/** The response for a problem; `encode` is the surface's schema encoder (so the body matches the document). */
export const respond = (
  c: Context<Env>,
  encode: (body: Record<string, unknown>) => unknown,
  problem: Problem,
  headers: Record<string, string> = {}
): Response =>
  c.body(
    JSON.stringify(
      encode({
        type: typeOf(problem.code),
        title: problem.title,
        status: problem.status,
        ...(problem.detail === undefined ? {} : { detail: problem.detail }),
        code: problem.code,
        request_id: c.get("requestId"),
        ...(problem.block === undefined ? {} : { block: problem.block })
      })
    ),
    problem.status as 400,
    { "Content-Type": CONTENT_TYPE, ...headers }
  )
