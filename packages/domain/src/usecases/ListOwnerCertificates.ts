/**
 * One owner's certificates: filtered by validity relative to the Clock (RFC 5280: notBefore and notAfter
 * both inclusive), key history, CA archival and template; sorted stably; paginated by opaque cursor. A
 * cursor continues only the listing (owner, filters, sort) it came from.
 */
import { Clock, Duration, Effect, Option, Schema } from "effect"
import { authorize } from "../Authorization.js"
import type { OwnerCertificate } from "../Certificate.js"
import { type After, CertificateStore, sortValue } from "../CertificateStore.js"
import * as Cursor from "../Cursor.js"
import { InvalidCursor } from "../Errors.js"
import { CertificateId, OwnerRef, ownerKey } from "../Ids.js"
import { CursorText, decode, optional, TemplateFilter, Window } from "../Inputs.js"
import { DEFAULT_LIMIT, Limit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"

export const Validity = Schema.Literal("valid", "expired", "notYetValid")
export type Validity = typeof Validity.Type
export const KeyHistory = Schema.Literal("include", "exclude", "only")
export type KeyHistory = typeof KeyHistory.Type
export const SortField = Schema.Literal("notAfter", "notBefore", "boundAt", "subject")
export const SortDirection = Schema.Literal("asc", "desc")

export const Input = Schema.Struct({
  owner: Schema.typeSchema(OwnerRef),
  /** Validity now. */
  validity: optional(Validity),
  /** Valid now and expiring at or before now + this. Combines with `validity` (both must hold). */
  expiringWithin: optional(Window),
  /** Default "include". */
  keyHistory: optional(KeyHistory),
  archivedOnCa: optional(Schema.Boolean),
  /** A template name or OID, exactly. */
  template: optional(TemplateFilter),
  /** Default notAfter ascending. */
  sort: optional(Schema.Struct({ field: SortField, direction: SortDirection })),
  cursor: optional(CursorText),
  /** 1..1000, default 100. */
  limit: optional(Limit)
})
export type Input = typeof Input.Encoded

interface Bounds {
  notBeforeMin?: number
  notBeforeMax?: number
  notAfterMin?: number
  notAfterMax?: number
}

const tighten = (
  bounds: Bounds,
  key: keyof Bounds,
  value: number,
  keep: (a: number, b: number) => number
) => {
  const current = bounds[key]
  bounds[key] = current === undefined ? value : keep(current, value)
}

/** Every validity condition as inclusive millisecond bounds; several conditions intersect. */
export const validityBounds = (
  input: {
    readonly validity?: Validity | undefined
    readonly expiringWithin?: Duration.Duration | undefined
  },
  now: number
): Bounds => {
  const bounds: Bounds = {}
  const atLeast = (key: "notBeforeMin" | "notAfterMin", value: number) =>
    tighten(bounds, key, value, Math.max)
  const atMost = (key: "notBeforeMax" | "notAfterMax", value: number) => tighten(bounds, key, value, Math.min)
  switch (input.validity) {
    case "valid":
      atMost("notBeforeMax", now)
      atLeast("notAfterMin", now)
      break
    case "expired":
      atMost("notAfterMax", now - 1)
      break
    case "notYetValid":
      atLeast("notBeforeMin", now + 1)
      break
  }
  if (input.expiringWithin !== undefined) {
    atMost("notBeforeMax", now)
    atLeast("notAfterMin", now)
    atMost("notAfterMax", now + Duration.toMillis(input.expiringWithin))
  }
  return bounds
}

const decodeInput = decode(Input)
const decodeId = Schema.decodeUnknownOption(CertificateId)

/** The keyset position in a cursor made for this listing, with a value of the sort field's type. */
const decodeAfter = (
  field: typeof SortField.Type,
  listing: string,
  cursor: string
): Effect.Effect<After, InvalidCursor> =>
  Cursor.decode(listing, cursor).pipe(
    Effect.flatMap(({ v, i }) => {
      const certificateId = decodeId(i)
      return Option.isSome(certificateId) && typeof v === (field === "subject" ? "string" : "number")
        ? Effect.succeed({ value: v, certificateId: certificateId.value })
        : Effect.fail(new InvalidCursor({ message: "the cursor is not one this service issued" }))
    })
  )

export const listOwnerCertificates = Effect.fn("listOwnerCertificates")(function* (
  principal: Principal,
  input: Input
) {
  yield* authorize(principal, input.owner, "read")
  const valid = yield* decodeInput(input)
  const limit = valid.limit ?? DEFAULT_LIMIT
  const sort = valid.sort ?? { field: "notAfter", direction: "asc" }
  const keyHistory = valid.keyHistory ?? "include"
  const listing = Cursor.listing(`${sort.field}:${sort.direction}`, [
    ownerKey(valid.owner),
    valid.validity ?? null,
    valid.expiringWithin === undefined ? null : Duration.toMillis(valid.expiringWithin),
    keyHistory,
    valid.archivedOnCa ?? null,
    valid.template ?? null
  ])
  const after = valid.cursor === undefined ? undefined : yield* decodeAfter(sort.field, listing, valid.cursor)
  const now = yield* Clock.currentTimeMillis
  const store = yield* CertificateStore
  const slice = yield* store.listBindings({
    owner: valid.owner,
    ...validityBounds(valid, now),
    ...(keyHistory === "include" ? {} : { isKeyHistory: keyHistory === "only" }),
    ...(valid.archivedOnCa === undefined ? {} : { archivedOnCa: valid.archivedOnCa }),
    ...(valid.template === undefined ? {} : { template: valid.template }),
    sort,
    ...(after === undefined ? {} : { after }),
    // One more than asked tells whether a next page exists.
    limit: limit + 1
  })
  const items = slice.items.slice(0, limit)
  const last = items.at(-1)
  const page: Page<OwnerCertificate> =
    slice.items.length > limit && last !== undefined
      ? {
          items,
          total: slice.total,
          nextCursor: Cursor.encode(listing, {
            value: sortValue(last, sort.field),
            id: last.binding.certificateId
          })
        }
      : { items, total: slice.total }
  return page
})
