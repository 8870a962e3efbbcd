/**
 * How `certory inspect` shows certificate facts: a readable summary for people, and a JSON form for
 * scripts (instants as ISO strings, bytes as base64) that keeps every fact.
 */
import {
  accessMethodName,
  type CertificateFacts,
  type CertificateOrigin,
  extendedKeyUsageName,
  extensionName,
  type GeneralName,
  Oid
} from "@certory/x509"

const iso = (millis: number): string => new Date(millis).toISOString()

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64")

const validity = (facts: CertificateFacts, now: number): string =>
  now < facts.notBefore ? "not yet valid" : now > facts.notAfter ? "expired" : "valid"

/**
 * One JSON object per certificate; `input` names where it came from, `index` its 1-based position there,
 * `where` the block or bundle entry (x509's CertificateOrigin).
 */
export const toJson = (input: string, index: number, origin: CertificateOrigin, facts: CertificateFacts) => ({
  input,
  index,
  where: origin.where,
  ...facts,
  notBefore: iso(facts.notBefore),
  notAfter: iso(facts.notAfter),
  der: base64(facts.der)
})

const names = (list: ReadonlyArray<GeneralName> | undefined): string | undefined =>
  list?.map((name) => `${name.type}:${name.value}`).join(", ")

/**
 * A readable summary; `now` decides the validity word. Extended key usages and access methods by the
 * names openssl prints (the OID when it has none), a critical extension marked "(critical)", and every
 * extension listed under its openssl heading.
 */
export const toText = (
  input: string,
  index: number,
  origin: CertificateOrigin,
  facts: CertificateFacts,
  now: number
): string => {
  const ext = facts.extensions
  const critical = new Set(ext.all.filter((e) => e.critical).map((e) => e.oid))
  /** The value of extension `oid`, marked when the certificate says it is critical. */
  const marked = (oid: string, value: string | undefined): string | undefined =>
    value === undefined ? undefined : critical.has(oid) ? `${value} (critical)` : value
  const template = ext.microsoftTemplate
  const rows: Array<[string, string | undefined]> = [
    ["Subject", facts.subject.rfc4514],
    ["Issuer", facts.issuer.rfc4514],
    ["Serial", `${facts.serial.windows} (decimal ${facts.serial.decimal})`],
    ["Not before", iso(facts.notBefore)],
    ["Not after", `${iso(facts.notAfter)} (${validity(facts, now)})`],
    ["SHA-1", facts.sha1],
    ["SHA-256", facts.sha256],
    ["SPKI SHA-256", facts.spkiSha256],
    ["Signature", facts.signatureAlgorithm.name],
    [
      "Public key",
      [facts.publicKey.algorithm, facts.publicKey.size?.toString(), facts.publicKey.curve]
        .filter((part) => part !== undefined)
        .join(" ")
    ],
    ["Version", String(facts.version)],
    [
      "Template",
      template === undefined
        ? undefined
        : [
            template.name,
            template.oid === undefined
              ? undefined
              : `${template.oid}${template.majorVersion === undefined ? "" : ` v${template.majorVersion}.${template.minorVersion ?? 0}`}`
          ]
            .filter((part) => part !== undefined)
            .join(" ")
    ],
    ["Subject alt names", marked(Oid.subjectAltName, names(ext.subjectAltNames))],
    ["Key usage", marked(Oid.keyUsage, ext.keyUsage?.join(", "))],
    [
      "Extended key usage",
      marked(Oid.extKeyUsage, ext.extendedKeyUsage?.map(extendedKeyUsageName).join(", "))
    ],
    [
      "Basic constraints",
      marked(
        Oid.basicConstraints,
        ext.basicConstraints === undefined
          ? undefined
          : `CA:${ext.basicConstraints.ca ? "TRUE" : "FALSE"}${ext.basicConstraints.pathLength === undefined ? "" : `, pathlen:${ext.basicConstraints.pathLength}`}`
      )
    ],
    ["CRL distribution", marked(Oid.crlDistributionPoints, names(ext.crlDistributionPoints))],
    [
      "Authority info",
      marked(
        Oid.authorityInfoAccess,
        ext.authorityInfoAccess
          ?.map(({ method, location }) => `${accessMethodName(method)} - ${location.type}:${location.value}`)
          .join(", ")
      )
    ],
    [
      "Extensions",
      ext.all.map((e) => `${extensionName(e.oid)}${e.critical ? " (critical)" : ""}`).join(", ")
    ],
    ["Warnings", facts.warnings.length === 0 ? undefined : facts.warnings.join("; ")]
  ]
  const width = Math.max(...rows.map(([label]) => label.length)) + 2
  const lines = rows
    .filter((row): row is [string, string] => row[1] !== undefined && row[1] !== "")
    .map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`)
  return [`${input} #${index} (${origin.where})`, ...lines].join("\n")
}
