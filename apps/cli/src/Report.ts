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

/**
 * The width tables fit: the terminal's, else COLUMNS; undefined on a pipe without COLUMNS (a pipe has no
 * width: scripts and grep see whole values; `--format wide` and JSON always do).
 */
export const terminalWidth = (): number | undefined => {
  if (process.stdout.isTTY && process.stdout.columns !== undefined && process.stdout.columns > 0)
    return process.stdout.columns
  const columns = Number(process.env.COLUMNS)
  return Number.isInteger(columns) && columns > 0 ? columns : undefined
}

/** Row colours (Output.ts strips them unless stdout is a terminal and NO_COLOR is unset). */
export type Tone = "expired" | "expiring" | undefined
const TONES = { expired: "\u001b[31m", expiring: "\u001b[33m" } as const
const RESET = "\u001b[0m"

export interface TableOptions {
  /** Fit every line to this many characters; undefined: no limit. */
  readonly width?: number | undefined
  /** Columns (by header) that give up characters first, cut with "…", before lines are cut at the width. */
  readonly shrink?: ReadonlyArray<string>
  /** A tone per row. */
  readonly tones?: ReadonlyArray<Tone>
}

const MIN_SHRUNK = 12

const cut = (text: string, width: number): string =>
  text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`

/**
 * Columns padded to their widest cell (the last left ragged). With a width, the `shrink` columns give up
 * characters first (down to 12), then what still does not fit is cut at the width, as `ps` does: ids and
 * hashes are never shortened in the middle, only cut off at the right edge.
 */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  options: TableOptions = {}
): string => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const width = options.width
  if (width !== undefined) {
    const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1)
    const shrinkable = header.flatMap((title, i) => ((options.shrink ?? []).includes(title) ? [i] : []))
    let over = total() - width
    while (over > 0) {
      // The widest shrinkable column above the minimum gives up one character.
      let widest = -1
      for (const i of shrinkable)
        if (
          (widths[i] ?? 0) > Math.max(MIN_SHRUNK, header[i]?.length ?? 0) &&
          (widest === -1 || (widths[i] ?? 0) > (widths[widest] ?? 0))
        )
          widest = i
      if (widest === -1) break
      widths[widest] = (widths[widest] ?? 0) - 1
      over -= 1
    }
  }
  const line = (cells: ReadonlyArray<string>) => {
    const text = cells
      .map((cell, i) => {
        const fitted = cut(cell, widths[i] ?? cell.length)
        return i === cells.length - 1 ? fitted : fitted.padEnd(widths[i] ?? 0)
      })
      .join("  ")
      .trimEnd()
    return width === undefined ? text : cut(text, width)
  }
  const tone = (text: string, t: Tone) => (t === undefined ? text : `${TONES[t]}${text}${RESET}`)
  return [line(header), ...rows.map((row, i) => tone(line(row), options.tones?.[i]))].join("\n")
}

/** Whole days from now to notAfter (negative once expired). */
export const daysLeft = (certificate: C.Certificate, now: number): number =>
  Math.floor((certificate.notAfter - now) / 86_400_000)

/** The tone of a certificate's row: expired, or expiring within 30 days. */
export const toneOf = (certificate: C.Certificate, now: number): Tone =>
  Certificate.validityAt(certificate, now) === "expired"
    ? "expired"
    : Certificate.validityAt(certificate, now) === "valid" && daysLeft(certificate, now) < 30
      ? "expiring"
      : undefined

const yesNo = (value: boolean) => (value ? "yes" : "no")

const footer = (page: Page.Page<unknown>, noun: string): string =>
  [
    `${page.items.length} of ${page.total} ${noun}`,
    ...(page.nextCursor === undefined ? [] : [`next cursor: ${page.nextCursor}`])
  ].join("\n")

/** `list`'s table: `wide` prints every value whole (full notAfter instant, no width limit). */
export const ownerCertificates = (
  page: Page.Page<C.OwnerCertificate>,
  now: number,
  options: { readonly wide?: boolean; readonly width?: number | undefined } = {}
): string => {
  if (page.total === 0) return "no certificates"
  const wide = options.wide === true
  const rows = page.items.map(({ binding, certificate }) => [
    binding.certificateId,
    certificate.subject.rfc4514,
    wide ? iso(certificate.notAfter) : iso(certificate.notAfter).slice(0, 10),
    String(daysLeft(certificate, now)),
    status(certificate, now),
    yesNo(binding.isKeyHistory),
    yesNo(binding.archivedOnCa),
    templateOf(certificate),
    certificate.sha1
  ])
  const header = [
    "CERTIFICATE ID",
    "SUBJECT",
    "NOT AFTER",
    "DAYS LEFT",
    "STATUS",
    "KEY HISTORY",
    "ARCHIVED",
    "TEMPLATE",
    "SHA-1"
  ]
  return `${table(header, rows, {
    width: wide ? undefined : options.width,
    shrink: ["SUBJECT", "TEMPLATE"],
    tones: page.items.map(({ certificate }) => toneOf(certificate, now))
  })}\n${footer(page, "certificates")}`
}

export const expiring = (
  page: Page.Page<C.OwnerCertificate>,
  within: string,
  now: number,
  width: number | undefined
): string => {
  if (page.total === 0) return `no certificate expires within ${within}`
  const rows = page.items.map(({ binding, certificate }) => [
    Ids.ownerKey(binding.owner),
    binding.certificateId,
    certificate.subject.rfc4514,
    iso(certificate.notAfter),
    String(daysLeft(certificate, now)),
    certificate.sha1
  ])
  return `${table(["OWNER", "CERTIFICATE ID", "SUBJECT", "NOT AFTER", "DAYS LEFT", "SHA-1"], rows, {
    width,
    shrink: ["SUBJECT"],
    tones: page.items.map(({ certificate }) => toneOf(certificate, now))
  })}\n${footer(page, `certificates expiring within ${within}`)}`
}

export const owners = (page: Page.Page<Owner.Owner>): string => {
  if (page.total === 0) return "no owners"
  const rows = page.items.map((owner) => [
    Ids.ownerKey(owner.ref),
    owner.enabled ? "yes" : "no",
    iso(owner.createdAt),
    owner.displayName ?? ""
  ])
  return `${table(["OWNER", "ENABLED", "CREATED", "NAME"], rows, { width: terminalWidth(), shrink: ["NAME"] })}\n${footer(page, "owners")}`
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
