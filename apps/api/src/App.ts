/**
 * The certory HTTP API as one Hono app, the same on Node (node.ts) and Cloudflare Workers: the MIM CM
 * and Huawei IAM Identity Center compatibility surfaces, health and readiness. It runs use-cases on the
 * runtime it is given and builds nothing itself, so tests call `createApp(...).request(...)` on memory
 * stores and each entrypoint composes its own layers.
 */
import { CertificateStore } from "@certory/domain"
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import { getPath } from "hono/utils/url"
import * as Docs from "./Docs.js"
import { type Env, type Log, logDefect, requestContext } from "./Http.js"
import * as OpenApi from "./OpenApi.js"
import type { ApiRuntime } from "./Runtime.js"
import * as Huawei from "./routes/huawei.js"
import * as Mim from "./routes/mim.js"
import * as Native from "./routes/native.js"

const Health = Schema.Struct({ status: Schema.Literal("ok", "ready", "unavailable") })

export interface AppOptions {
  readonly runtime: ApiRuntime
  /** The bootstrap administrator secret (CERTORY_ADMIN_TOKEN), if the deployment sets one. */
  readonly adminToken?: string
  /** Where the per-request JSON lines go; default stderr (console.error). */
  readonly log?: Log
  /** The most certificates one MIM list returns (default 10,000). */
  readonly mimCeiling?: number
  /** Certificates per store query when a compatibility list gathers every page (default 1,000). */
  readonly gatherPageSize?: number
  /** The largest request body the native API (/api/v1) takes, in bytes (default 1 MiB); larger is a 413. */
  readonly maxBodyBytes?: number
  /**
   * The SAML service provider the Huawei surface reports to IdPs (`hws_sp_saml_config`); each value absent
   * defaults to one derived from the request's origin.
   */
  readonly serviceProvider?: Huawei.ServiceProvider
}

/** MIM's prefix is matched case-insensitively, as IIS does; every other path is case-sensitive. */
const routingPath = (request: Request): string => {
  const path = getPath(request)
  return path.toLowerCase().startsWith(Mim.PREFIX) ? path.toLowerCase() : path
}

export const createApp = (options: AppOptions): Hono<Env> => {
  const log = options.log ?? ((line: string) => console.error(line))
  const app = new Hono<Env>({ getPath: routingPath })
  const registry = new OpenApi.Registry()
  app.use(requestContext(log))

  app.get("/healthz", (c) => c.json({ status: "ok" }))
  app.get("/readyz", async (c) => {
    // The store answers a trivial query: the database is reachable and migrated.
    const exit = await options.runtime.runPromiseExit(
      Effect.flatMap(CertificateStore.CertificateStore, (store) => store.listOwners({ limit: 1 }))
    )
    if (exit._tag === "Success") return c.json({ status: "ready" })
    logDefect(log, c.get("requestId"), exit.cause)
    return c.json({ status: "unavailable" }, 503)
  })

  Mim.register(app, {
    registry,
    runtime: options.runtime,
    log,
    mimCeiling: options.mimCeiling ?? 10_000,
    pageSize: options.gatherPageSize ?? 1000,
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken })
  })
  Huawei.register(app, {
    registry,
    runtime: options.runtime,
    log,
    ...(options.serviceProvider === undefined ? {} : { serviceProvider: options.serviceProvider }),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken })
  })
  Native.register(app, {
    registry,
    runtime: options.runtime,
    log,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken })
  })

  registry.add({
    method: "get",
    path: "/healthz",
    operationId: "health",
    tags: ["Operations"],
    summary: "The process is up",
    security: [],
    responses: { "200": { description: "up", content: { "application/json": Health } } }
  })
  registry.add({
    method: "get",
    path: "/readyz",
    operationId: "ready",
    tags: ["Operations"],
    summary: "The store is reachable",
    security: [],
    responses: {
      "200": { description: "ready", content: { "application/json": Health } },
      "503": { description: "the store is unreachable", content: { "application/json": Health } }
    }
  })
  registry.add({
    method: "get",
    path: "/openapi.json",
    operationId: "openapi",
    tags: ["Operations"],
    summary: "This document",
    security: [],
    responses: {
      "200": {
        description: "the OpenAPI 3.1 document",
        content: { "application/json": Schema.Record({ key: Schema.String, value: Schema.Unknown }) }
      }
    }
  })
  registry.add(Docs.operation)
  // Built once the routes are registered; served as is.
  const openapi = OpenApi.document(registry, { title: "certory", version: "0.1.0" })
  app.get("/openapi.json", (c) => c.json(openapi))
  app.get("/docs", Docs.handler(openapi))

  app.notFound((c) => c.json({ status: 404, title: "Not Found", request_id: c.get("requestId") }, 404))
  // A throw that escaped a handler (a bug): the log gets it, the client gets the request id only.
  app.onError((error, c) => {
    logDefect(log, c.get("requestId") ?? "unknown", error)
    return c.json({ status: 500, title: "Internal Server Error", request_id: c.get("requestId") }, 500)
  })
  return app
}
