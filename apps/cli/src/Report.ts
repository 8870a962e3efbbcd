/**
 * How the inventory commands show results to people: aligned tables with a footer giving the total and
 * the next page's cursor. Scripts use `--json` (Json.ts) instead.
 */
import type { Certificate as C, FindCertificates, ImportCertificates, Owner, Page } from "@certory/domain"
import { Certificate, Ids } from "@certory/domain"

export const iso = (millis: number): string => new Date(millis).toISOString()

const STATUS: Record<C.ValidityStatus, string> = {
  valid: "valid",
  expired: "expired",
  notYetValid: "not yet valid"
}

export const status = (certificate: C.Certificate, now: number): string =>
  STATUS[Certificate.validityAt(certificate, now)]

const templateOf = (certificate: C.Certificate): string =>
  certificate.template?.name ?? certificate.template?.oid ?? "-"

/** Columns padded to their widest cell; the last column is left ragged. */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd()
  return [line(header), ...rows.map(line)].join("\n")
}

const footer = (page: Page.Page<unknown>, noun: string): string =>
  [
    `${page.items.length} of ${page.total} ${noun}`,
    ...(page.nextCursor === undefined ? [] : [`next cursor: ${page.nextCursor}`])
  ].join("\n")

export const ownerCertificates = (page: Page.Page<C.OwnerCertificate>, now: number): string => {
  if (page.total === 0) return "no certificates"
  const rows = page.items.map(({ binding, certificate }) => [
    binding.certificateId,
    certificate.subject.rfc4514,
    iso(certificate.notAfter),
    status(certificate, now),
    templateOf(certificate),
    certificate.sha1
  ])
  return `${table(["CERTIFICATE ID", "SUBJECT", "NOT AFTER", "STATUS", "TEMPLATE", "SHA-1"], rows)}\n${footer(page, "certificates")}`
}

export const expiring = (page: Page.Page<C.OwnerCertificate>, within: string): string => {
  if (page.total === 0) return `no certificate expires within ${within}`
  const rows = page.items.map(({ binding, certificate }) => [
    Ids.ownerKey(binding.owner),
    binding.certificateId,
    certificate.subject.rfc4514,
    iso(certificate.notAfter),
    certificate.sha1
  ])
  return `${table(["OWNER", "CERTIFICATE ID", "SUBJECT", "NOT AFTER", "SHA-1"], rows)}\n${footer(page, `certificates expiring within ${within}`)}`
}

export const owners = (page: Page.Page<Owner.Owner>): string => {
  if (page.total === 0) return "no owners"
  const rows = page.items.map((owner) => [
    Ids.ownerKey(owner.ref),
    owner.enabled ? "yes" : "no",
    iso(owner.createdAt),
    owner.displayName ?? ""
  ])
  return `${table(["OWNER", "ENABLED", "CREATED", "NAME"], rows)}\n${footer(page, "owners")}`
}

const OUTCOME: Record<ImportCertificates.Outcome, string> = {
  created: "created",
  alreadyBound: "already bound",
  duplicateInInput: "duplicate in input"
}

/** One line per certificate of one input: `<input> #<n>: <outcome> <certificate id> SHA-1 <sha1> <subject>`. */
export const imported = (input: string, results: ReadonlyArray<ImportCertificates.Imported>): string =>
  results
    .map(
      ({ outcome, binding, certificate }, i) =>
        `${input} #${i + 1}: ${OUTCOME[outcome]} ${binding.certificateId} SHA-1 ${certificate.sha1} ${certificate.subject.rfc4514}`
    )
    .join("\n")

export const found = (text: string, results: ReadonlyArray<FindCertificates.Found>, now: number): string => {
  if (results.length === 0) return `no owner holds a certificate matching ${text}`
  return results
    .map(({ certificate, bindings, matchedBy }) =>
      [
        `${certificate.subject.rfc4514} (matched by ${matchedBy})`,
        `  SHA-1 ${certificate.sha1}, serial ${certificate.serial.hex} (decimal ${certificate.serial.decimal})`,
        `  not after ${iso(certificate.notAfter)} (${status(certificate, now)})`,
        table(
          ["  OWNER", "CERTIFICATE ID"],
          bindings.map((binding) => [`  ${Ids.ownerKey(binding.owner)}`, binding.certificateId])
        )
      ].join("\n")
    )
    .join("\n\n")
}
