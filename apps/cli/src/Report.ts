/**
 * How the inventory commands show results to people: aligned tables with a footer giving the total and
 * the next page's cursor. Scripts use `--json` (Json.ts) instead.
 */
import type {
  Certificate as C,
  FindCertificates,
  ImportCertificates,
  JobStore,
  Owner,
  Page
} from "@certory/domain"
import { Certificate, Ids } from "@certory/domain"
import { Option } from "effect"
import type * as OwnerSummary from "./OwnerSummary.js"

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

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`

const SYNC: Record<JobStore.SyncOutcome, string> = {
  synced: "synced",
  notModified: "not modified",
  failed: "failed"
}

export const idpSync = (sync: JobStore.IdpSync): string =>
  [
    `${iso(sync.at)} ${SYNC[sync.outcome]}`,
    ...(sync.httpStatus === undefined ? [] : [`HTTP ${sync.httpStatus}`]),
    `${sync.added.length} added`,
    `${sync.refused.length} refused (certificate limit)`,
    ...(sync.error === undefined ? [] : [`error: ${sync.error}`]),
    `next ${iso(sync.nextAt)}`
  ].join(", ")

/** `owners show`: one field a line, then the counts, an identity store's IdPs or an IdP's last sync. */
export const ownerSummary = (summary: OwnerSummary.Summary): string => {
  const { owner, certificates: c } = summary
  const fields: Array<[string, string]> = [
    ["owner", Ids.ownerKey(owner.ref)],
    ...(owner.displayName === undefined ? [] : [["name", owner.displayName] as [string, string]]),
    ["enabled", owner.enabled ? "yes" : "no"],
    ["created", `${iso(owner.createdAt)} by ${owner.createdBy}`],
    ...(owner.metadataUrl === undefined ? [] : [["metadata", owner.metadataUrl] as [string, string]]),
    ...(owner.saml === undefined ? [] : [["entity id", owner.saml.entityId] as [string, string]]),
    [
      "certificates",
      `${c.total} (valid ${c.valid}, expired ${c.expired}, not yet valid ${c.notYetValid}; key history ${c.keyHistory}, archived on CA ${c.archivedOnCa})`
    ],
    ...(summary.idps === undefined
      ? []
      : [
          [
            "idps",
            `${summary.idps.length} (${plural(
              summary.idps.reduce((sum, idp) => sum + idp.bindings, 0),
              "certificate"
            )} bound)`
          ] as [string, string]
        ]),
    ...(summary.lastSync === undefined
      ? []
      : [
          ["last sync", Option.match(summary.lastSync, { onNone: () => "never", onSome: idpSync })] as [
            string,
            string
          ]
        ])
  ]
  const width = Math.max(...fields.map(([label]) => label.length))
  const lines = fields.map(([label, value]) => `${label.padEnd(width)}  ${value}`)
  for (const idp of summary.idps ?? [])
    lines.push(`  ${Ids.ownerKey(idp.owner)}  ${plural(idp.bindings, "certificate")}`)
  return lines.join("\n")
}
