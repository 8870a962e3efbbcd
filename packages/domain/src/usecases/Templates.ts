/**
 * The template catalog: administrators register, rename, list and remove the names of certificate
 * template OIDs; listings resolve the names of a page of certificates that carry only an OID
 * (`resolveTemplateNames`, one catalog query per page). Names are not secret, but the catalog is
 * configuration, so every catalog operation is for administrators only.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { isAdministrator } from "../Authorization.js"
import type { Certificate } from "../Certificate.js"
import * as Cursor from "../Cursor.js"
import { AccessDenied, InvalidCursor, TemplateNotFound } from "../Errors.js"
import { CursorText, decode, optional } from "../Inputs.js"
import { DEFAULT_LIMIT, Limit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"
import { TemplateCatalog } from "../TemplateCatalog.js"
import { type TemplateEntry, TemplateName, TemplateOid } from "../TemplateEntry.js"

export const SetInput = Schema.Struct({
  oid: TemplateOid,
  name: TemplateName
})
export type SetInput = typeof SetInput.Encoded

export const OidInput = Schema.Struct({ oid: TemplateOid })
export type OidInput = typeof OidInput.Encoded

export const ListInput = Schema.Struct({
  cursor: optional(CursorText),
  limit: optional(Limit)
})
export type ListInput = typeof ListInput.Encoded

const decodeSet = decode(SetInput)
const decodeOid = decode(OidInput)
const decodeList = decode(ListInput)
const decodeCursorOid = Schema.decodeUnknownOption(TemplateOid)

const administrator = (principal: Principal, action: string) =>
  isAdministrator(principal)
    ? Effect.void
    : Effect.fail(new AccessDenied({ message: `${principal.id} may not ${action} template names` }))

/** Registers the name of a template OID, or renames it; returns the entry as stored. */
export const setTemplateName = Effect.fn("setTemplateName")(function* (
  principal: Principal,
  input: SetInput
) {
  yield* administrator(principal, "set")
  const valid = yield* decodeSet(input)
  const catalog = yield* TemplateCatalog
  return yield* catalog.put(valid.oid, valid.name, principal.id, yield* Clock.currentTimeMillis)
})

export const getTemplate = Effect.fn("getTemplate")(function* (principal: Principal, input: OidInput) {
  yield* administrator(principal, "read")
  const { oid } = yield* decodeOid(input)
  const catalog = yield* TemplateCatalog
  const entry = yield* catalog.get(oid)
  if (Option.isNone(entry)) return yield* new TemplateNotFound({ oid })
  return entry.value
})

/** Certificates carrying only this OID show the OID again. */
export const removeTemplate = Effect.fn("removeTemplate")(function* (principal: Principal, input: OidInput) {
  yield* administrator(principal, "remove")
  const { oid } = yield* decodeOid(input)
  const catalog = yield* TemplateCatalog
  yield* catalog.remove(oid)
})

export const listTemplates = Effect.fn("listTemplates")(function* (
  principal: Principal,
  input: ListInput = {}
) {
  yield* administrator(principal, "list")
  const valid = yield* decodeList(input)
  const limit = valid.limit ?? DEFAULT_LIMIT
  const listing = Cursor.listing("templates", [])
  let afterOid: TemplateOid | undefined
  if (valid.cursor !== undefined) {
    const oid = decodeCursorOid((yield* Cursor.decode(listing, valid.cursor)).v)
    if (Option.isNone(oid))
      return yield* new InvalidCursor({ message: "the cursor is not one this service issued" })
    afterOid = oid.value
  }
  const catalog = yield* TemplateCatalog
  const slice = yield* catalog.list({ limit: limit + 1, ...(afterOid === undefined ? {} : { afterOid }) })
  const items = slice.items.slice(0, limit)
  const last = items.at(-1)
  const page: Page<TemplateEntry> =
    slice.items.length > limit && last !== undefined
      ? { items, total: slice.total, nextCursor: Cursor.encode(listing, { value: last.oid }) }
      : { items, total: slice.total }
  return page
})

/**
 * The catalog names of the template OIDs of certificates that carry an OID but no name (a certificate's
 * own name always wins): one catalog query for the lot, none when no certificate needs one. No
 * authorization: whoever may see the certificates may see what their templates are called.
 */
export const resolveTemplateNames = Effect.fn("resolveTemplateNames")(function* (
  certificates: Iterable<Certificate>
) {
  const oids = new Set<string>()
  for (const { template } of certificates) {
    if (template?.name === undefined && template?.oid !== undefined) oids.add(template.oid)
  }
  if (oids.size === 0) return new Map<string, string>() as ReadonlyMap<string, string>
  const catalog = yield* TemplateCatalog
  return yield* catalog.names([...oids])
})

/** The catalog name for one certificate from what `resolveTemplateNames` returned (undefined: none). */
export const catalogNameOf = (
  names: ReadonlyMap<string, string>,
  certificate: Certificate
): string | undefined =>
  certificate.template?.name === undefined && certificate.template?.oid !== undefined
    ? names.get(certificate.template.oid)
    : undefined
