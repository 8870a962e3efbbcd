/**
 * How `certory inspect` shows certificate facts: a readable summary for people, and a JSON form for
 * scripts (instants as ISO strings, bytes as base64) that keeps every fact.
 */
import type { CertificateFacts } from "@certory/x509"

const iso = (millis: number): string => new Date(millis).toISOString()

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64")

const validity = (facts: CertificateFacts, now: number): string =>
  now < facts.notBefore ? "not yet valid" : now > facts.notAfter ? "expired" : "valid"

/** One JSON object per certificate; `input` names where it came from, `index` its 1-based position there. */
export const toJson = (input: string, index: number, facts: CertificateFacts) => ({
  input,
  index,
  ...facts,
  notBefore: iso(facts.notBefore),
  notAfter: iso(facts.notAfter),
  der: base64(facts.der)
})

/** A readable summary; `now` decides the validity word. */
export const toText = (input: string, index: number, facts: CertificateFacts, now: number): string => {
  const ext = facts.extensions
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
    ["Subject alt names", ext.subjectAltNames?.map((name) => `${name.type}:${name.value}`).join(", ")],
    ["Key usage", ext.keyUsage?.join(", ")],
    ["Extended key usage", ext.extendedKeyUsage?.join(", ")],
    [
      "Basic constraints",
      ext.basicConstraints === undefined
        ? undefined
        : `CA:${ext.basicConstraints.ca ? "TRUE" : "FALSE"}${ext.basicConstraints.pathLength === undefined ? "" : `, pathlen:${ext.basicConstraints.pathLength}`}`
    ],
    ["Warnings", facts.warnings.length === 0 ? undefined : facts.warnings.join("; ")]
  ]
  const width = Math.max(...rows.map(([label]) => label.length)) + 2
  const lines = rows
    .filter((row): row is [string, string] => row[1] !== undefined && row[1] !== "")
    .map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`)
  return [`${input} #${index}`, ...lines].join("\n")
}
