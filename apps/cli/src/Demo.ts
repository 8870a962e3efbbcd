/**
 * The demo inventory, shared by `certory demo` and `certory serve`: a smart card holding two AD CS
 * certificates (the older one in key history), an identity store and its external IdP with a signing
 * certificate, all from apps/cli/samples (real certificates from the shared corpus). Every owner's
 * display name says "demo". Seeding is idempotent: owners are ensured, certificates already bound are
 * reported as such.
 */
import { fileURLToPath } from "node:url"
import {
  type Certificate as C,
  CreateOwner,
  Ids,
  ImportCertificates,
  type Principal as P
} from "@certory/domain"
import { FileSystem } from "@effect/platform"
import { Effect, Schema } from "effect"

const decodeOwner = Schema.decodeSync(Ids.OwnerRefFromString)

export const SMART_CARD = decodeOwner("smartcard:5badfea3-de31-4837-99f9-8249515a5473")
export const IDENTITY_STORE = decodeOwner("identity-store:d-66f1a2b3b80")
export const IDP = decodeOwner("idp:d-66f1a2b3b80/idp-azure")

export const OWNERS: ReadonlyArray<readonly [Ids.OwnerRef, string]> = [
  [SMART_CARD, "Demo smart card"],
  [IDENTITY_STORE, "Demo identity store"],
  [IDP, "Azure AD (demo)"]
]

export const SAMPLES: ReadonlyArray<{
  readonly file: string
  readonly owner: Ids.OwnerRef
  readonly use: C.CertificateUse
  readonly isKeyHistory: boolean
}> = [
  { file: "smartcard-ad-user.der", owner: SMART_CARD, use: "authentication", isKeyHistory: true },
  { file: "smartcard-ad-dc.pem", owner: SMART_CARD, use: "authentication", isKeyHistory: false },
  { file: "idp-signing.pem", owner: IDP, use: "signing", isKeyHistory: false }
]

const samplePath = (file: string) => fileURLToPath(new URL(`../samples/${file}`, import.meta.url))

export interface Seeded {
  /** Each owner and whether this run created it. */
  readonly owners: ReadonlyArray<{ readonly owner: Ids.OwnerRef; readonly created: boolean }>
  /** Each sample file and what importing it did. */
  readonly imports: ReadonlyArray<{
    readonly file: string
    readonly results: ReadonlyArray<ImportCertificates.Imported>
  }>
}

export const seed = (principal: P.Principal) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const owners = []
    for (const [ref, displayName] of OWNERS) {
      const { created } = yield* CreateOwner.ensureOwner(principal, { ref, displayName })
      owners.push({ owner: ref, created })
    }
    const imports = []
    for (const sample of SAMPLES) {
      const bytes = yield* fs.readFile(samplePath(sample.file)).pipe(Effect.orDie)
      const results = yield* ImportCertificates.importCertificates(
        principal,
        {
          owner: sample.owner,
          input: bytes,
          attributes: { use: sample.use, isKeyHistory: sample.isKeyHistory }
        },
        { origin: "native", source: "file" }
      )
      imports.push({ file: sample.file, results })
    }
    const seeded: Seeded = { owners, imports }
    return seeded
  })
