/**
 * The CLI as a local principal over one store (Stores.ts opens it). The store and parser layers are
 * composed here and nowhere else, and every domain error becomes one line on stderr (`certory <command>: <message>`) with
 * exit code 1.
 *
 * The local CLI is an Administrator of the store it opens: whoever may run it on this machine can open and
 * edit the file anyway, so narrower grants would protect nothing. The principal id (recorded as
 * `createdBy` / `boundBy`) is CERTORY_PRINCIPAL, else the OS user name.
 */
import { userInfo } from "node:os"
import * as NodeCertificateParser from "@certory/certificate-parser/node"
import type { CertificateParser } from "@certory/domain"
import { Principal } from "@certory/domain"
import { Options } from "@effect/cli"
import { Config, Console, Effect, Either, Layer, Option } from "effect"
import * as Stores from "./Stores.js"

const localId = (): string => {
  const fromEnv = process.env.CERTORY_PRINCIPAL?.trim()
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv
  try {
    return userInfo().username || "local"
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    return process.env.USER ?? "local"
  }
}

export const principal = (): Principal.Principal =>
  new Principal.Principal({ id: localId(), grants: [new Principal.Administrator()] })

/** `--db <file>`: every inventory command takes it (`--store sqlite:<file>` says the same). */
export const db = Options.text("db").pipe(
  Options.withDescription("the SQLite file (default: $CERTORY_SQLITE_FILE, else ./certory.sqlite)"),
  Options.withFallbackConfig(
    Config.string("CERTORY_SQLITE_FILE").pipe(Config.withDefault("./certory.sqlite"))
  )
)

/** `--store <url>`: any store; wins over `--db`. */
export const store = Options.text("store").pipe(
  Options.withDescription(
    "sqlite:PATH, postgres://... or memory: (default $CERTORY_STORE, else sqlite:<--db>)"
  ),
  Options.withFallbackConfig(Config.string("CERTORY_STORE")),
  Options.optional
)

export const noMigrate = Options.boolean("no-migrate").pipe(
  Options.withDescription("do not apply pending migrations (an out-of-date store is then an error)")
)

/** The options that choose and open the store: every command over the inventory takes them. */
export const storeOptions = { db, store, noMigrate }

export interface StoreChoice {
  readonly db: string
  readonly store: Option.Option<string>
  readonly noMigrate: boolean
}

/** The store URL the options name: `--store`, else CERTORY_STORE, else `sqlite:<--db>`. */
export const storeUrl = (choice: StoreChoice): string =>
  Option.getOrElse(
    Option.filter(choice.store, (url) => url.trim() !== ""),
    () => `sqlite:${choice.db}`
  )

/** Prints `certory <command>: <message>` on stderr and makes the process exit 1. */
export const fail = (command: string, message: string) =>
  Console.error(`certory ${command}: ${message}`).pipe(
    Effect.zipRight(
      Effect.sync(() => {
        process.exitCode = 1
      })
    )
  )

export interface RunOptions {
  /** Whether the command may create a missing store (only `owners add`, `import` and `migrate` may). */
  readonly create?: boolean
}

/**
 * Opens the store the options name (Stores.open), then runs one command's body against it as the local
 * principal. Failures (the store's, domain errors, or the command's own errors carrying a message) end
 * the command with one line and exit 1.
 */
export const run = <A, E extends { readonly message: string }, R>(
  command: string,
  choice: StoreChoice,
  body: (principal: Principal.Principal, opened: Stores.Opened) => Effect.Effect<A, E, R>,
  options: RunOptions = {}
): Effect.Effect<void, never, Exclude<R, Stores.Services | CertificateParser.CertificateParser>> =>
  Effect.gen(function* () {
    const parsed = Stores.parse(storeUrl(choice))
    if (Either.isLeft(parsed)) return yield* Effect.fail({ message: parsed.left })
    const opened = yield* Stores.open(parsed.right, {
      create: options.create === true,
      migrate: !choice.noMigrate
    })
    yield* body(principal(), opened).pipe(
      Effect.provide(Layer.merge(Layer.succeedContext(opened.context), NodeCertificateParser.layer))
    )
  }).pipe(
    Effect.scoped,
    Effect.catchAll((error: { readonly message: string }) => fail(command, error.message))
  ) as Effect.Effect<void, never, Exclude<R, Stores.Services | CertificateParser.CertificateParser>>
