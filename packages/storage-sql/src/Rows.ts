/**
 * The rows the store writes, as plain strings and numbers: one mapping shared by the store and the
 * benchmark's baseline, so the baseline inserts exactly what the store inserts.
 *
 * The facts JSON is written by hand instead of through `Schema.encodeSync`: a Certificate is already a
 * validated domain value, and every one of its facts encodes to itself (the classes to plain objects with
 * their fields in schema order), so the encoder would only re-check what the constructor checked. A test
 * (storage-sqlite's rows.test.ts) proves the text equal to the Schema encoding over every fixture and that
 * the field list below is still the schema's.
 */
import type { Certificate as Cert } from "@certory/domain"

export type Row = Record<string, unknown>
export type ColumnType = "text" | "bigint"

export const certificateColumns: ReadonlyArray<readonly [string, ColumnType]> = [
  ["sha256", "text"],
  ["sha1", "text"],
  ["spki_sha256", "text"],
  ["serial_hex", "text"],
  ["not_before", "bigint"],
  ["not_after", "bigint"],
  ["subject", "text"],
  ["facts", "text"],
  ["der", "text"]
]

export const bindingColumns: ReadonlyArray<readonly [string, ColumnType]> = [
  ["certificate_id", "text"],
  ["owner_key", "text"],
  ["sha256", "text"],
  ["is_key_history", "bigint"],
  ["archived_on_ca", "bigint"],
  ["certificate_type", "bigint"],
  ["origin", "text"],
  ["usage", "text"],
  ["source", "text"],
  ["bound_by", "text"],
  ["bound_at", "bigint"],
  ["not_before", "bigint"],
  ["not_after", "bigint"],
  ["subject", "text"],
  ["template_name", "text"],
  ["template_oid", "text"]
]

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

// btoa/atob exist in Node, browsers and workerd, and run natively: several times faster than a
// JavaScript base64 over a few kilobytes of DER. Chunks keep String.fromCharCode's arguments bounded.
const CHUNK = 0x8000

/** Standard base64 with padding (what `Encoding.encodeBase64` produces). */
export const derToBase64 = (der: Uint8Array): string => {
  let binary = ""
  for (let i = 0; i < der.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, der.subarray(i, i + CHUNK) as unknown as Array<number>)
  }
  return btoa(binary)
}

/** The DER back from its base64 column; throws (a defect to the store) on text that is not base64. */
export const derFromBase64 = (text: string): Uint8Array<ArrayBuffer> => {
  const binary = atob(text)
  const der = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i)
  return der
}

/** The `certificates` row of a certificate. */
export const certificateRow = (c: Cert.Certificate): Row => ({
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

/** What a binding row needs besides its certificate. */
export interface BindingInput {
  readonly certificateId: string
  readonly ownerKey: string
  readonly attributes: Cert.BindingAttributes
  readonly boundBy: string
  readonly boundAt: number
}

const bool = (b: boolean): number => (b ? 1 : 0)

/** The `bindings` row of a certificate bound to an owner, with the certificate's sort columns copied. */
export const bindingRow = (c: Cert.Certificate, input: BindingInput): Row => ({
  certificate_id: input.certificateId,
  owner_key: input.ownerKey,
  sha256: c.sha256,
  is_key_history: bool(input.attributes.isKeyHistory),
  archived_on_ca: bool(input.attributes.archivedOnCa),
  certificate_type: input.attributes.certificateType,
  origin: input.attributes.origin,
  usage: input.attributes.use,
  source: input.attributes.source,
  bound_by: input.boundBy,
  bound_at: input.boundAt,
  not_before: c.notBefore,
  not_after: c.notAfter,
  subject: c.subject.rfc4514,
  // PostgreSQL text cannot hold NUL; no filter can ask for such a name (filters refuse NUL), so the
  // filter column leaves it out and the facts keep it.
  template_name:
    c.template?.name === undefined || c.template.name.includes("\u0000") ? null : c.template.name,
  template_oid: c.template?.oid ?? null
})
