/**
 * Reading a request body, for every surface: its text or bytes, and JSON text parsed. A body that cannot
 * be read (a broken or aborted stream) or JSON that does not parse becomes the surface's own failure
 * (`fail`), so each surface keeps its wire shape and words while the reading is written once.
 */
import { Effect } from "effect"
import type { Context } from "hono"
import type { Env } from "./Http.js"

const UNREADABLE = "the request body could not be read"

/**
 * The body as UTF-8 text (a BOM dropped, bad sequences replaced: what `Request.text()` does). Decoded
 * from the bytes: workerd warns on every `.text()` of a body whose Content-Type is not textual, and PEM
 * uploads are `application/x-pem-file`.
 */
export const text = <E>(c: Context<Env>, fail: (message: string) => E): Effect.Effect<string, E> =>
  Effect.map(bytes(c, fail), (body) => new TextDecoder().decode(body))

/** The body as bytes. */
export const bytes = <E>(c: Context<Env>, fail: (message: string) => E): Effect.Effect<Uint8Array, E> =>
  Effect.tryPromise({
    try: async () => new Uint8Array(await c.req.arrayBuffer()),
    catch: () => fail(UNREADABLE)
  })

/** JSON text parsed; text that is not JSON is `fail`'s failure. */
export const parseJson = <E>(json: string, fail: () => E): Effect.Effect<unknown, E> =>
  Effect.try({ try: (): unknown => JSON.parse(json), catch: fail })

/**
 * Marks the response to a request whose body is refused unread (over the size limit): the server closes
 * the connection after it (the rest of the body is never read), so the client is told not to reuse it.
 * Without it, keep-alive clients (Node fetch, requests sessions, Go) failed their NEXT request with
 * "other side closed".
 */
export const refusedUnread = (c: Context<Env>): void => {
  c.header("Connection", "close")
}
