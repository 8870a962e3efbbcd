/**
 * Entity tags for list responses: a strong ETag of the exact body bytes (SHA-256 via WebCrypto, so it runs
 * on Workers too), and the If-None-Match check (RFC 9110 §13.1.2: weak comparison, `*` matches any), so
 * a client polling an unchanged list gets a 304 without the body.
 */
import { Effect, Encoding } from "effect"

export const of = (body: string): Effect.Effect<string> =>
  Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(body))).pipe(
    Effect.map((digest) => `"${Encoding.encodeBase64Url(new Uint8Array(digest))}"`)
  )

const opaque = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag)

/** Whether `If-None-Match` names this ETag (then the answer is 304). */
export const matches = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (ifNoneMatch === undefined) return false
  const wanted = opaque(etag)
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim())
    .some((tag) => tag === "*" || opaque(tag) === wanted)
}
