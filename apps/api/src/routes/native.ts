/**
 * The native API under /api/v1: owners (smart cards, profiles, identity stores and their IdPs) created
 * idempotently with PUT, read, changed and removed; one owner's certificates listed with every domain
 * filter, sort and cursor, imported (PEM / DER / PKCS#7 by Content-Type, or JSON), read one by one (JSON,
 * or PEM / DER by Accept) and unbound; look-up by any fingerprint or serial spelling; the expiring
 * report; API tokens; the template catalog (administrators only). Every operation runs domain use-cases
 * as the caller's token; the shapes are in NativeWire.ts, errors are RFC 9457 problems (Problem.ts) from
 * ONE table (native/problems.ts). One module per resource under native/; this one registers them.
 *
 * Owner routes check the grant right after reading the path, before any query or body is looked at, so
 * a caller without access gets the same 403 whether or not the owner exists and whatever it sent.
 * Lists carry a strong ETag of their body and answer `If-None-Match` with 304. Request bodies are capped
 * (413, chunked bodies included); token responses are never stored (`Cache-Control: no-store`, also the
 * default of every native response that does not say otherwise).
 */
import type { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import * as Auth from "../Auth.js"
import * as Body from "../Body.js"
import type { Env, Log } from "../Http.js"
import type * as OpenApi from "../OpenApi.js"
import type { ApiRuntime } from "../Runtime.js"
import * as Certificates from "./native/certificates.js"
import * as Expiring from "./native/expiring.js"
import * as Lookup from "./native/lookup.js"
import * as Owners from "./native/owners.js"
import { answer } from "./native/Problems.js"
import * as Routes from "./native/Routes.js"
import * as Templates from "./native/templates.js"
import * as Tokens from "./native/tokens.js"

export { negotiate } from "./native/certificates.js"
export { ProblemBody } from "./native/Problems.js"

export interface Options {
  readonly registry: OpenApi.Registry
  readonly runtime: ApiRuntime
  readonly log: Log
  readonly adminToken?: string
  /** The largest request body in bytes; a larger one is a 413. */
  readonly maxBodyBytes: number
}

export const register = (app: Hono<Env>, options: Options): void => {
  const routes = Routes.make({
    app,
    registry: options.registry,
    runtime: options.runtime,
    log: options.log,
    authenticate: Auth.authenticator(options.adminToken)
  })

  app.use(
    `${Routes.PREFIX}/*`,
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) => {
        Body.refusedUnread(c)
        return answer(c, "PayloadTooLarge", `the request body exceeds ${options.maxBodyBytes} bytes`)
      }
    })
  )
  app.use(`${Routes.PREFIX}/*`, async (c, next) => {
    await next()
    // Tokens are never stored by a cache; elsewhere only what a route marks revalidatable.
    if (c.req.path.startsWith(`${Routes.PREFIX}/tokens`) || !c.res.headers.has("Cache-Control"))
      c.header("Cache-Control", "no-store")
  })

  // The order of registration is the order of the OpenAPI document.
  for (const kind of Owners.KINDS) {
    Owners.registerKind(routes, kind)
    if (kind.name === "Idp") Owners.registerSync(routes, kind)
    Certificates.register(routes, kind)
  }
  Owners.registerList(routes)
  Lookup.register(routes)
  Expiring.register(routes)
  Templates.register(routes)
  Tokens.register(routes)

  // Anything else under the prefix: a problem, not the app's generic 404.
  app.all(`${Routes.PREFIX}/*`, (c) => answer(c, "RouteNotFound", "no such resource or method under /api/v1"))
}
