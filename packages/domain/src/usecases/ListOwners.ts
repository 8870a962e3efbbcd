/**
 * The owners a principal may read, by canonical key, paginated. Administrators page through the store;
 * everyone else sees a bounded set (their listed owners and delegated stores), gathered and paged here.
 */
import { Effect, Option } from "effect"
import { allows, isAdministrator } from "../Authorization.js"
import { CertificateStore, compareText } from "../CertificateStore.js"
import * as Cursor from "../Cursor.js"
import { type IdentityStoreId, identityStoreOf, type OwnerKind, ownerKey } from "../Ids.js"
import type { Owner } from "../Owner.js"
import { checkLimit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"

export interface Input {
  readonly kind?: OwnerKind
  readonly identityStoreId?: IdentityStoreId
  readonly cursor?: string
  readonly limit?: number
}

const ORDER = "owners"

export const listOwners = Effect.fn("listOwners")(function* (principal: Principal, input: Input = {}) {
  const limit = yield* checkLimit(input.limit)
  const afterKey =
    input.cursor === undefined ? undefined : String((yield* Cursor.decode(ORDER, input.cursor)).v)
  const store = yield* CertificateStore
  const filter = {
    ...(input.kind === undefined ? {} : { kind: input.kind }),
    ...(input.identityStoreId === undefined ? {} : { identityStoreId: input.identityStoreId })
  }
  const page = (items: ReadonlyArray<Owner>, total: number, more: boolean): Page<Owner> => {
    const last = items.at(-1)
    return more && last !== undefined
      ? { items, total, nextCursor: Cursor.encode(ORDER, { value: ownerKey(last.ref) }) }
      : { items, total }
  }

  if (isAdministrator(principal)) {
    const slice = yield* store.listOwners({
      ...filter,
      limit: limit + 1,
      ...(afterKey === undefined ? {} : { afterKey })
    })
    return page(slice.items.slice(0, limit), slice.total, slice.items.length > limit)
  }

  const visible = new Map<string, Owner>()
  for (const grant of principal.grants) {
    if (grant._tag === "DelegatedAdministrator") {
      let after: string | undefined
      for (;;) {
        const slice = yield* store.listOwners({
          identityStoreId: grant.identityStoreId,
          limit: 1000,
          ...(after === undefined ? {} : { afterKey: after })
        })
        for (const owner of slice.items) visible.set(ownerKey(owner.ref), owner)
        if (slice.items.length < 1000) break
        after = ownerKey(slice.items.at(-1)!.ref)
      }
    } else if (grant._tag === "OwnerOperator" || grant._tag === "OwnerReader") {
      for (const ref of grant.owners) {
        const owner = yield* store.getOwner(ref)
        if (Option.isSome(owner)) visible.set(ownerKey(ref), owner.value)
      }
    }
  }
  const matches = [...visible.entries()]
    .filter(
      ([, owner]) =>
        allows(principal, owner.ref, "read") &&
        (input.kind === undefined || owner.ref._tag === input.kind) &&
        (input.identityStoreId === undefined || identityStoreOf(owner.ref) === input.identityStoreId)
    )
    .sort(([a], [b]) => compareText(a, b))
  const rest = afterKey === undefined ? matches : matches.filter(([key]) => compareText(key, afterKey) > 0)
  return page(
    rest.slice(0, limit).map(([, owner]) => owner),
    matches.length,
    rest.length > limit
  )
})
