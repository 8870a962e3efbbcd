/**
 * Certificates valid now that expire within a duration, across the owners the caller may read, soonest
 * first, paginated. The store does the filtering: a non-administrator's grants become the query's owner
 * scope, so a page costs the same store call whoever asks.
 */
import { Clock, Duration, Effect, Option, Schema } from "effect"
import { isAdministrator, readScope } from "../Authorization.js"
import type { OwnerCertificate } from "../Certificate.js"
import { CertificateStore, type ExpiringQuery } from "../CertificateStore.js"
import * as Cursor from "../Cursor.js"
import { InvalidCursor } from "../Errors.js"
import { CertificateId } from "../Ids.js"
import { CursorText, decode, optional, Window } from "../Inputs.js"
import { DEFAULT_LIMIT, Limit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"

export const Input = Schema.Struct({
  within: Window,
  cursor: optional(CursorText),
  limit: optional(Limit)
})
export type Input = typeof Input.Encoded

const decodeInput = decode(Input)
const decodeId = Schema.decodeUnknownOption(CertificateId)

type After = NonNullable<ExpiringQuery["after"]>

const decodeAfter = (listing: string, cursor: string): Effect.Effect<After, InvalidCursor> =>
  Cursor.decode(listing, cursor).pipe(
    Effect.flatMap(({ v, i }) => {
      const certificateId = decodeId(i)
      return Option.isSome(certificateId) && typeof v === "number"
        ? Effect.succeed({ value: v, certificateId: certificateId.value })
        : Effect.fail(new InvalidCursor({ message: "the cursor is not one this service issued" }))
    })
  )

export const expiringCertificates = Effect.fn("expiringCertificates")(function* (
  principal: Principal,
  input: Input
) {
  const valid = yield* decodeInput(input)
  const limit = valid.limit ?? DEFAULT_LIMIT
  const within = Duration.toMillis(valid.within)
  const listing = Cursor.listing("expiring", [within])
  const after = valid.cursor === undefined ? undefined : yield* decodeAfter(listing, valid.cursor)
  const now = yield* Clock.currentTimeMillis
  const store = yield* CertificateStore
  const slice = yield* store.listExpiring({
    notAfterMin: now,
    notAfterMax: now + within,
    notBeforeMax: now,
    ...(isAdministrator(principal) ? {} : { scope: readScope(principal) }),
    limit: limit + 1,
    ...(after === undefined ? {} : { after })
  })
  const items = slice.items.slice(0, limit)
  const last = items.at(-1)
  const page: Page<OwnerCertificate> =
    slice.items.length > limit && last !== undefined
      ? {
          items,
          total: slice.total,
          nextCursor: Cursor.encode(listing, {
            value: last.certificate.notAfter,
            id: last.binding.certificateId
          })
        }
      : { items, total: slice.total }
  return page
})
