/**
 * Who calls, the same on every surface: the secret a surface takes from its headers is authenticated by
 * the domain (an API token, or the deployment's bootstrap administrator secret), and a route that names
 * an owner checks the caller's grant on it before it reads the query or the body, so a caller without
 * access gets the same 403 whether or not the owner exists and whatever it sent.
 */
import { Authorization, type Ids, type Principal as P, Tokens } from "@certory/domain"
import { Effect } from "effect"
import type { Context } from "hono"
import { bearer, type Env } from "./Http.js"

/** The secret in `Authorization` (`Bearer <secret>`, or the bare secret). */
export const authorizationSecret = (c: Context<Env>): string | undefined =>
  bearer(c.req.header("authorization"))

/** Authenticates the secret `secretOf` reads; `adminToken` is the deployment's bootstrap secret, if any. */
export const authenticator = (
  adminToken: string | undefined,
  secretOf: (c: Context<Env>) => string | undefined = authorizationSecret
) => {
  const options = adminToken === undefined ? {} : { bootstrapSecret: adminToken }
  return (c: Context<Env>) => Tokens.authenticate(secretOf(c), options)
}

/** The caller and the owner the path names, the caller's grant checked for `action` before anything else. */
export const ownerAccess = <Ref extends Ids.OwnerRef, E1, R1, E2, R2>(
  caller: Effect.Effect<P.Principal, E1, R1>,
  owner: Effect.Effect<Ref, E2, R2>,
  action: Authorization.Action
) =>
  Effect.gen(function* () {
    const principal = yield* caller
    const ref = yield* owner
    yield* Authorization.authorize(principal, ref, action)
    return { principal, ref }
  })
