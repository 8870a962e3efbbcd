/**
 * `certory demo`: the main job on the sample certificates. Creates (or reuses) a smart card, an
 * identity store and its external IdP, imports `apps/cli/samples/` into them, then prints both owners'
 * certificates and the expiring report. Idempotent: a second run reports "already bound".
 */
import { Ids, ListOwnerCertificates, type Principal as P } from "@certory/domain"
import { Command } from "@effect/cli"
import { Clock, Console, Duration, Effect } from "effect"
import * as Demo from "../Demo.js"
import * as Local from "../Local.js"
import * as Report from "../Report.js"
import { report as expiringReport } from "./expiring.js"

const listOwner = (principal: P.Principal, owner: Ids.OwnerRef) =>
  Effect.gen(function* () {
    const page = yield* ListOwnerCertificates.listOwnerCertificates(principal, { owner })
    const now = yield* Clock.currentTimeMillis
    yield* Console.log(`\n${Ids.ownerKey(owner)}\n${Report.ownerCertificates(page, now)}`)
  })

export const demo = Command.make("demo", Local.storeOptions, (choice) =>
  Local.run(
    "demo",
    choice,
    (principal) =>
      Effect.gen(function* () {
        const seeded = yield* Demo.seed(principal)
        for (const { owner, created } of seeded.owners) {
          yield* Console.log(`${created ? "created" : "reusing"} ${Ids.ownerKey(owner)}`)
        }
        for (const { file, results } of seeded.imports)
          yield* Console.log(Report.imported(`samples/${file}`, results))
        yield* listOwner(principal, Demo.SMART_CARD)
        yield* listOwner(principal, Demo.IDP)
        yield* Console.log("")
        yield* expiringReport(principal, { within: Duration.days(30) }, false)
      }),
    { create: true }
  )
).pipe(
  Command.withDescription(
    "Run the main job on the sample certificates (idempotent). Example: certory demo --store sqlite:demo.sqlite"
  )
)
