/**
 * `certory list <owner>`: one owner's certificates, filtered and sorted by the use-case; every one (the
 * command follows the cursors) unless `--limit` asks for one page. `--format mim|huawei` prints exactly
 * the compatibility API's body (the domain's wire encoders, as apps/api uses them), `pem` a PEM bundle.
 */
import {
  type Certificate as C,
  Huawei,
  type ListOwnerCertificates as L,
  ListOwnerCertificates,
  MimCm,
  type Page,
  Pem,
  Templates
} from "@certory/domain"
import { Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Option, Schema } from "effect"
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
const format = Options.choice("format", ["table", "wide", "json", "mim", "huawei", "pem"]).pipe(
  Options.withDescription(
    "table (default; fitted to the terminal width or COLUMNS), wide (every value whole), json, mim (the MIM CM body), huawei (the Huawei IAM body) or pem (a PEM bundle); --json is --format json"
  ),
  Options.optional
)

const encodeMim = Schema.encodeSync(MimCm.X509ClmCertificateList)
const encodeHuawei = Schema.encodeSync(Huawei.ListIdpCertificatesResponse)
/** The page size when following cursors. */
const MAX_LIMIT = 1000

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
    json: Flags.json,
    format
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
        if (args.json && Option.isSome(args.format) && args.format.value !== "json")
          return yield* Effect.fail({
            message: `--json and --format ${args.format.value} disagree: give one`
          })
        const format = args.json ? "json" : Option.getOrElse(args.format, () => "table" as const)
        // One page when --limit is given (with its cursor); otherwise every page, following the cursors.
        const items: Array<C.OwnerCertificate> = []
        const wire: Array<unknown> = []
        let page: Page.Page<C.OwnerCertificate>
        let cursor = Option.getOrUndefined(args.cursor)
        do {
          page = yield* ListOwnerCertificates.listOwnerCertificates(principal, {
            ...input,
            ...(Option.isNone(args.limit) ? { limit: MAX_LIMIT } : {}),
            ...(cursor === undefined ? {} : { cursor })
          })
          items.push(...page.items)
          if (format === "mim") {
            // The names MIM shows for templates known only by OID, one catalog query per page (as the API).
            const names = yield* Templates.resolveTemplateNames(page.items.map((item) => item.certificate))
            wire.push(
              ...page.items.map((item) =>
                MimCm.fromOwnerCertificate(item, Templates.catalogNameOf(names, item.certificate))
              )
            )
          } else if (format === "huawei") wire.push(...page.items.map(Huawei.fromOwnerCertificate))
          cursor = page.nextCursor
        } while (Option.isNone(args.limit) && cursor !== undefined)
        const all: Page.Page<C.OwnerCertificate> = Option.isSome(args.limit)
          ? page
          : { items, total: page.total }
        switch (format) {
          case "json":
            return yield* Console.log(Json.stringify(Json.OwnerCertificatePage, all))
          case "mim":
            // Exactly the MIM CM body: a JSON array, nothing at all when empty (the API answers 204).
            if (wire.length === 0) return
            return yield* Console.log(JSON.stringify(encodeMim(wire as Array<MimCm.X509ClmCertificate>)))
          case "huawei":
            return yield* Console.log(
              JSON.stringify(encodeHuawei({ idp_certificates: wire as Array<Huawei.IdpCertificate> }))
            )
          case "pem":
            if (items.length === 0) return
            return yield* Console.log(
              items
                .map((item) => Pem.certificatePem(item.certificate.der))
                .join("")
                .trimEnd()
            )
          case "table":
          case "wide":
            return yield* Console.log(
              Report.ownerCertificates(all, yield* Clock.currentTimeMillis, {
                wide: format === "wide",
                width: Report.terminalWidth()
              })
            )
        }
      })
    )
).pipe(
  Command.withDescription(
    "List one owner's certificates (all of them unless --limit). Example: certory list smartcard:5badfea3-de31-4837-99f9-8249515a5473 --format mim"
  )
)
