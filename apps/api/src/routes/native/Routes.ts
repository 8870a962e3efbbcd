/**
 * What `register` gives each native route module: the app, the registry, how a use-case runs (its
 * failures to the problem table, a list to its ETag'd page) and who calls; and the prefix and security
 * every operation shares.
 */
import type { Tokens } from "@certory/domain"
import { Effect, type Schema } from "effect"
import type { Context, Hono } from "hono"
import { type Env, type Log, run, type UseCase } from "../../Http.js"
import * as Wire from "../../NativeWire.js"
import type * as OpenApi from "../../OpenApi.js"
import type { ApiRuntime } from "../../Runtime.js"
import { listed, sendList } from "./Output.js"
import { type Failure, surface } from "./Problems.js"

export const PREFIX = Wire.PREFIX
export const SECURITY = ["bearer"]

export interface Routes {
  readonly app: Hono<Env>
  readonly registry: OpenApi.Registry
  /** Runs the use-case; its success goes to `onSuccess`, its failure to the problem table. */
  readonly respond: <A, E extends Failure>(
    c: Context<Env>,
    effect: UseCase<A, E>,
    onSuccess: (value: A) => Response
  ) => Promise<Response>
  /** Runs a use-case giving one page of a list: encoded once through `schema`, sent with its ETag. */
  readonly respondList: <A, I, E extends Failure>(
    c: Context<Env>,
    schema: Schema.Schema<A, I>,
    effect: UseCase<NoInfer<A>, E>,
    cacheControl?: string
  ) => Promise<Response>
  /** The caller: a bearer API token, or the bootstrap administrator secret. */
  readonly authenticate: (c: Context<Env>) => ReturnType<typeof Tokens.authenticate>
}

export const make = (options: {
  readonly app: Hono<Env>
  readonly registry: OpenApi.Registry
  readonly runtime: ApiRuntime
  readonly log: Log
  readonly authenticate: Routes["authenticate"]
}): Routes => {
  const respond: Routes["respond"] = (c, effect, onSuccess) =>
    run(c, options.runtime, options.log, surface, effect, onSuccess)
  return {
    app: options.app,
    registry: options.registry,
    respond,
    respondList: (c, schema, effect, cacheControl) =>
      respond(
        c,
        Effect.flatMap(effect, (value) => listed(schema, value)),
        (list) => sendList(c, list, cacheControl)
      ),
    authenticate: options.authenticate
  }
}
