/**
 * `certory expiring [--within "30 days"]`: certificates valid now that expire within the window, across
 * all owners, soonest first. Exit code 2 when anything expires within the window, 0 when nothing does.
 */
import { ExpiringCertificates } from "@certory/domain"
import { Command, Options } from "@effect/cli"
import { Clock, Console, Duration, Effect } from "effect"
import * as Flags from "../Flags.js"
import * as Json from "../Json.js"
import * as Local from "../Local.js"
import * as Report from "../Report.js"

const within = Flags.duration("within").pipe(
  Options.withDescription('the window: 30d, 12h, 2w, "30 days" or P30D (default 30d)'),
  Options.withDefault(Duration.days(30))
)

/** The report itself, shared with `certory demo`. */
export const report = Effect.fn("expiringReport")(function* (
  principal: Parameters<typeof ExpiringCertificates.expiringCertificates>[0],
  input: ExpiringCertificates.Input & { readonly within: Duration.Duration },
  json: boolean
) {
  const page = yield* ExpiringCertificates.expiringCertificates(principal, input)
  yield* Console.log(
    json
      ? Json.stringify(Json.OwnerCertificatePage, page)
      : Report.expiring(
          page,
          Duration.format(input.within),
          yield* Clock.currentTimeMillis,
          Report.terminalWidth()
        )
  )
  return page
})

export const expiring = Command.make(
  "expiring",
  { ...Local.storeOptions, within, limit: Flags.limit, cursor: Flags.cursor, json: Flags.json },
  ({ within, limit, cursor, json, ...choice }) =>
    Local.run("expiring", choice, (principal) =>
      report(
        principal,
        { within, ...Flags.optional("limit", limit), ...Flags.optional("cursor", cursor) },
        json
      ).pipe(
        // For cron and monitoring: 2 when anything expires within the window, 0 when nothing does.
        Effect.tap((page) =>
          Effect.sync(() => {
            if (page.total > 0) process.exitCode = 2
          })
        )
      )
    )
).pipe(
  Command.withDescription(
    "Certificates of all owners that expire soon; exits 2 when any does, 0 when none does (for cron and monitoring). Example: certory expiring --within 30d"
  )
)
