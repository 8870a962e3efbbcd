/**
 * What every route shares: the request id and the per-request log line (one JSON line per request:
 * time, request id, method, route, status, duration), security headers, and `run`, which executes a
 * use-case on the runtime and hands its outcome to the surface's responder: a domain error to the
 * surface's error table, a defect to a 500 that carries only the request id (the cause goes to the
 * log, never to the client).
 */
import { Cause, type Effect, Exit, Option } from "effect"
import type { Context, MiddlewareHandler } from "hono"
import { routePath } from "hono/route"
import type { ApiRuntime, Services } from "./Runtime.js"

export interface Env {
  Variables: { requestId: string }
}

export type Log = (line: string) => void

/** A client's X-Request-Id is kept when it is a plain token; otherwise (or absent) we make one. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export const requestContext =
  (log: Log): MiddlewareHandler<Env> =>
  async (c, next) => {
    const started = performance.now()
    const given = c.req.header("x-request-id")
    const requestId = given !== undefined && CLIENT_REQUEST_ID.test(given) ? given : crypto.randomUUID()
    c.set("requestId", requestId)
    await next()
    c.header("X-Request-Id", requestId)
    c.header("X-Content-Type-Options", "nosniff")
    log(
      JSON.stringify({
        time: new Date().toISOString(),
        request_id: requestId,
        method: c.req.method,
        route: routePath(c),
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100
      })
    )
  }

/** How one surface answers: its error shapes. */
export interface Surface<E> {
  /** A failure the domain (or the route) reported: the surface's status and body for it. */
  readonly failure: (c: Context<Env>, error: E) => Response
  /** Anything else: a 500 in the surface's shape, naming the request id only. */
  readonly internal: (c: Context<Env>) => Response
}

/** Runs a use-case; its success goes to `onSuccess`, its failure to the surface. */
export const run = async <A, E>(
  c: Context<Env>,
  runtime: ApiRuntime,
  log: Log,
  surface: Surface<E>,
  effect: Effect.Effect<A, E, Services>,
  onSuccess: (value: A) => Response
): Promise<Response> => {
  const exit = await runtime.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return onSuccess(exit.value)
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) return surface.failure(c, failure.value)
  logDefect(log, c.get("requestId"), exit.cause)
  return surface.internal(c)
}

export const logDefect = (log: Log, requestId: string, cause: unknown): void =>
  log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: "error",
      request_id: requestId,
      cause: Cause.isCause(cause) ? Cause.pretty(cause) : String(cause)
    })
  )

/** `Authorization: Bearer <secret>` (or the bare secret, as some MIM clients send it). */
export const bearer = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  const match = /^Bearer\s+(.+)$/i.exec(trimmed)
  return match === null ? trimmed : match[1]!.trim()
}

/** A use-case effect, typed for the runtime. */
export type UseCase<A, E> = Effect.Effect<A, E, Services>
