/**
 * `certory templates add|list|remove`: the catalog of certificate template names, the names MIM shows as
 * TemplateCommonName for certificates that carry only a template OID.
 */
import { Page, Templates } from "@certory/domain"
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as Confirm from "../Confirm.js"
import * as Flags from "../Flags.js"
import * as Json from "../Json.js"
import * as Local from "../Local.js"
import * as Report from "../Report.js"

const oid = Args.text({ name: "oid" }).pipe(
  Args.withDescription("the template OID, dotted (1.3.6.1.4.1.311.21.8....)")
)
const name = Args.text({ name: "name" }).pipe(Args.withDescription("the name to show for it"))

const add = Command.make("add", { ...Local.storeOptions, oid, name }, ({ oid, name, ...choice }) =>
  Local.run("templates add", choice, (principal) =>
    Templates.setTemplateName(principal, { oid, name }).pipe(
      Effect.flatMap((entry) => Console.log(`${entry.oid} is named ${JSON.stringify(entry.name)}`))
    )
  )
).pipe(
  Command.withDescription(
    "Name a template OID, or rename it. Example: certory templates add 1.3.6.1.4.1.311.21.8.1.2 SmartcardLogon"
  )
)

/** Every entry: the catalog is small, so the command follows the cursors itself. */
const allTemplates = Effect.fn("allTemplates")(function* (
  principal: Parameters<typeof Templates.listTemplates>[0]
) {
  return yield* Page.allItems((cursor) =>
    Templates.listTemplates(principal, { limit: 1000, ...Page.at(cursor) })
  )
})

const list = Command.make("list", { ...Local.storeOptions, json: Flags.json }, ({ json, ...choice }) =>
  Local.run("templates list", choice, (principal) =>
    Effect.flatMap(allTemplates(principal), (items) =>
      Console.log(
        json
          ? Json.stringify(Json.TemplateList, items)
          : items.length === 0
            ? "no template names"
            : Report.table(
                ["OID", "NAME", "UPDATED", "BY"],
                items.map((entry) => [entry.oid, entry.name, Report.iso(entry.updatedAt), entry.updatedBy]),
                // Fitted like `list`: the name gives way first; an OID is only ever cut at the right edge.
                { width: Report.terminalWidth(), shrink: ["NAME"] }
              )
      )
    )
  )
).pipe(Command.withDescription("List the template names. Example: certory templates list --json"))

const remove = Command.make(
  "remove",
  { ...Local.storeOptions, oid, yes: Confirm.yes },
  ({ oid, yes, ...choice }) =>
    Local.run("templates remove", choice, (principal) =>
      Templates.getTemplate(principal, { oid }).pipe(
        Effect.flatMap((entry) =>
          Confirm.confirm(`the template name ${JSON.stringify(entry.name)} of ${oid}`, yes)
        ),
        Effect.zipRight(Templates.removeTemplate(principal, { oid })),
        Effect.zipRight(Console.log(`removed template ${oid}`))
      )
    )
).pipe(
  Command.withDescription(
    "Remove a template name (certificates show the OID again); asks first, or --yes. Example: certory templates remove 1.3.6.1.4.1.311.21.8.1.2 --yes"
  )
)

export const templates = Command.make("templates").pipe(
  Command.withDescription("Manage the names of certificate template OIDs (MIM's TemplateCommonName)"),
  Command.withSubcommands([add, list, remove])
)
