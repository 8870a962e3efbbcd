/**
 * The `certory` command tree. Commands call the packages' use-cases directly, never the HTTP API; the
 * inventory commands run as the local administrator over the store `--store` names (Local.ts).
 */
import { Command } from "@effect/cli"
import { demo } from "./commands/demo.js"
import { expiring } from "./commands/expiring.js"
import { find } from "./commands/find.js"
import { importCommand } from "./commands/import.js"
import { inspect } from "./commands/inspect.js"
import { list } from "./commands/list.js"
import { migrate } from "./commands/migrate.js"
import { owners } from "./commands/owners.js"
import { serve } from "./commands/serve.js"
import { templates } from "./commands/templates.js"
import { tokens } from "./commands/tokens.js"
import { unbind } from "./commands/unbind.js"
import { worker } from "./commands/worker.js"

export const certory = Command.make("certory").pipe(
  Command.withDescription("Certificate inventory for identities"),
  Command.withSubcommands([
    inspect,
    owners,
    importCommand,
    list,
    find,
    expiring,
    unbind,
    templates,
    tokens,
    demo,
    serve,
    migrate,
    worker
  ])
)

export const run = Command.run(certory, { name: "certory", version: "0.1.0" })
