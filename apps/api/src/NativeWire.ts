/**
 * The native API's JSON shapes (/api/v1), each derived from the domain's canonical values by one pure
 * function, and the request bodies it reads. Its rules live here: instants as RFC 3339 UTC with the
 * epoch milliseconds beside them, serials and fingerprints as strings only (never a JSON number),
 * owners as a kind, their ids, the canonical key (`smartcard:<guid>`) and their path in this API, and
 * grants as a `role` with owner keys.
 */
import {
  Certificate as C,
  type FindCertificates,
  Ids,
  type ImportCertificates,
  type JobStore as JobStoreModule,
  type Owner as O,
  Principal as P,
  TemplateEntry as T,
  type Token
} from "@certory/domain"
import { Encoding, ParseResult, Schema } from "effect"

export const PREFIX = "/api/v1"

/** RFC 3339 in UTC, as `Date.prototype.toISOString` writes it (years 0000-9999). */
export const Instant = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
).annotations({ identifier: "Instant", description: "RFC 3339 UTC, e.g. 2025-01-31T12:00:00.000Z" })

const Millis = Schema.Int.annotations({ description: "the same instant in epoch milliseconds" })

export const instant = (millis: number): string => new Date(millis).toISOString()

const UpperHex = (length: number) => Schema.String.pipe(Schema.pattern(new RegExp(`^[0-9A-F]{${length}}$`)))
const Base64Url = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]+$/))

/** The owner kinds as this API spells them: the prefixes of the canonical owner keys. */
export const OwnerKind = Schema.Literal("smartcard", "profile", "identity-store", "idp").annotations({
  identifier: "OwnerKind"
})
export type OwnerKind = typeof OwnerKind.Type

export const kindOf = (tag: Ids.OwnerKind): OwnerKind => {
  switch (tag) {
    case "SmartCard":
      return "smartcard"
    case "Profile":
      return "profile"
    case "IdentityStore":
      return "identity-store"
    case "Idp":
      return "idp"
  }
}

export const tagOf = (kind: OwnerKind): Ids.OwnerKind => {
  switch (kind) {
    case "smartcard":
      return "SmartCard"
    case "profile":
      return "Profile"
    case "identity-store":
      return "IdentityStore"
    case "idp":
      return "Idp"
  }
}

/** The owner's path in this API (its certificates are under `<path>/certificates`). */
export const ownerPath = (ref: Ids.OwnerRef): string => {
  switch (ref._tag) {
    case "SmartCard":
      return `${PREFIX}/smartcards/${ref.id}`
    case "Profile":
      return `${PREFIX}/profiles/${ref.id}`
    case "IdentityStore":
      return `${PREFIX}/identity-stores/${ref.id}`
    case "Idp":
      return `${PREFIX}/identity-stores/${ref.identityStoreId}/idps/${ref.idpId}`
  }
}

const ownerRefFields = {
  kind: OwnerKind,
  /** The canonical key: `smartcard:<guid>`, `profile:<guid>`, `identity-store:<id>`, `idp:<store>/<idp>`. */
  key: Schema.String,
  /** The GUID, the identity store id, or the IdP id. */
  id: Schema.String,
  /** IdPs only: the identity store the IdP belongs to. */
  identityStoreId: Schema.optional(Schema.String),
  path: Schema.String
}

export const OwnerRef = Schema.Struct(ownerRefFields).annotations({ identifier: "OwnerRef" })
export type OwnerRef = typeof OwnerRef.Type

export const fromOwnerRef = (ref: Ids.OwnerRef): OwnerRef => ({
  kind: kindOf(ref._tag),
  key: Ids.ownerKey(ref),
  id: ref._tag === "Idp" ? ref.idpId : ref.id,
  ...(ref._tag === "Idp" ? { identityStoreId: ref.identityStoreId } : {}),
  path: ownerPath(ref)
})

/** An IdP's SAML configuration (what its metadata states, or an administrator set). */
const samlFields = {
  entityId: Schema.String,
  /** Where sign-in starts (the SingleSignOnService Location). */
  loginUrl: Schema.String,
  wantRequestSigned: Schema.Boolean
}
export const SamlConfig = Schema.Struct(samlFields).annotations({ identifier: "SamlConfig" })

export const Owner = Schema.Struct({
  ...ownerRefFields,
  displayName: Schema.optional(Schema.String),
  /** IdPs: where their SAML metadata is published. */
  metadataUrl: Schema.optional(Schema.String),
  /** IdPs: entity ID, login URL, signed requests. */
  saml: Schema.optional(SamlConfig),
  /** Only IdPs can be disabled. */
  enabled: Schema.Boolean,
  createdAt: Instant,
  createdAtMs: Millis,
  createdBy: Schema.String
}).annotations({ identifier: "Owner" })
export type Owner = typeof Owner.Type

export const fromOwner = (owner: O.Owner): Owner => ({
  ...fromOwnerRef(owner.ref),
  ...(owner.displayName === undefined ? {} : { displayName: owner.displayName }),
  ...(owner.metadataUrl === undefined ? {} : { metadataUrl: owner.metadataUrl }),
  ...(owner.saml === undefined
    ? {}
    : {
        saml: {
          entityId: owner.saml.entityId,
          loginUrl: owner.saml.loginUrl,
          wantRequestSigned: owner.saml.wantRequestSigned
        }
      }),
  enabled: owner.enabled,
  createdAt: instant(owner.createdAt),
  createdAtMs: owner.createdAt,
  createdBy: owner.createdBy
})

const Name = Schema.Struct({
  rfc4514: Schema.String,
  /** As Java's X500Principal.getName() prints it. */
  rfc2253: Schema.String
})

export const Validity = Schema.Literal("valid", "expired", "notYetValid")

/** The facts of a certificate, whoever holds it. */
export const CertificateFacts = Schema.Struct({
  sha256: UpperHex(64),
  sha1: UpperHex(40),
  /** SHA-256 of the SubjectPublicKeyInfo (key pinning). */
  spkiSha256: UpperHex(64),
  /** base64url SHA-1 (JOSE `x5t`). */
  x5t: Base64Url,
  /** base64url SHA-256 (JOSE `x5t#S256`). */
  x5tS256: Base64Url,
  serial: Schema.Struct({
    /** Canonical uppercase hex, no leading zeros, "-" when negative (what openssl prints). */
    hex: Schema.String,
    /** Signed decimal, as a string. */
    decimal: Schema.String,
    /** The INTEGER content bytes in uppercase hex, sign byte kept (what Windows shows). */
    windows: Schema.String
  }).annotations({ identifier: "SerialNumber", description: "always strings, never JSON numbers" }),
  notBefore: Instant,
  notBeforeMs: Millis,
  notAfter: Instant,
  notAfterMs: Millis,
  /** At the time of the response (RFC 5280: both bounds inclusive). */
  validity: Validity,
  subject: Name,
  issuer: Name,
  signatureAlgorithm: Schema.Struct({ oid: Schema.String, name: Schema.String }),
  publicKey: Schema.Struct({
    algorithm: Schema.String,
    size: Schema.optional(Schema.Int),
    curve: Schema.optional(Schema.String),
    /** DER SubjectPublicKeyInfo, base64. */
    spki: Schema.String
  }),
  version: Schema.Int,
  /** The Microsoft certificate template, when the certificate names one. */
  template: Schema.optional(
    Schema.Struct({
      oid: Schema.optional(Schema.String),
      name: Schema.optional(Schema.String),
      majorVersion: Schema.optional(Schema.Int),
      minorVersion: Schema.optional(Schema.Int)
    })
  ),
  subjectAltNames: Schema.Array(Schema.Struct({ type: Schema.String, value: Schema.String }))
}).annotations({ identifier: "CertificateFacts" })
export type CertificateFacts = typeof CertificateFacts.Type

const base64UrlOfHex = (hex: string): string => {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return Encoding.encodeBase64Url(bytes)
}

const defined = <A extends Record<string, unknown>>(record: A): A =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as A

export const fromCertificate = (c: C.Certificate, now: number): CertificateFacts => ({
  sha256: c.sha256,
  sha1: c.sha1,
  spkiSha256: c.spkiSha256,
  x5t: base64UrlOfHex(c.sha1),
  x5tS256: base64UrlOfHex(c.sha256),
  serial: { hex: c.serial.hex, decimal: c.serial.decimal, windows: c.serial.windows },
  notBefore: instant(c.notBefore),
  notBeforeMs: c.notBefore,
  notAfter: instant(c.notAfter),
  notAfterMs: c.notAfter,
  validity: C.validityAt(c, now),
  subject: { rfc4514: c.subject.rfc4514, rfc2253: c.subject.rfc2253 },
  issuer: { rfc4514: c.issuer.rfc4514, rfc2253: c.issuer.rfc2253 },
  signatureAlgorithm: { oid: c.signatureAlgorithm.oid, name: c.signatureAlgorithm.name },
  publicKey: defined({
    algorithm: c.publicKey.algorithm,
    size: c.publicKey.size,
    curve: c.publicKey.curve,
    spki: c.publicKey.spki
  }),
  version: c.version,
  ...(c.template === undefined
    ? {}
    : {
        template: defined({
          oid: c.template.oid,
          name: c.template.name,
          majorVersion: c.template.majorVersion,
          minorVersion: c.template.minorVersion
        })
      }),
  subjectAltNames: (c.subjectAltNames ?? []).map(({ type, value }) => ({ type, value }))
})

const bindingFields = {
  /** The binding's id: names this certificate under this owner (unbind, one certificate). */
  certificateId: Schema.String,
  owner: OwnerRef,
  isKeyHistory: Schema.Boolean,
  archivedOnCa: Schema.Boolean,
  /** MIM CM's CertificateType (32-bit). */
  certificateType: Schema.Int,
  use: Schema.Literal("signing", "encryption", "authentication", "other"),
  origin: Schema.Literal("native", "external"),
  source: Schema.Literal("upload", "metadata", "file"),
  boundBy: Schema.String,
  boundAt: Instant,
  boundAtMs: Millis
}

/** One owner's binding of a certificate (what the owner states about it). */
export const Binding = Schema.Struct(bindingFields).annotations({ identifier: "Binding" })
export type Binding = typeof Binding.Type

export const fromBinding = (b: C.Binding): Binding => ({
  certificateId: b.certificateId,
  owner: fromOwnerRef(b.owner),
  isKeyHistory: b.isKeyHistory,
  archivedOnCa: b.archivedOnCa,
  certificateType: b.certificateType,
  use: b.use,
  origin: b.origin,
  source: b.source,
  boundBy: b.boundBy,
  boundAt: instant(b.boundAt),
  boundAtMs: b.boundAt
})

const ownerCertificateFields = { ...bindingFields, certificate: CertificateFacts }

/** A certificate as one owner holds it: the binding and the certificate's facts. */
export const OwnerCertificate = Schema.Struct(ownerCertificateFields).annotations({
  identifier: "OwnerCertificate"
})
export type OwnerCertificate = typeof OwnerCertificate.Type

export const fromOwnerCertificate = (item: C.OwnerCertificate, now: number): OwnerCertificate => ({
  ...fromBinding(item.binding),
  certificate: fromCertificate(item.certificate, now)
})

/** One certificate as JSON: the listing's item and the certificate itself as PEM. */
export const CertificateDetail = Schema.Struct({ ...ownerCertificateFields, pem: Schema.String }).annotations(
  { identifier: "CertificateDetail" }
)

export const Outcome = Schema.Literal("created", "alreadyBound", "duplicateInInput")

export const ImportResult = Schema.Struct({
  created: Schema.Int,
  alreadyBound: Schema.Int,
  duplicateInInput: Schema.Int,
  /** Every certificate of the input, in input order. */
  items: Schema.Array(Schema.Struct({ outcome: Outcome, ...ownerCertificateFields }))
}).annotations({ identifier: "ImportResult" })
export type ImportResult = typeof ImportResult.Type

export const fromImported = (
  imported: ReadonlyArray<ImportCertificates.Imported>,
  now: number
): ImportResult => {
  const count = (outcome: ImportCertificates.Outcome) => imported.filter((i) => i.outcome === outcome).length
  return {
    created: count("created"),
    alreadyBound: count("alreadyBound"),
    duplicateInInput: count("duplicateInInput"),
    items: imported.map((i) => ({ outcome: i.outcome, ...fromOwnerCertificate(i, now) }))
  }
}

/** A look-up hit: the certificate and the bindings the caller may see. */
export const Found = Schema.Struct({
  certificate: CertificateFacts,
  matchedBy: Schema.Literal("sha1", "sha256", "spkiSha256", "serial"),
  bindings: Schema.Array(Binding)
}).annotations({ identifier: "Found" })
export type Found = typeof Found.Type

export const fromFound = (found: FindCertificates.Found, now: number): Found => ({
  certificate: fromCertificate(found.certificate, now),
  matchedBy: found.matchedBy,
  bindings: found.bindings.map(fromBinding)
})

/** A page of a listing; `nextCursor` is absent on the last page. */
export const Page = <A, I>(item: Schema.Schema<A, I>, identifier: string) =>
  Schema.Struct({
    items: Schema.Array(item),
    /** How many match in all (every page). */
    total: Schema.Int,
    nextCursor: Schema.optional(Schema.String)
  }).annotations({ identifier })

/**
 * A token's grant: `{"role": "Administrator"}`, `{"role": "DelegatedAdministrator", "identityStoreId"}`,
 * `{"role": "OwnerOperator" | "OwnerReader", "owners": ["smartcard:<guid>", ...]}`.
 */
const GrantFields = Schema.Union(
  Schema.Struct({ role: Schema.Literal("Administrator") }),
  Schema.Struct({ role: Schema.Literal("DelegatedAdministrator"), identityStoreId: Ids.IdentityStoreId }),
  Schema.Struct({
    role: Schema.Literal("OwnerOperator", "OwnerReader"),
    owners: Schema.Array(Ids.OwnerRefFromString).pipe(Schema.maxItems(10_000))
  })
).annotations({ identifier: "Grant" })

export const Grant = Schema.transformOrFail(GrantFields, Schema.typeSchema(P.Grant), {
  strict: true,
  decode: (wire) => {
    switch (wire.role) {
      case "Administrator":
        return ParseResult.succeed(P.Administrator.make({}))
      case "DelegatedAdministrator":
        return ParseResult.succeed(P.DelegatedAdministrator.make({ identityStoreId: wire.identityStoreId }))
      case "OwnerOperator":
        return ParseResult.succeed(P.OwnerOperator.make({ owners: wire.owners }))
      case "OwnerReader":
        return ParseResult.succeed(P.OwnerReader.make({ owners: wire.owners }))
    }
  },
  encode: (grant) => {
    switch (grant._tag) {
      case "Administrator":
        return ParseResult.succeed({ role: "Administrator" as const })
      case "DelegatedAdministrator":
        return ParseResult.succeed({
          role: "DelegatedAdministrator" as const,
          identityStoreId: grant.identityStoreId
        })
      case "OwnerOperator":
      case "OwnerReader":
        return ParseResult.succeed({ role: grant._tag, owners: grant.owners })
    }
  }
})

export const ApiToken = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  grant: Grant,
  createdAt: Instant,
  createdAtMs: Millis,
  createdBy: Schema.String,
  expiresAt: Schema.optional(Instant),
  expiresAtMs: Schema.optional(Millis),
  lastUsedAt: Schema.optional(Instant),
  lastUsedAtMs: Schema.optional(Millis),
  revokedAt: Schema.optional(Instant),
  revokedAtMs: Schema.optional(Millis),
  /** Not revoked and not expired at the time of the response. */
  active: Schema.Boolean
}).annotations({ identifier: "ApiToken" })
export type ApiToken = typeof ApiToken.Type

const instants = <K extends string>(key: K, millis: number | undefined) =>
  (millis === undefined ? {} : { [key]: instant(millis), [`${key}Ms`]: millis }) as Partial<
    Record<K, string> & Record<`${K}Ms`, number>
  >

export const fromToken = (token: Token.ApiToken, active: boolean): ApiToken => ({
  id: token.id,
  name: token.name,
  grant: token.grant,
  createdAt: instant(token.createdAt),
  createdAtMs: token.createdAt,
  createdBy: token.createdBy,
  ...instants("expiresAt", token.expiresAt),
  ...instants("lastUsedAt", token.lastUsedAt),
  ...instants("revokedAt", token.revokedAt),
  active
})

export const CreatedToken = Schema.Struct({
  token: ApiToken,
  /** The secret: shown here once, never again (only its hash is stored). */
  secret: Schema.String
}).annotations({ identifier: "CreatedToken" })

/** A template catalog entry: the name administrators registered for a template OID. */
export const Template = Schema.Struct({
  oid: Schema.String,
  name: Schema.String,
  updatedAt: Instant,
  updatedAtMs: Millis,
  /** The principal id that registered or last renamed it. */
  updatedBy: Schema.String
}).annotations({ identifier: "Template" })
export type Template = typeof Template.Type

export const fromTemplate = (entry: T.TemplateEntry): Template => ({
  oid: entry.oid,
  name: entry.name,
  updatedAt: instant(entry.updatedAt),
  updatedAtMs: entry.updatedAt,
  updatedBy: entry.updatedBy
})

// Request bodies.

/** PUT on an owner: what CreateOwner takes besides the reference (all optional; an empty body is fine). */
export const PutOwnerBody = Schema.Struct({
  displayName: Schema.optionalWith(Schema.String, { exact: true }),
  /** IdPs only. */
  metadataUrl: Schema.optionalWith(Schema.String, { exact: true }),
  /** IdPs only. */
  saml: Schema.optionalWith(SamlConfig, { exact: true }),
  /** IdPs only; default true. */
  enabled: Schema.optionalWith(Schema.Boolean, { exact: true })
}).annotations({ identifier: "PutOwner" })

/** PATCH on an owner: an absent field is kept, `null` clears it (IdP-only fields on IdPs only). */
export const PatchOwnerBody = Schema.Struct({
  displayName: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true }),
  metadataUrl: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true }),
  /** Replaces the whole SAML configuration. */
  saml: Schema.optionalWith(Schema.NullOr(SamlConfig), { exact: true }),
  enabled: Schema.optionalWith(Schema.Boolean, { exact: true })
}).annotations({ identifier: "PatchOwner" })

/** An import as JSON. */
export const ImportBody = Schema.Struct({
  /** PEM text: one or more blocks (certificates or PKCS#7). */
  pem: Schema.String,
  isKeyHistory: Schema.optionalWith(Schema.Boolean, { exact: true }),
  archivedOnCa: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /** MIM CM's CertificateType (32-bit); default 1. */
  certificateType: Schema.optionalWith(Schema.Int, { exact: true }),
  /** Default "signing"; IdPs hold signing certificates only. */
  use: Schema.optionalWith(Schema.Literal("signing", "encryption", "authentication", "other"), {
    exact: true
  })
}).annotations({ identifier: "ImportCertificates" })

export const CreateTokenBody = Schema.Struct({
  name: Schema.String,
  grant: Grant,
  /** How long the token lives, e.g. "90 days"; absent: until revoked. */
  expiresIn: Schema.optionalWith(Schema.String, { exact: true })
}).annotations({ identifier: "CreateToken" })

/** PUT on a template OID: its name (registers it, or renames it). */
export const PutTemplateBody = Schema.Struct({
  /** What MIM shows as TemplateCommonName for certificates carrying only this OID. */
  name: T.TemplateName
}).annotations({ identifier: "PutTemplate" })

/** The last SAML metadata sync of an IdP, as the sync job recorded it (GET .../idps/{idp_id}/sync). */
export const IdpSync = Schema.Struct({
  metadataUrl: Schema.String,
  at: Instant,
  atMs: Millis,
  outcome: Schema.Literal("synced", "notModified", "failed"),
  httpStatus: Schema.optionalWith(Schema.Int, { exact: true }),
  /** SHA-256 (hex) of the certificates this sync bound. */
  added: Schema.Array(Schema.String),
  /** Signing certificates the IdP could not take (its certificate limit); an administrator decides. */
  refused: Schema.Array(Schema.String),
  /** Why nothing changed, or what was skipped, in words. */
  error: Schema.optionalWith(Schema.String, { exact: true }),
  /** Not synced again before this instant. */
  nextAt: Instant,
  nextAtMs: Millis
}).annotations({ identifier: "IdpSync" })

export const IdpSyncBody = Schema.Struct({
  /** `null` until the sync job has run for this IdP. */
  sync: Schema.NullOr(IdpSync)
}).annotations({ identifier: "IdpSyncBody" })

export const fromIdpSync = (s: JobStoreModule.IdpSync): typeof IdpSync.Type => ({
  metadataUrl: s.metadataUrl,
  at: instant(s.at),
  atMs: s.at,
  outcome: s.outcome,
  ...(s.httpStatus === undefined ? {} : { httpStatus: s.httpStatus }),
  added: [...s.added],
  refused: [...s.refused],
  ...(s.error === undefined ? {} : { error: s.error }),
  nextAt: instant(s.nextAt),
  nextAtMs: s.nextAt
})
