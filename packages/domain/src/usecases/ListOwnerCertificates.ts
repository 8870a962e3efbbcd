/**
 * One owner's certificates: filtered by validity relative to the Clock (RFC 5280: notBefore and notAfter
 * both inclusive), key history, CA archival and template; sorted stably; paginated by opaque cursor.
 */
import { Clock, Duration, Effect, Option, Schema } from "effect"
import { authorize } from "../Authorization.js"
import type { OwnerCertificate } from "../Certificate.js"
import { type After, CertificateStore, sortValue } from "../CertificateStore.js"
import * as Cursor from "../Cursor.js"
import { InvalidCursor } from "../Errors.js"
import { CertificateId, type OwnerRef } from "../Ids.js"
import { checkLimit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"

export const Validity = Schema.Literal("valid", "expired", "notYetValid")
export type Validity = typeof Validity.Type
export const KeyHistory = Schema.Literal("include", "exclude", "only")
export type KeyHistory = typeof KeyHistory.Type
export const SortField = Schema.Literal("notAfter", "notBefore", "boundAt", "subject")
export const SortDirection = Schema.Literal("asc", "desc")

export interface Input {
  readonly owner: OwnerRef
  /** Validity now. */
  readonly validity?: Validity
  /** Valid now and expiring at or before now + this. Combines with `validity` (both must hold). */
  readonly expiringWithin?: Duration.DurationInput
  /** Default "include". */
  readonly keyHistory?: KeyHistory
  readonly archivedOnCa?: boolean
  /** A template name or OID, exactly. */
  readonly template?: string
  /** Default notAfter ascending. */
  readonly sort?: { readonly field: typeof SortField.Type; readonly direction: typeof SortDirection.Type }
  readonly cursor?: string
  /** 1..1000, default 100. */
  readonly limit?: number
}

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
export const validityBounds = (input: Pick<Input, "validity" | "expiringWithin">, now: number): Bounds => {
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
    atMost("notAfterMax", now + Duration.toMillis(Duration.decode(input.expiringWithin)))
  }
  return bounds
}

const decodeId = Schema.decodeUnknownOption(CertificateId)

/** The keyset position in a cursor made for this order, with a value of the sort field's type. */
const decodeAfter = (
  field: typeof SortField.Type,
  order: string,
  cursor: string
): Effect.Effect<After, InvalidCursor> =>
  Cursor.decode(order, cursor).pipe(
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
  const limit = yield* checkLimit(input.limit)
  const sort = input.sort ?? { field: "notAfter", direction: "asc" }
  const order = `${sort.field}:${sort.direction}`
  const after = input.cursor === undefined ? undefined : yield* decodeAfter(sort.field, order, input.cursor)
  const now = yield* Clock.currentTimeMillis
  const store = yield* CertificateStore
  const keyHistory = input.keyHistory ?? "include"
  const slice = yield* store.listBindings({
    owner: input.owner,
    ...validityBounds(input, now),
    ...(keyHistory === "include" ? {} : { isKeyHistory: keyHistory === "only" }),
    ...(input.archivedOnCa === undefined ? {} : { archivedOnCa: input.archivedOnCa }),
    ...(input.template === undefined ? {} : { template: input.template }),
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
          nextCursor: Cursor.encode(order, {
            value: sortValue(last, sort.field),
            id: last.binding.certificateId
          })
        }
      : { items, total: slice.total }
  return page
})
