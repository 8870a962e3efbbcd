/**
 * Find certificates by any spelling of a fingerprint (SHA-1, SHA-256, of the certificate or its public
 * key) or serial, across owners, paginated. The store filters by the caller's read scope, so a caller
 * sees only the bindings it may read, a certificate none of whose bindings it may read is not revealed
 * at all, and a caller without grants gets its empty answer without a store query (its response time
 * cannot tell whether the certificate exists).
 *
 * A page holds up to `limit` bindings, grouped by certificate (SHA-256 order); a certificate held by
 * more owners than fit on a page continues on the next one.
 */
import { Effect, Option, Schema } from "effect"
import { isAdministrator, readScope } from "../Authorization.js"
import type { Binding, Certificate } from "../Certificate.js"
import { CertificateParser } from "../CertificateParser.js"
import { CertificateStore, type FindQuery, type LookupKind } from "../CertificateStore.js"
import * as Cursor from "../Cursor.js"
import { InvalidCursor } from "../Errors.js"
import { CertificateId, Sha256Hex } from "../Ids.js"
import { CursorText, decode, optional, Text } from "../Inputs.js"
import { DEFAULT_LIMIT, Limit, type Page } from "../Page.js"
import type { Principal } from "../Principal.js"

export const Input = Schema.Struct({
  /** A fingerprint or serial in any spelling: hex with or without separators, base64(url), decimal. */
  text: Text(512),
  cursor: optional(CursorText),
  limit: optional(Limit)
})
export type Input = typeof Input.Encoded

export interface Found {
  readonly certificate: Certificate
  readonly bindings: ReadonlyArray<Binding>
  /** How the text matched (the first reading that finds this certificate). */
  readonly matchedBy: LookupKind
}

const decodeInput = decode(Input)
const decodeSha256 = Schema.decodeUnknownOption(Sha256Hex)
const decodeId = Schema.decodeUnknownOption(CertificateId)

const keyValue = (certificate: Certificate, kind: LookupKind): string => {
  switch (kind) {
    case "sha1":
      return certificate.sha1
    case "sha256":
      return certificate.sha256
    case "spkiSha256":
      return certificate.spkiSha256
    case "serial":
      return certificate.serial.hex
  }
}

const decodeAfter = (
  listing: string,
  cursor: string
): Effect.Effect<NonNullable<FindQuery["after"]>, InvalidCursor> =>
  Cursor.decode(listing, cursor).pipe(
    Effect.flatMap(({ v, i }) => {
      const sha256 = decodeSha256(v)
      const certificateId = decodeId(i)
      return Option.isSome(sha256) && Option.isSome(certificateId)
        ? Effect.succeed({ sha256: sha256.value, certificateId: certificateId.value })
        : Effect.fail(new InvalidCursor({ message: "the cursor is not one this service issued" }))
    })
  )

export const findCertificates = Effect.fn("findCertificates")(function* (principal: Principal, input: Input) {
  const valid = yield* decodeInput(input)
  const limit = valid.limit ?? DEFAULT_LIMIT
  const parser = yield* CertificateParser
  const keys = yield* parser.normalizeLookup(valid.text)
  const listing = Cursor.listing("find", keys)
  const after = valid.cursor === undefined ? undefined : yield* decodeAfter(listing, valid.cursor)
  const empty: Page<Found> = { items: [], total: 0 }
  const scope = isAdministrator(principal) ? undefined : readScope(principal)
  if (scope !== undefined && scope.owners.length === 0 && scope.identityStoreIds.length === 0) return empty
  const store = yield* CertificateStore
  const slice = yield* store.find({
    keys,
    ...(scope === undefined ? {} : { scope }),
    ...(after === undefined ? {} : { after }),
    limit: limit + 1
  })
  const items = slice.items.slice(0, limit)
  const groups: Array<Found> = []
  for (const item of items) {
    const group = groups.at(-1)
    if (group !== undefined && group.certificate.sha256 === item.certificate.sha256) {
      ;(group.bindings as Array<Binding>).push(item.binding)
    } else {
      const matchedBy =
        keys.find((key) => keyValue(item.certificate, key.kind) === key.value)?.kind ?? "sha256"
      groups.push({ certificate: item.certificate, bindings: [item.binding], matchedBy })
    }
  }
  const last = items.at(-1)
  const page: Page<Found> =
    slice.items.length > limit && last !== undefined
      ? {
          items: groups,
          total: slice.total,
          nextCursor: Cursor.encode(listing, {
            value: last.certificate.sha256,
            id: last.binding.certificateId
          })
        }
      : { items: groups, total: slice.total }
  return page
})
