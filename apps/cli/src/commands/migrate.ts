/**
 * `certory migrate`: creates the store when it is missing, applies pending migrations and prints the
 * schema version. The other commands migrate too unless `--no-migrate`; this one exists for deployments
 * that migrate once, before starting API instances with `--no-migrate`.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"
import * as Local from "../Local.js"
import * as Stores from "../Stores.js"

export const migrate = Command.make("migrate", { db: Local.db, store: Local.store }, (choice) =>
  Local.run(
    "migrate",
    { ...choice, noMigrate: false },
    (_, opened) =>
      Console.log(
        opened.applied.length === 0
          ? `schema version ${Stores.SCHEMA_VERSION} (already current)`
          : `schema version ${Stores.SCHEMA_VERSION} (applied ${opened.applied.join(", ")})`
      ),
    { create: true }
  )
).pipe(
  Command.withDescription(
    "Create the store if needed and apply pending migrations; prints the schema version. Example: certory migrate --store postgres://certory@db/certory"
  )
)
