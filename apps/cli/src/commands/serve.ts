/**
 * `certory serve`: the HTTP API on Node over a store URL (`--store`, else CERTORY_STORE, else the
 * CLI's SQLite file), on `--host` / `--port` (else PORT, else 8080). With the demo inventory unless
 * `--no-demo` (or CERTORY_NO_DEMO=1). The bootstrap administrator token is CERTORY_ADMIN_TOKEN; when
 * unset, one is drawn for this run and printed (it is never stored). Runs until SIGINT / SIGTERM, then
 * lets in-flight requests finish.
 */
import * as NodeCertificateParser from "@certory/certificate-parser/node"
import { Token } from "@certory/domain"
import { Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Config, Console, Effect, Either, Layer, ManagedRuntime, Option } from "effect"
import * as Demo from "../Demo.js"
import * as Local from "../Local.js"
import * as Stores from "../Stores.js"

const host = Options.text("host").pipe(
  Options.withDescription("address to listen on (default 127.0.0.1)"),
  Options.withDefault("127.0.0.1")
)
const port = Options.integer("port").pipe(
  Options.withDescription("port to listen on (default $PORT, else 8080; 0 picks a free one)"),
  Options.withFallbackConfig(Config.integer("PORT").pipe(Config.withDefault(8080)))
)
const store = Options.text("store").pipe(
  Options.withDescription(
    "sqlite:PATH, postgres://... or memory: (default $CERTORY_STORE, else sqlite:<--db>)"
  ),
  Options.withFallbackConfig(Config.string("CERTORY_STORE")),
  Options.optional
)
const noDemo = Options.boolean("no-demo").pipe(
  Options.withDescription("start without the demo inventory (also CERTORY_NO_DEMO=1)")
)

const line = (text: string) => Console.log(text)

/** Why the server could not listen, in one line ("127.0.0.1:8080 is already in use"). */
const listenFailure = (host: string, port: number, error: unknown): string => {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : ""
  const where = `${host}:${port}`
  switch (code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the port is already in use (--port, or PORT)`
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: the address is not one of this machine's (--host)`
    case "EACCES":
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`
    default:
      return `cannot listen on ${where}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`
  }
}

export const serve = Command.make(
  "serve",
  { db: Local.db, host, port, store, noDemo },
  ({ db, host, port, store, noDemo }) =>
    Effect.gen(function* () {
      const url = Option.getOrElse(store, () => `sqlite:${db}`)
      const parsed = Stores.parse(url)
      if (Either.isLeft(parsed)) return yield* Local.fail("serve", parsed.left)
      if (!Number.isSafeInteger(port) || port < 0 || port > 65_535)
        return yield* Local.fail(
          "serve",
          `--port: ${port} is not a port number (0 to 65535; 0 picks a free one)`
        )
      const configured = process.env.CERTORY_ADMIN_TOKEN?.trim()
      const adminToken = configured !== undefined && configured !== "" ? configured : yield* Token.newSecret
      const runtime = ManagedRuntime.make(
        Layer.merge(Stores.layer(parsed.right), NodeCertificateParser.layer)
      )
      // Open (and migrate) the store before listening: a bad URL or an unreachable server is one line.
      const opened = yield* Effect.either(Effect.tryPromise(() => runtime.runtime()))
      if (Either.isLeft(opened)) {
        yield* Effect.promise(() => runtime.dispose())
        const reason = String(
          opened.left.error instanceof Error ? opened.left.error.message : opened.left.error
        )
        return yield* Local.fail(
          "serve",
          `cannot open ${Stores.describe(parsed.right)}: ${reason.split("\n")[0]}`
        )
      }
      const demo = !noDemo && process.env.CERTORY_NO_DEMO !== "1"
      if (demo) {
        const fs = yield* FileSystem.FileSystem
        yield* Effect.promise(() =>
          runtime.runPromise(
            Demo.seed(Local.principal()).pipe(Effect.provideService(FileSystem.FileSystem, fs))
          )
        )
      }
      // The API loads here, not at start-up: the other commands never pay for it.
      const [{ App }, NodeApi] = yield* Effect.promise(() =>
        Promise.all([import("@certory/api"), import("@certory/api/node")])
      )
      const app = App.createApp({ runtime, adminToken })
      // A port in use or an address not on this machine is the user's to fix: one line, exit 1.
      const started = yield* Effect.either(
        Effect.acquireRelease(
          Effect.tryPromise({
            try: () => NodeApi.start({ app, runtime, host, port }),
            catch: (error) => listenFailure(host, port, error)
          }),
          (server) => Effect.promise(() => server.close())
        )
      )
      if (Either.isLeft(started)) {
        yield* Effect.promise(() => runtime.dispose())
        return yield* Local.fail("serve", started.left)
      }
      const running = started.right
      yield* line(`certory API on ${running.url} (store ${Stores.describe(parsed.right)})`)
      yield* line(
        configured !== undefined && configured !== ""
          ? "administrator token: $CERTORY_ADMIN_TOKEN"
          : `administrator token (drawn for this run; set CERTORY_ADMIN_TOKEN to choose one): ${adminToken}`
      )
      if (demo) {
        const token = configured !== undefined && configured !== "" ? "$CERTORY_ADMIN_TOKEN" : adminToken
        yield* line("DEMO inventory loaded (--no-demo to start without it). Try:")
        yield* line(
          `  curl -H "Authorization: Bearer ${token}" ${running.url}/CertificateManagement/api/v1.0/smartcards/${Demo.SMART_CARD._tag === "SmartCard" ? Demo.SMART_CARD.id : ""}/certificates`
        )
        yield* line(
          `  curl -H "X-Security-Token: ${token}" ${running.url}/v1/identity-stores/d-66f1a2b3b80/external-idp/idp-azure/certificate`
        )
      }
      if (demo) {
        const token = configured !== undefined && configured !== "" ? "$CERTORY_ADMIN_TOKEN" : adminToken
        yield* line(
          `  curl -H "Authorization: Bearer ${token}" ${running.url}/api/v1/expiring?within=5000%20days`
        )
      }
      yield* line(`API documentation: ${running.url}/docs   (OpenAPI: ${running.url}/openapi.json)`)
      yield* line(`  curl ${running.url}/healthz   (Ctrl-C stops the server; in-flight requests finish)`)
      return yield* Effect.never
    }).pipe(Effect.scoped)
).pipe(
  Command.withDescription(
    "Serve the HTTP API (MIM CM and Huawei IAM Identity Center surfaces, the native API, /docs). Example: CERTORY_ADMIN_TOKEN=... certory serve --port 8080 --store postgres://certory@db/certory"
  )
)
