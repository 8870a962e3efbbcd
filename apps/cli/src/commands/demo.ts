/**
 * `certory demo`: the main job on the sample certificates. Creates (or reuses) a smart card, an
 * identity store and its external IdP, imports `apps/cli/samples/` into them, then prints both owners'
 * certificates and the expiring report. Idempotent: a second run reports "already bound".
 */
import { fileURLToPath } from "node:url"
import {
  type Certificate as C,
  CreateOwner,
  Ids,
  ImportCertificates,
  ListOwnerCertificates,
  type Principal as P
} from "@certory/domain"
import { Command } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Clock, Console, Duration, Effect, Schema } from "effect"
import * as Local from "../Local.js"
import * as Report from "../Report.js"
import { report as expiringReport } from "./expiring.js"

const decodeOwner = Schema.decodeSync(Ids.OwnerRefFromString)

const SMART_CARD = decodeOwner("smartcard:5badfea3-de31-4837-99f9-8249515a5473")
const IDENTITY_STORE = decodeOwner("identity-store:d-66f1a2b3b80")
const IDP = decodeOwner("idp:d-66f1a2b3b80/idp-azure")

const SAMPLES: ReadonlyArray<{
  readonly file: string
  readonly owner: Ids.OwnerRef
  readonly use: C.CertificateUse
}> = [
  { file: "smartcard-ad-user.der", owner: SMART_CARD, use: "authentication" },
  { file: "smartcard-ad-dc.pem", owner: SMART_CARD, use: "authentication" },
  { file: "idp-signing.pem", owner: IDP, use: "signing" }
]

const samplePath = (file: string) => fileURLToPath(new URL(`../../samples/${file}`, import.meta.url))

const ensureOwner = (principal: P.Principal, ref: Ids.OwnerRef, displayName: string) =>
  CreateOwner.ensureOwner(principal, { ref, displayName }).pipe(
    Effect.flatMap(({ created }) => Console.log(`${created ? "created" : "reusing"} ${Ids.ownerKey(ref)}`))
  )

const listOwner = (principal: P.Principal, owner: Ids.OwnerRef) =>
  Effect.gen(function* () {
    const page = yield* ListOwnerCertificates.listOwnerCertificates(principal, { owner })
    const now = yield* Clock.currentTimeMillis
    yield* Console.log(`\n${Ids.ownerKey(owner)}\n${Report.ownerCertificates(page, now)}`)
  })

export const demo = Command.make("demo", { db: Local.db }, ({ db }) =>
  Local.run("demo", db, (principal) =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      yield* ensureOwner(principal, SMART_CARD, "Demo smart card")
      yield* ensureOwner(principal, IDENTITY_STORE, "Demo identity store")
      yield* ensureOwner(principal, IDP, "Azure AD (demo)")
      for (const sample of SAMPLES) {
        const bytes = yield* fs.readFile(samplePath(sample.file)).pipe(Effect.orDie)
        const results = yield* ImportCertificates.importCertificates(
          principal,
          {
            owner: sample.owner,
            input: bytes,
            attributes: { use: sample.use }
          },
          { origin: "native", source: "file" }
        )
        yield* Console.log(Report.imported(`samples/${sample.file}`, results))
      }
      yield* listOwner(principal, SMART_CARD)
      yield* listOwner(principal, IDP)
      yield* Console.log("")
      yield* expiringReport(principal, { within: Duration.days(30) }, false)
    })
  )
).pipe(Command.withDescription("Run the main job on the sample certificates (idempotent)"))
