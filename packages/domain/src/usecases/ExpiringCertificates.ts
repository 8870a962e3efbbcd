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
import { checkLimit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"

export interface Input {
  readonly within: Duration.DurationInput
  readonly cursor?: string
  readonly limit?: number
}

const ORDER = "expiring"
const decodeId = Schema.decodeUnknownOption(CertificateId)

type After = NonNullable<ExpiringQuery["after"]>

const decodeAfter = (cursor: string): Effect.Effect<After, InvalidCursor> =>
  Cursor.decode(ORDER, cursor).pipe(
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
  const limit = yield* checkLimit(input.limit)
  const after = input.cursor === undefined ? undefined : yield* decodeAfter(input.cursor)
  const now = yield* Clock.currentTimeMillis
  const store = yield* CertificateStore
  const window = {
    notAfterMin: now,
    notAfterMax: now + Duration.toMillis(Duration.decode(input.within)),
    notBeforeMax: now
  }
  const page = (
    items: ReadonlyArray<OwnerCertificate>,
    total: number,
    more: boolean
  ): Page<OwnerCertificate> => {
    const last = items.at(-1)
    return more && last !== undefined
      ? {
          items,
          total,
          nextCursor: Cursor.encode(ORDER, {
            value: last.certificate.notAfter,
            id: last.binding.certificateId
          })
        }
      : { items, total }
  }

  const slice = yield* store.listExpiring({
    ...window,
    ...(isAdministrator(principal) ? {} : { scope: readScope(principal) }),
    limit: limit + 1,
    ...(after === undefined ? {} : { after })
  })
  return page(slice.items.slice(0, limit), slice.total, slice.items.length > limit)
})
