/**
 * The `certory` command tree. Commands call the packages' use-cases directly, never the HTTP API.
 */
import { Command } from "@effect/cli"
import { inspect } from "./commands/inspect.js"

export const certory = Command.make("certory").pipe(
  Command.withDescription("Certificate inventory for identities"),
  Command.withSubcommands([inspect])
)

export const run = Command.run(certory, { name: "certory", version: "0.1.0" })
