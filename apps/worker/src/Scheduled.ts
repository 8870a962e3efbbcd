/**
 * One Cron invocation of the jobs in a Cloudflare Worker (`scheduled` handler): each job once, with the
 * settings read from the Worker's string bindings (the same CERTORY_* names as the Node worker's
 * environment). Runtime-neutral: the caller provides the stores (storage-d1's `layerStores(env.DB)`)
 * and the certificate parser. The Worker's `scheduled(controller, env, ctx)` would run
 * `ctx.waitUntil(Effect.runPromise(Scheduled.run(env).pipe(Effect.provide(...))))`.
 */
import { Effect, Either } from "effect"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Runner from "./Runner.js"
import * as WorkerConfig from "./WorkerConfig.js"

/** Why the invocation could not start: a bad setting, in one line. */
export class InvalidSettings extends Error {
  override readonly name = "InvalidSettings"
}

/** The string bindings of `env` (D1 and other bindings are objects and left out). */
const settings = (env: Readonly<Record<string, unknown>>): Map<string, string> =>
  new Map(
    Object.entries(env).flatMap(([key, value]) =>
      key.startsWith("CERTORY_") && typeof value === "string" ? [[key, value] as const] : []
    )
  )

export const run = (env: Readonly<Record<string, unknown>>, holder: string = WorkerConfig.newHolder()) =>
  Effect.gen(function* () {
    const read = yield* Effect.either(
      WorkerConfig.fromEnv(holder).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(settings(env))))
    )
    if (Either.isLeft(read)) return yield* Effect.fail(new InvalidSettings(String(read.left)))
    const valid = WorkerConfig.validate(read.right)
    if (Either.isLeft(valid)) return yield* Effect.fail(new InvalidSettings(valid.left))
    return yield* Runner.runOnce(valid.right).pipe(Effect.provide(WorkerConfig.layerAdapters(valid.right)))
  })
