/**
 * The tables as Effect Schemas, and the one mapping between their rows and the domain: every column
 * list the store sends (INSERT lists, PostgreSQL's `jsonb_to_recordset` types, SELECT lists) is derived
 * from these structs, every row the store writes is encoded and every row it reads decoded through
 * these schemas. The benchmark's baseline writes the same rows.
 *
 * One hand path, measured: the facts JSON is written by `factsJson` instead of `Schema.encodeSync`. A
 * Certificate is already a validated domain value and every fact encodes to itself, so the encoder
 * would only re-check what the constructor checked; a test (storage-sqlite's rows.test.ts) proves the
 * text equal to the Schema encoding over every fixture, and that the field list is still the schema's.
 * Reading the facts goes through the full schema (`CertificateRow`), so a bad row is a defect, not a value.
 */
import {
  Certificate as Cert,
  Ids,
  JobStore as JobStoreModule,
  Owner as OwnerModule,
  Principal,
  TemplateEntry,
  Token
} from "@certory/domain"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

export type Row = Record<string, unknown>

/** The SQL type of a column where the dialect needs one (PostgreSQL's `jsonb_to_recordset`). */
export type ColumnType = "text" | "bigint"

/** PostgreSQL returns BIGINT and COUNT(*) as strings (they may exceed 2^53); ours never do. */
export const Int = Schema.Union(Schema.Int, Schema.compose(Schema.NumberFromString, Schema.Int))
const Text = Schema.String
const NullableText = Schema.NullOr(Schema.String)
const NullableInt = Schema.NullOr(Int)
/** Booleans are 0 / 1 integers in every dialect. */
const Flag = Schema.transform(Int, Schema.Boolean, {
  strict: true,
  decode: (n) => n !== 0,
  encode: (b) => (b ? 1 : 0)
})

/** An IdP's SAML configuration as stored: the Schema encoding as JSON text. */
export const SamlJson = Schema.parseJson(OwnerModule.SamlConfig)

export const OwnersTable = Schema.Struct({
  owner_key: Text,
  kind: Text,
  identity_store_id: NullableText,
  display_name: NullableText,
  metadata_url: NullableText,
  enabled: Flag,
  created_at: Int,
  created_by: Text,
  /** An IdP's SAML configuration as the Schema's JSON (migration 4), decoded through it on read. */
  saml_json: Schema.NullOr(SamlJson)
})

export const CertificatesTable = Schema.Struct({
  sha256: Ids.Sha256Hex,
  sha1: Text,
  spki_sha256: Text,
  serial_hex: Text,
  not_before: Int,
  not_after: Int,
  subject: Text,
  /** Every Certificate field but the DER, as JSON. */
  facts: Text,
  /** The DER as base64: the one form better-sqlite3, node-postgres and D1 all return unchanged. */
  der: Text
})

/** A binding's own columns. */
const BindingColumns = Schema.Struct({
  certificate_id: Ids.CertificateId,
  owner_key: Text,
  sha256: Ids.Sha256Hex,
  is_key_history: Flag,
  archived_on_ca: Flag,
  certificate_type: Int,
  origin: Cert.Origin,
  usage: Cert.CertificateUse,
  source: Cert.Source,
  bound_by: Text,
  bound_at: Int,
  /** The PEM text the certificate was imported as (migration 4). */
  submitted_pem: Schema.NullOr(Cert.SubmittedPem)
})

/** A binding's columns and the certificate's sort and filter columns, copied so a listing is one index range. */
export const BindingsTable = Schema.Struct({
  ...BindingColumns.fields,
  not_before: Int,
  not_after: Int,
  subject: Text,
  template_name: NullableText,
  template_oid: NullableText
})

export const TokensTable = Schema.Struct({
  token_id: Token.TokenId,
  /** SHA-256 of the secret (unique): what authentication looks a token up by. */
  secret_hash: Token.SecretHash,
  name: Text,
  /** The grant's Schema encoding as JSON text: decoded (and checked) through the domain's Grant. */
  grant_json: Schema.parseJson(Principal.Grant),
  created_at: Int,
  created_by: Text,
  expires_at: NullableInt,
  last_used_at: NullableInt,
  revoked_at: NullableInt
})

/** A token's columns but its secret's hash, which the domain's ApiToken does not carry. */
const TokenColumns = TokensTable.omit("secret_hash")

/** The template catalog (migration 5): one row per template OID. */
export const TemplatesTable = Schema.Struct({
  oid: TemplateEntry.TemplateOid,
  name: TemplateEntry.TemplateName,
  updated_at: Int,
  updated_by: Text
})

const columnTypes = <F extends Schema.Struct.Fields>(
  _table: Schema.Struct<F>,
  types: { readonly [K in keyof F]: ColumnType }
): ReadonlyArray<readonly [string, ColumnType]> => Object.entries(types) as Array<[string, ColumnType]>

/** Each table's columns in order, with their types; the type checker ties each list to its struct. */
export const ownerColumns = columnTypes(OwnersTable, {
  owner_key: "text",
  kind: "text",
  identity_store_id: "text",
  display_name: "text",
  metadata_url: "text",
  enabled: "bigint",
  created_at: "bigint",
  created_by: "text",
  saml_json: "text"
})

export const certificateColumns = columnTypes(CertificatesTable, {
  sha256: "text",
  sha1: "text",
  spki_sha256: "text",
  serial_hex: "text",
  not_before: "bigint",
  not_after: "bigint",
  subject: "text",
  facts: "text",
  der: "text"
})

export const bindingColumns = columnTypes(BindingsTable, {
  certificate_id: "text",
  owner_key: "text",
  sha256: "text",
  is_key_history: "bigint",
  archived_on_ca: "bigint",
  certificate_type: "bigint",
  origin: "text",
  usage: "text",
  source: "text",
  bound_by: "text",
  bound_at: "bigint",
  submitted_pem: "text",
  not_before: "bigint",
  not_after: "bigint",
  subject: "text",
  template_name: "text",
  template_oid: "text"
})

export const tokenColumns = columnTypes(TokensTable, {
  token_id: "text",
  secret_hash: "text",
  name: "text",
  grant_json: "text",
  created_at: "bigint",
  created_by: "text",
  expires_at: "bigint",
  last_used_at: "bigint",
  revoked_at: "bigint"
})

export const templateColumns = columnTypes(TemplatesTable, {
  oid: "text",
  name: "text",
  updated_at: "bigint",
  updated_by: "text"
})

/** A token's columns but the secret's hash, as a SELECT list: reads never need the hash back. */
export const tokenSelect = Object.keys(TokenColumns.fields).join(", ")

/** The binding's own columns as a SELECT list over alias `b`. */
export const bindingSelect = Object.keys(BindingColumns.fields)
  .map((name) => `b.${name}`)
  .join(", ")

/** The class constructors need not re-check what the row schemas just checked. */
const trusted = { disableValidation: true } as const

/** An owner as its row, and back. */
export const OwnerRow = Schema.transformOrFail(OwnersTable, Schema.typeSchema(OwnerModule.Owner), {
  strict: true,
  decode: (row, _, ast) =>
    ParseResult.mapBoth(ParseResult.decodeUnknown(Ids.OwnerRefFromString)(row.owner_key), {
      onFailure: (issue) => new ParseResult.Type(ast, row, `owner_key: ${issue._tag}`),
      onSuccess: (ref) =>
        new OwnerModule.Owner(
          {
            ref,
            ...(row.display_name === null ? {} : { displayName: row.display_name }),
            ...(row.metadata_url === null ? {} : { metadataUrl: row.metadata_url }),
            ...(row.saml_json === null ? {} : { saml: row.saml_json }),
            enabled: row.enabled,
            createdAt: row.created_at,
            createdBy: row.created_by
          },
          trusted
        )
    }),
  encode: (owner) =>
    ParseResult.succeed({
      owner_key: Ids.ownerKey(owner.ref),
      kind: owner.ref._tag,
      identity_store_id: Ids.identityStoreOf(owner.ref) ?? null,
      display_name: owner.displayName ?? null,
      metadata_url: owner.metadataUrl ?? null,
      enabled: owner.enabled,
      created_at: owner.createdAt,
      created_by: owner.createdBy,
      saml_json: owner.saml ?? null
    })
})

/** A token as its row (all columns but `secret_hash`, which `tokenRow` adds), and back. */
export const TokenRow = Schema.transform(TokenColumns, Schema.typeSchema(Token.ApiToken), {
  strict: true,
  decode: (row) =>
    new Token.ApiToken(
      {
        id: row.token_id,
        name: row.name,
        grant: row.grant_json,
        createdAt: row.created_at,
        createdBy: row.created_by,
        ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
        ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
        ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at })
      },
      trusted
    ),
  encode: (token) => ({
    token_id: token.id,
    name: token.name,
    grant_json: token.grant,
    created_at: token.createdAt,
    created_by: token.createdBy,
    expires_at: token.expiresAt ?? null,
    last_used_at: token.lastUsedAt ?? null,
    revoked_at: token.revokedAt ?? null
  })
})

const encodeTokenRow = Schema.encodeSync(TokenRow)

/** A template catalog entry as its row, and back. */
export const TemplateRow = Schema.transform(TemplatesTable, Schema.typeSchema(TemplateEntry.TemplateEntry), {
  strict: true,
  decode: (row) =>
    new TemplateEntry.TemplateEntry(
      { oid: row.oid, name: row.name, updatedAt: row.updated_at, updatedBy: row.updated_by },
      trusted
    ),
  encode: (entry) => ({
    oid: entry.oid,
    name: entry.name,
    updated_at: entry.updatedAt,
    updated_by: entry.updatedBy
  })
})

/** The `tokens` row of a token and the hash of its secret. */
export const tokenRow = (
  token: Token.ApiToken,
  secretHash: Token.SecretHash
): typeof TokensTable.Encoded => ({
  ...encodeTokenRow(token),
  secret_hash: secretHash
})

type OwnerOfKey = (key: string) => Either.Either<Ids.OwnerRef, ParseResult.ParseIssue>

const readOwnerKey: OwnerOfKey = ParseResult.decodeUnknownEither(Ids.OwnerRefFromString)

/** The Binding of decoded columns and their owner (already checked: no second validation). */
const bindingOf = (row: typeof BindingColumns.Type, owner: Ids.OwnerRef): Cert.Binding =>
  new Cert.Binding(
    {
      certificateId: row.certificate_id,
      owner,
      sha256: row.sha256,
      isKeyHistory: row.is_key_history,
      archivedOnCa: row.archived_on_ca,
      certificateType: row.certificate_type,
      origin: row.origin,
      use: row.usage,
      source: row.source,
      boundBy: row.bound_by,
      boundAt: row.bound_at,
      ...(row.submitted_pem === null ? {} : { submittedPem: row.submitted_pem })
    },
    trusted
  )

/** A binding as its own columns, and back. */
export const BindingRow = Schema.transformOrFail(BindingColumns, Schema.typeSchema(Cert.Binding), {
  strict: true,
  decode: (row) => ParseResult.map(readOwnerKey(row.owner_key), (owner) => bindingOf(row, owner)),
  encode: (binding) =>
    ParseResult.succeed({
      certificate_id: binding.certificateId,
      owner_key: Ids.ownerKey(binding.owner),
      sha256: binding.sha256,
      is_key_history: binding.isKeyHistory,
      archived_on_ca: binding.archivedOnCa,
      certificate_type: binding.certificateType,
      origin: binding.origin,
      usage: binding.use,
      source: binding.source,
      bound_by: binding.boundBy,
      bound_at: binding.boundAt,
      submitted_pem: binding.submittedPem ?? null
    })
})

const decodeBindingColumns = Schema.decodeUnknownSync(BindingColumns)

/**
 * A decoder of the binding rows of ONE result set. Parsing an owner key costs more than the rest of the
 * row and the rows of a listing share theirs, so the decoder reuses the last key's result; it lives as
 * long as the result set, never in module state, so concurrent queries share nothing. The columns go
 * through one decoder compiled once (a schema made per result set was compiled per query: 2-3% of a
 * listing request), then the Binding is assembled as BindingRow's decode does. `known`: the owner the
 * query selected (its key and ref), so a listing's rows never parse their key.
 */
export const bindingDecoder = (known?: {
  readonly key: string
  readonly ref: Ids.OwnerRef
}): ((row: unknown) => Cert.Binding) => {
  let last: { readonly key: string; readonly owner: Ids.OwnerRef } | undefined =
    known === undefined ? undefined : { key: known.key, owner: known.ref }
  return (input) => {
    const row = decodeBindingColumns(input)
    if (last?.key !== row.owner_key) {
      const owner = readOwnerKey(row.owner_key)
      if (Either.isLeft(owner)) throw new ParseResult.ParseError({ issue: owner.left })
      last = { key: row.owner_key, owner: owner.right }
    }
    return bindingOf(row, last.owner)
  }
}

/** The Certificate fields stored in `facts`, in schema order (everything but the DER). */
export const factFields = [
  "sha256",
  "sha1",
  "spkiSha256",
  "serial",
  "notBefore",
  "notAfter",
  "subject",
  "issuer",
  "signatureAlgorithm",
  "publicKey",
  "version",
  "template",
  "subjectAltNames"
] as const

const Facts = Schema.Struct(Cert.Certificate.fields).omit("der")

// The DER column goes through the platform's base64 (btoa / atob, in Node, browsers and workerd), not
// Effect's Encoding: measured in the same bench run, Effect's encoder's garbage took a bulk import from
// 0.57 to 0.52 of the driver-only baseline. Chunks keep String.fromCharCode's arguments bounded.
const CHUNK = 0x8000

/** Standard base64 with padding, the same text as `Encoding.encodeBase64` (rows.test.ts checks). */
export const derToBase64 = (der: Uint8Array): string => {
  let binary = ""
  for (let i = 0; i < der.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, der.subarray(i, i + CHUNK) as unknown as Array<number>)
  }
  return btoa(binary)
}

/** The DER column: base64 text <-> bytes; text that is not base64 fails the row. */
const DerFromBase64 = Schema.transformOrFail(Schema.String, Schema.Uint8ArrayFromSelf, {
  strict: true,
  decode: (text, _, ast) => {
    let binary: string
    try {
      binary = atob(text)
    } catch {
      return ParseResult.fail(new ParseResult.Type(ast, text, "not base64"))
    }
    const der = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i)
    return ParseResult.succeed(der)
  },
  encode: (der) => ParseResult.succeed(derToBase64(der))
})

/** A certificate from its `facts` and `der` columns (a row that is not a valid certificate fails). */
export const CertificateRow = Schema.transform(
  Schema.Struct({ facts: Schema.parseJson(Facts), der: DerFromBase64 }),
  Schema.typeSchema(Cert.Certificate),
  {
    strict: true,
    decode: ({ facts, der }) => new Cert.Certificate({ ...facts, der }, trusted),
    encode: (certificate) => {
      const { der, ...facts } = certificate
      return { facts, der }
    }
  }
)

const dn = (name: Cert.DistinguishedName) => ({ rfc4514: name.rfc4514, rfc2253: name.rfc2253 })

/**
 * `JSON.stringify(Schema.encodeSync(Facts)(c))`, without the encoder: same keys in the same order. An
 * optional field that is absent or `undefined` is left out, as JSON.stringify leaves out `undefined`.
 */
export const factsJson = (c: Cert.Certificate): string =>
  JSON.stringify({
    sha256: c.sha256,
    sha1: c.sha1,
    spkiSha256: c.spkiSha256,
    serial: { windows: c.serial.windows, hex: c.serial.hex, decimal: c.serial.decimal },
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    signatureAlgorithm: { oid: c.signatureAlgorithm.oid, name: c.signatureAlgorithm.name },
    publicKey: {
      algorithm: c.publicKey.algorithm,
      size: c.publicKey.size,
      curve: c.publicKey.curve,
      spki: c.publicKey.spki
    },
    version: c.version,
    template:
      c.template === undefined
        ? undefined
        : {
            oid: c.template.oid,
            majorVersion: c.template.majorVersion,
            minorVersion: c.template.minorVersion,
            name: c.template.name
          },
    subjectAltNames: c.subjectAltNames?.map((san) => ({ type: san.type, value: san.value }))
  })

const encodeCertificatesRow = Schema.encodeSync(CertificatesTable)

/** The `certificates` row of a certificate: its look-up and sort columns, the facts and the DER. */
export const certificateRow = (c: Cert.Certificate): typeof CertificatesTable.Encoded =>
  encodeCertificatesRow({
    sha256: c.sha256,
    sha1: c.sha1,
    spki_sha256: c.spkiSha256,
    serial_hex: c.serial.hex,
    not_before: c.notBefore,
    not_after: c.notAfter,
    subject: c.subject.rfc4514,
    facts: factsJson(c),
    der: derToBase64(c.der)
  })

const encodeBindingRow = Schema.encodeSync(BindingRow)

/**
 * The `bindings` row of a binding, with its certificate's sort and filter columns. PostgreSQL text
 * cannot hold NUL; no filter can ask for such a template name (filters refuse NUL), so the filter
 * column leaves it out and the facts keep it.
 */
export const bindingRow = (binding: Cert.Binding, c: Cert.Certificate): typeof BindingsTable.Encoded => ({
  ...encodeBindingRow(binding),
  not_before: c.notBefore,
  not_after: c.notAfter,
  subject: c.subject.rfc4514,
  template_name:
    c.template?.name === undefined || c.template.name.includes("\u0000") ? null : c.template.name,
  template_oid: c.template?.oid ?? null
})

/**
 * The jobs' records (migration 6) are the domain's Schema encodings as JSON text, as the facts are: read
 * only by key, never filtered on, so no column of their own beyond the key.
 */
export const IdpSyncJson = Schema.parseJson(JobStoreModule.IdpSync)
export const NotificationJson = Schema.parseJson(JobStoreModule.NotificationRecord)
