/**
 * The demo inventory, shared by `certory demo` and `certory serve`: a smart card holding two AD CS
 * certificates (the older one in key history), an identity store and its external IdP created from SAML
 * metadata (`samples/idp-metadata.xml`, read by @certory/saml and created by `createIdp`, the path of
 * Huawei's create-IdP-from-`idp_saml_metadata`), all from apps/cli/samples (real certificates from the
 * shared corpus). Every owner's display name says "demo". Seeding is idempotent: owners are ensured, an
 * IdP that exists is reused (its metadata's certificates reported as already bound), certificates
 * already bound are reported as such.
 */
import { fileURLToPath } from "node:url"
import {
  type Certificate as C,
  CreateIdp,
  CreateOwner,
  GetOwner,
  Ids,
  ImportCertificates,
  type Principal as P,
  UpdateOwner
} from "@certory/domain"
import { parseIdpMetadata } from "@certory/saml"
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

/** The certificates imported as files (the IdP's come from its metadata). */
export const SAMPLES: ReadonlyArray<{
  readonly file: string
  readonly owner: Ids.OwnerRef
  readonly use: C.CertificateUse
  readonly isKeyHistory: boolean
}> = [
  { file: "smartcard-ad-user.der", owner: SMART_CARD, use: "authentication", isKeyHistory: true },
  { file: "smartcard-ad-dc.pem", owner: SMART_CARD, use: "authentication", isKeyHistory: false }
]

/** The IdP's SAML metadata; its signing certificate is `idp-signing.pem`. */
export const IDP_METADATA = "idp-metadata.xml"

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

/**
 * The IdP from its metadata, as the Huawei route does it (signing certificates, entity id, login URL);
 * when it exists already, its metadata's certificates are imported again (reported already bound) and a
 * missing SAML configuration (an IdP from an earlier demo) is set from the metadata.
 */
const idpFromMetadata = (principal: P.Principal, xml: string) =>
  Effect.gen(function* () {
    const parsed = parseIdpMetadata(xml)
    if (parsed._tag === "Failed")
      return yield* Effect.dieMessage(`${IDP_METADATA}: ${parsed.error.code}: ${parsed.error.message}`)
    const m = parsed.metadata
    const saml = { entityId: m.entityId, loginUrl: m.loginUrl, wantRequestSigned: m.wantAuthnRequestsSigned }
    const surface = { origin: "external", source: "metadata" } as const
    const displayName = OWNERS.find(([ref]) => ref === IDP)![1]
    return yield* CreateIdp.createIdp(
      principal,
      { ref: IDP as Ids.IdpRef, displayName, saml, certificates: m.signingCertificates },
      surface
    ).pipe(
      Effect.map(({ bound }) => ({
        created: true,
        results: bound.map(
          ({ binding, certificate }): ImportCertificates.Imported => ({
            outcome: "created",
            binding,
            certificate
          })
        )
      })),
      Effect.catchTag("OwnerAlreadyExists", () =>
        Effect.gen(function* () {
          const existing = yield* GetOwner.getOwner(principal, IDP)
          if (existing.saml === undefined) yield* UpdateOwner.updateOwner(principal, IDP, { saml })
          const results: Array<ImportCertificates.Imported> = []
          for (const der of m.signingCertificates)
            results.push(
              ...(yield* ImportCertificates.importCertificates(
                principal,
                { owner: IDP, input: der, attributes: { use: "signing" } },
                surface
              ))
            )
          return { created: false, results }
        })
      )
    )
  })

export const seed = (principal: P.Principal) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const owners = []
    for (const [ref, displayName] of OWNERS) {
      if (ref === IDP) continue
      const { created } = yield* CreateOwner.ensureOwner(principal, { ref, displayName })
      owners.push({ owner: ref, created })
    }
    const imports = []
    const xml = yield* fs.readFileString(samplePath(IDP_METADATA)).pipe(Effect.orDie)
    const idp = yield* idpFromMetadata(principal, xml)
    owners.push({ owner: IDP, created: idp.created })
    imports.push({ file: IDP_METADATA, results: idp.results })
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
