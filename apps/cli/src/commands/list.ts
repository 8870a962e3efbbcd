/**
 * `certory list <owner>`: one owner's certificates, filtered, sorted and paginated by the use-case.
 */
import { type ListOwnerCertificates as L, ListOwnerCertificates } from "@certory/domain"
import { Command, Options } from "@effect/cli"
import { Clock, Console, Effect } from "effect"
import * as Flags from "../Flags.js"
import * as Json from "../Json.js"
import * as Local from "../Local.js"
import * as Report from "../Report.js"

const validity = Options.choiceWithValue("validity", [
  ["valid", "valid"],
  ["expired", "expired"],
  ["not-yet-valid", "notYetValid"]
] as const).pipe(Options.withDescription("validity now"), Options.optional)
const expiringWithin = Flags.duration("expiring-within").pipe(
  Options.withDescription('valid now and expiring within this, e.g. "30 days"'),
  Options.optional
)
const keyHistory = Options.choice("key-history", ["include", "exclude", "only"]).pipe(
  Options.withDescription("key history certificates (default include)"),
  Options.optional
)
const archivedOnCa = Options.choiceWithValue("archived-on-ca", [
  ["true", true],
  ["false", false]
] as const).pipe(
  Options.withDescription("only keys archived on the CA, or only the others"),
  Options.optional
)
const template = Options.text("template").pipe(
  Options.withDescription("a template name or OID, exactly"),
  Options.optional
)
const sort = Options.choice("sort", ["notAfter", "notBefore", "boundAt", "subject"]).pipe(
  Options.withDescription("sort field (default notAfter)"),
  Options.optional
)
const desc = Options.boolean("desc").pipe(Options.withDescription("sort descending"))

export const list = Command.make(
  "list",
  {
    ...Local.storeOptions,
    owner: Flags.owner,
    validity,
    expiringWithin,
    keyHistory,
    archivedOnCa,
    template,
    sort,
    desc,
    limit: Flags.limit,
    cursor: Flags.cursor,
    json: Flags.json
  },
  (args) =>
    Local.run("list", args, (principal) =>
      Effect.gen(function* () {
        const input: L.Input = {
          owner: args.owner,
          ...Flags.optional("validity", args.validity),
          ...Flags.optional("expiringWithin", args.expiringWithin),
          ...Flags.optional("keyHistory", args.keyHistory),
          ...Flags.optional("archivedOnCa", args.archivedOnCa),
          ...Flags.optional("template", args.template),
          ...Flags.optional("limit", args.limit),
          ...Flags.optional("cursor", args.cursor),
          sort: {
            field: args.sort._tag === "Some" ? args.sort.value : "notAfter",
            direction: args.desc ? "desc" : "asc"
          }
        }
        const page = yield* ListOwnerCertificates.listOwnerCertificates(principal, input)
        const now = yield* Clock.currentTimeMillis
        yield* Console.log(
          args.json ? Json.stringify(Json.OwnerCertificatePage, page) : Report.ownerCertificates(page, now)
        )
      })
    )
).pipe(Command.withDescription("List one owner's certificates"))
