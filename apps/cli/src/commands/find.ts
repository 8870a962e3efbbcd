/**
 * `certory find <fingerprint|serial>`: which owners hold a certificate, by any spelling of its SHA-1,
 * SHA-256, public key SHA-256 or serial (hex with or without colons, any case, or decimal). Exits 1 when no owner
 * holds one.
 */
import { FindCertificates } from "@certory/domain"
import { Args, Command } from "@effect/cli"
import { Clock, Console, Effect, Schema } from "effect"
import * as Flags from "../Flags.js"
import * as Json from "../Json.js"
import * as Local from "../Local.js"
import * as Report from "../Report.js"

const lookup = Args.text({ name: "fingerprint|serial" }).pipe(
  Args.withDescription("SHA-1, SHA-256 or public key SHA-256 fingerprint, or serial (hex or decimal)")
)

const FoundList = Schema.Array(Json.Found)

export const find = Command.make(
  "find",
  { ...Local.storeOptions, lookup, json: Flags.json },
  ({ lookup, json, ...choice }) =>
    Local.run("find", choice, (principal) =>
      Effect.gen(function* () {
        // Every page: a terminal report shows all the holders the caller may see.
        const found: Array<FindCertificates.Found> = []
        let cursor: string | undefined
        do {
          const page = yield* FindCertificates.findCertificates(principal, {
            text: lookup,
            limit: 1000,
            ...(cursor === undefined ? {} : { cursor })
          })
          for (const item of page.items) {
            const last = found.at(-1)
            if (last !== undefined && last.certificate.sha256 === item.certificate.sha256) {
              found[found.length - 1] = { ...last, bindings: [...last.bindings, ...item.bindings] }
            } else found.push(item)
          }
          cursor = page.nextCursor
        } while (cursor !== undefined)
        // Nothing found is a failure (exit 1, like kubectl's NotFound), so scripts can test for it.
        if (found.length === 0) return yield* Effect.fail({ message: Report.found(lookup, found, 0) })
        const now = yield* Clock.currentTimeMillis
        yield* Console.log(json ? Json.stringify(FoundList, found) : Report.found(lookup, found, now))
      })
    )
).pipe(
  Command.withDescription(
    "Find which owners hold a certificate; exits 1 when none does. Example: certory find 3b:1e:...:9a (SHA-1, SHA-256, key SHA-256 or serial)"
  )
)
