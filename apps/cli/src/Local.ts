/**
 * The CLI as a local principal over one SQLite file. The store and parser layers are composed here and
 * nowhere else, and every domain error becomes one line on stderr (`certory <command>: <message>`) with
 * exit code 1.
 *
 * The local CLI is an Administrator of the local file: whoever may run it on this machine can open and
 * edit the file anyway, so narrower grants would protect nothing. The principal id (recorded as
 * `createdBy` / `boundBy`) is CERTORY_PRINCIPAL, else the OS user name.
 */
import { userInfo } from "node:os"
import { X509CertificateParser } from "@certory/certificate-parser"
import type { CertificateParser, CertificateStore } from "@certory/domain"
import { Principal } from "@certory/domain"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import { Options } from "@effect/cli"
import { Config, Console, Effect, Layer } from "effect"

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

/** `--db <file>`: every inventory command takes it. */
export const db = Options.text("db").pipe(
  Options.withDescription("the SQLite file (default: $CERTORY_SQLITE_FILE, else ./certory.sqlite)"),
  Options.withFallbackConfig(
    Config.string("CERTORY_SQLITE_FILE").pipe(Config.withDefault("./certory.sqlite"))
  )
)

export const layer = (filename: string) =>
  Layer.merge(SqliteCertificateStore.layer({ filename }), X509CertificateParser.layer)

/** Prints `certory <command>: <message>` on stderr and makes the process exit 1. */
export const fail = (command: string, message: string) =>
  Console.error(`certory ${command}: ${message}`).pipe(
    Effect.zipRight(
      Effect.sync(() => {
        process.exitCode = 1
      })
    )
  )

/**
 * Runs one command's body against the store in `filename` as the local principal. Failures (domain
 * errors, or the command's own errors carrying a message) end the command with one line and exit 1.
 */
export const run = <A, E extends { readonly message: string }, R>(
  command: string,
  filename: string,
  body: (principal: Principal.Principal) => Effect.Effect<A, E, R>
): Effect.Effect<
  void,
  never,
  Exclude<R, CertificateStore.CertificateStore | CertificateParser.CertificateParser>
> =>
  Effect.suspend(() => body(principal())).pipe(
    Effect.asVoid,
    Effect.catchAll((error) => fail(command, error.message)),
    Effect.provide(layer(filename))
  )
