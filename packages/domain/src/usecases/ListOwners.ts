/**
 * The owners a principal may read, by canonical key, paginated. The store does the filtering: a
 * non-administrator's grants become the query's owner scope, so a page costs one indexed query whoever
 * asks and however many grants they hold.
 */
import { Effect, Schema } from "effect"
import { isAdministrator, readScope } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import * as Cursor from "../Cursor.js"
import { InvalidCursor } from "../Errors.js"
import { IdentityStoreId, ownerKey } from "../Ids.js"
import { CursorText, decode, optional } from "../Inputs.js"
import type { Owner } from "../Owner.js"
import { DEFAULT_LIMIT, Limit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"

export const OwnerKind = Schema.Literal("SmartCard", "Profile", "IdentityStore", "Idp")

export const Input = Schema.Struct({
  kind: optional(OwnerKind),
  /** The identity store itself and its IdPs. */
  identityStoreId: optional(IdentityStoreId),
  cursor: optional(CursorText),
  limit: optional(Limit)
})
export type Input = typeof Input.Encoded

const decodeInput = decode(Input)

export const listOwners = Effect.fn("listOwners")(function* (principal: Principal, input: Input = {}) {
  const valid = yield* decodeInput(input)
  const limit = valid.limit ?? DEFAULT_LIMIT
  const listing = Cursor.listing("owners", [valid.kind ?? null, valid.identityStoreId ?? null])
  let afterKey: string | undefined
  if (valid.cursor !== undefined) {
    const { v } = yield* Cursor.decode(listing, valid.cursor)
    if (typeof v !== "string")
      return yield* new InvalidCursor({ message: "the cursor is not one this service issued" })
    afterKey = v
  }
  const store = yield* CertificateStore
  const slice = yield* store.listOwners({
    ...(isAdministrator(principal) ? {} : { scope: readScope(principal) }),
    ...(valid.kind === undefined ? {} : { kind: valid.kind }),
    ...(valid.identityStoreId === undefined ? {} : { identityStoreId: valid.identityStoreId }),
    ...(afterKey === undefined ? {} : { afterKey }),
    limit: limit + 1
  })
  const items = slice.items.slice(0, limit)
  const last = items.at(-1)
  const page: Page<Owner> =
    slice.items.length > limit && last !== undefined
      ? { items, total: slice.total, nextCursor: Cursor.encode(listing, { value: ownerKey(last.ref) }) }
      : { items, total: slice.total }
  return page
})
