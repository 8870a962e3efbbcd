/**
 * Decodes UTCTime / GeneralizedTime from their raw bytes into exact epoch milliseconds. General ASN.1
 * libraries get the lenient forms wrong (offsets, missing seconds, years below 100); certificates in
 * the wild use all of them, so each accepted non-DER form is decoded exactly and reported as a warning.
 */
import { content, DerError, describe, Tag, TagClass, type Tlv } from "./Der.js"
import { Limits } from "./Limits.js"

const UTC_RE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?$/
const GEN_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31

/** Epoch ms of a proleptic Gregorian UTC date; unlike Date.UTC it keeps years 0..99 as they are. */
export const utcMillis = (
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number
): number => {
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, ms)
  return date.getTime()
}

/** Decodes the time at `tlv`; `warnings` collects each lenient form that was accepted. */
export const decodeTime = (tlv: Tlv, path: string, warnings: string[]): number => {
  if (tlv.cls !== TagClass.Universal || (tlv.tag !== Tag.UtcTime && tlv.tag !== Tag.GeneralizedTime)) {
    throw new DerError(path, `expected UTCTime or GeneralizedTime, found ${describe(tlv)}`)
  }
  const c = content(tlv)
  if (c.length > Limits.maxTimeBytes) {
    throw new DerError(path, `${describe(tlv)} of ${c.length} octets is not a time`)
  }
  let text = ""
  for (const b of c) text += String.fromCharCode(b)
  return tlv.tag === Tag.UtcTime
    ? decodeUtcTime(text, path, warnings)
    : decodeGeneralizedTime(text, path, warnings)
}

export const decodeUtcTime = (text: string, path: string, warnings: string[]): number => {
  const m = UTC_RE.exec(text)
  if (!m) throw new DerError(path, `malformed UTCTime "${printable(text)}"`)
  const yy = Number(m[1])
  // RFC 5280 4.1.2.5.1: YY >= 50 is 19YY, otherwise 20YY.
  const year = yy >= 50 ? 1900 + yy : 2000 + yy
  if (m[6] === undefined) warnings.push(`${path}: UTCTime without seconds`)
  if (m[7] === undefined) warnings.push(`${path}: UTCTime without time zone (read as UTC)`)
  else if (m[7] !== "Z") warnings.push(`${path}: UTCTime with offset ${m[7]}`)
  return assemble(year, m[2]!, m[3]!, m[4]!, m[5]!, m[6], 0, m[7], text, "UTCTime", path)
}

export const decodeGeneralizedTime = (text: string, path: string, warnings: string[]): number => {
  const m = GEN_RE.exec(text)
  if (!m) throw new DerError(path, `malformed GeneralizedTime "${printable(text)}"`)
  const year = Number(m[1])
  if (m[5] === undefined) warnings.push(`${path}: GeneralizedTime without minutes`)
  if (m[5] !== undefined && m[6] === undefined) warnings.push(`${path}: GeneralizedTime without seconds`)
  let ms = 0
  const fraction = m[7]
  if (fraction !== undefined) {
    if (m[6] === undefined)
      throw new DerError(path, `GeneralizedTime fraction without seconds "${printable(text)}"`)
    warnings.push(`${path}: GeneralizedTime with fractional seconds`)
    if (fraction.endsWith("0")) warnings.push(`${path}: GeneralizedTime fraction with trailing zeros`)
    // Below a millisecond there is nothing to keep: epoch ms is the unit of the facts.
    ms = Math.floor(Number(`0.${fraction}`) * 1000)
  }
  if (m[8] === undefined) warnings.push(`${path}: GeneralizedTime without time zone (read as UTC)`)
  else if (m[8] !== "Z") warnings.push(`${path}: GeneralizedTime with offset ${m[8]}`)
  if (year >= 1950 && year < 2050)
    warnings.push(`${path}: GeneralizedTime for a year RFC 5280 encodes as UTCTime`)
  return assemble(year, m[2]!, m[3]!, m[4]!, m[5] ?? "00", m[6], ms, m[8], text, "GeneralizedTime", path)
}

const assemble = (
  year: number,
  mo: string,
  d: string,
  h: string,
  mi: string,
  s: string | undefined,
  ms: number,
  zone: string | undefined,
  text: string,
  kind: string,
  path: string
): number => {
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = s === undefined ? 0 : Number(s)
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new DerError(path, `${kind} "${printable(text)}" is not a valid date and time`)
  }
  let offsetMinutes = 0
  if (zone !== undefined && zone !== "Z") {
    const oh = Number(zone.slice(1, 3))
    const om = Number(zone.slice(3, 5))
    if (oh > 23 || om > 59) throw new DerError(path, `${kind} "${printable(text)}" has an invalid offset`)
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om)
  }
  // Local time = UTC + offset, so UTC = local - offset.
  return utcMillis(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000
}

const printable = (text: string): string => text.slice(0, 40).replace(/[^\x20-\x7e]/g, "?")
