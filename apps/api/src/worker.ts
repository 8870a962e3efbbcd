/**
 * The API on Cloudflare Workers: the same `createApp` as on Node, over the D1 stores (CertificateStore,
 * TokenStore and TemplateCatalog on the one binding `DB`, migrated on first use) and the x509 parser. The
 * bootstrap administrator secret is the Worker secret `CERTORY_ADMIN_TOKEN`. No `nodejs_compat`.
 *
 * An isolate builds its app and runtime on its first request and keeps them for the next ones, keyed by
 * the `DB` binding object (a WeakMap, the one piece of module state): the runtime holds no per-request
 * state, only the D1 binding (which may be used from any request of the isolate) and the parsed
 * configuration, so sharing it between requests is what the Workers model intends. A build that failed
 * (D1 unreachable, a migration refused) is not kept: the next request tries again.
 *
 * `scheduled` is the Cron Trigger (wrangler.jsonc `triggers.crons`): the background jobs of
 * @certory/worker (SAML metadata sync, expiry notices) once, on the same D1 stores, configured by the
 * Worker's CERTORY_* variables and secrets (docs/jobs.md). Each job's lines go to the log; an invocation
 * whose jobs could not run at all (bad settings, D1 down) throws, so the Cron event shows as failed.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { D1CertificateStore } from "@certory/storage-d1"
import { Scheduled } from "@certory/worker"
import type { D1Database, ExecutionContext, ScheduledController } from "@cloudflare/workers-types"
import { Effect, Layer, ManagedRuntime } from "effect"
import type { Hono } from "hono"
import { createApp } from "./App.js"
import { type Env, type Log, logDefect } from "./Http.js"
import type { ApiRuntime } from "./Runtime.js"

/** The Worker's bindings (wrangler.jsonc) and secrets. */
export interface WorkerEnv {
  readonly DB: D1Database
  /** The jobs' settings (CERTORY_WEBHOOK_URL, CERTORY_WEBHOOK_SECRET, ...; docs/jobs.md), read by `scheduled`. */
  readonly [setting: `CERTORY_${string}`]: string | undefined
  /** The bootstrap administrator secret (`wrangler secret put CERTORY_ADMIN_TOKEN`); without it only API tokens work. */
  readonly CERTORY_ADMIN_TOKEN?: string
}

interface Built {
  readonly adminToken: string | undefined
  readonly app: Hono<Env>
  readonly runtime: ApiRuntime
}

// Request lines at info level, defects (`"level":"error"`, see Http.logDefect) at error level in Workers Logs.
const log: Log = (line) => (line.includes('"level":"error"') ? console.error(line) : console.log(line))

/** The runtime of one isolate: D1 stores (migrated before the first use) and the parser. */
export const makeRuntime = (db: D1Database): ApiRuntime =>
  ManagedRuntime.make(Layer.merge(D1CertificateStore.layerStores(db), X509CertificateParser.layer))

const adminTokenOf = (env: WorkerEnv): string | undefined => {
  const configured = env.CERTORY_ADMIN_TOKEN?.trim()
  return configured === undefined || configured === "" ? undefined : configured
}

const build = async (db: D1Database, adminToken: string | undefined): Promise<Built> => {
  const runtime = makeRuntime(db)
  try {
    // Open and migrate now, so a failure is seen here (and retried by the next request), not cached.
    await runtime.runtime()
  } catch (error) {
    await runtime.dispose().catch(() => undefined)
    throw error
  }
  const app = createApp({ runtime, log, ...(adminToken === undefined ? {} : { adminToken }) })
  return { adminToken, app, runtime }
}

const unavailable = (requestId: string): Response =>
  new Response(JSON.stringify({ status: 503, title: "Service Unavailable", request_id: requestId }), {
    status: 503,
    headers: { "content-type": "application/json", "x-request-id": requestId, "retry-after": "1" }
  })

/**
 * A Worker (`{ fetch }`) with its own cache of built apps; the default export is one of these. Tests and
 * the bench make their own, so nothing is shared between them.
 */
export const makeWorker = () => {
  const isolates = new WeakMap<D1Database, Promise<Built>>()

  const appFor = (env: WorkerEnv, ctx: ExecutionContext | undefined): Promise<Built> => {
    const adminToken = adminTokenOf(env)
    const cached = isolates.get(env.DB)
    if (cached !== undefined) {
      return cached.then((built) => {
        if (built.adminToken === adminToken) return built
        // The secret changed under the same binding (only in tests; a deployment gets a new isolate).
        isolates.delete(env.DB)
        return appFor(env, ctx)
      })
    }
    const building = build(env.DB, adminToken)
    isolates.set(env.DB, building)
    // Other requests may wait on this build: it must finish even if this request's client goes away.
    ctx?.waitUntil(building.catch(() => undefined))
    building.catch(() => {
      if (isolates.get(env.DB) === building) isolates.delete(env.DB)
    })
    return building
  }

  return {
    async fetch(request: Request, env: WorkerEnv, ctx?: ExecutionContext): Promise<Response> {
      if (env?.DB === undefined) {
        const requestId = crypto.randomUUID()
        logDefect(log, requestId, "the D1 binding DB is missing: add it to wrangler.jsonc (d1_databases)")
        return unavailable(requestId)
      }
      let built: Built
      try {
        built = await appFor(env, ctx)
      } catch (error) {
        const requestId = crypto.randomUUID()
        logDefect(log, requestId, error instanceof Error ? (error.stack ?? error.message) : error)
        return unavailable(requestId)
      }
      return built.app.fetch(request, env, ctx)
    },

    async scheduled(controller: ScheduledController, env: WorkerEnv, _ctx?: ExecutionContext): Promise<void> {
      const requestId = crypto.randomUUID()
      if (env?.DB === undefined) {
        logDefect(log, requestId, "the D1 binding DB is missing: add it to wrangler.jsonc (d1_databases)")
        throw new Error(`scheduled ${requestId}: the D1 binding DB is missing`)
      }
      const jobs = Scheduled.run(env as unknown as Readonly<Record<string, unknown>>).pipe(
        Effect.provide(Layer.merge(D1CertificateStore.layerStores(env.DB), X509CertificateParser.layer)),
        Effect.exit
      )
      const run = Effect.runPromise(jobs).then((exit) => {
        if (exit._tag === "Failure") {
          logDefect(log, requestId, exit.cause)
          throw new Error(`scheduled ${requestId}: the jobs could not run (see the log line with this id)`)
        }
        for (const result of exit.value)
          for (const line of result.lines)
            log(
              JSON.stringify({
                time: new Date().toISOString(),
                request_id: requestId,
                cron: controller.cron,
                job: result.job,
                ok: result.ok,
                line
              })
            )
        const failed = exit.value.filter((result) => !result.ok).map((result) => result.job)
        if (failed.length > 0) throw new Error(`scheduled ${requestId}: ${failed.join(", ")} could not run`)
      })
      // The runtime waits for the returned promise (a rejection marks the Cron event failed): no waitUntil.
      return run
    }
  }
}

export default makeWorker()
