/**
 * API tokens: create (the secret is returned once), list, revoke, and authenticate a presented secret
 * as a Principal. Managing tokens is for administrators. Authentication answers every failure (no
 * secret, unknown, revoked, expired) with the same Unauthenticated, and compares the optional bootstrap
 * administrator secret in constant time.
 */
import { Clock, Duration, Effect, Option, Schema } from "effect"
import { isAdministrator } from "../Authorization.js"
import * as Cursor from "../Cursor.js"
import { AccessDenied, InvalidCursor, TokenNotFound, Unauthenticated } from "../Errors.js"
import { CursorText, decode, optional, Window } from "../Inputs.js"
import { DEFAULT_LIMIT, Limit, type Page } from "../Page.js"
import { Administrator, Grant, Principal } from "../Principal.js"
import {
  ApiToken,
  constantTimeEquals,
  hashSecret,
  isActive,
  newSecret,
  TokenId,
  TokenName
} from "../Token.js"
import { TokenStore } from "../TokenStore.js"

export const CreateInput = Schema.Struct({
  name: TokenName,
  grant: Grant,
  /** How long the token lives; absent: until revoked. */
  expiresIn: optional(Window)
})
export type CreateInput = typeof CreateInput.Encoded

export const ListInput = Schema.Struct({
  cursor: optional(CursorText),
  limit: optional(Limit)
})
export type ListInput = typeof ListInput.Encoded

/** A new token and its secret: the only time the secret is available. */
export interface Created {
  readonly token: ApiToken
  readonly secret: string
}

const decodeCreate = decode(CreateInput)
const decodeList = decode(ListInput)
const decodeTokenId = Schema.decodeUnknownOption(TokenId)

const administrator = (principal: Principal, action: string) =>
  isAdministrator(principal)
    ? Effect.void
    : Effect.fail(new AccessDenied({ message: `${principal.id} may not ${action} API tokens` }))

export const createToken = Effect.fn("createToken")(function* (principal: Principal, input: CreateInput) {
  yield* administrator(principal, "create")
  const valid = yield* decodeCreate(input)
  const store = yield* TokenStore
  const now = yield* Clock.currentTimeMillis
  const secret = yield* newSecret
  const token = ApiToken.make({
    id: TokenId.make(globalThis.crypto.randomUUID()),
    name: valid.name,
    grant: valid.grant,
    createdAt: now,
    createdBy: principal.id,
    ...(valid.expiresIn === undefined ? {} : { expiresAt: now + Duration.toMillis(valid.expiresIn) })
  })
  yield* store.create(token, yield* hashSecret(secret))
  const created: Created = { token, secret }
  return created
})

export const listTokens = Effect.fn("listTokens")(function* (principal: Principal, input: ListInput = {}) {
  yield* administrator(principal, "list")
  const valid = yield* decodeList(input)
  const limit = valid.limit ?? DEFAULT_LIMIT
  const listing = Cursor.listing("tokens", [])
  let afterId: TokenId | undefined
  if (valid.cursor !== undefined) {
    const id = decodeTokenId((yield* Cursor.decode(listing, valid.cursor)).v)
    if (Option.isNone(id))
      return yield* new InvalidCursor({ message: "the cursor is not one this service issued" })
    afterId = id.value
  }
  const store = yield* TokenStore
  const slice = yield* store.list({ limit: limit + 1, ...(afterId === undefined ? {} : { afterId }) })
  const items = slice.items.slice(0, limit)
  const last = items.at(-1)
  const page: Page<ApiToken> =
    slice.items.length > limit && last !== undefined
      ? { items, total: slice.total, nextCursor: Cursor.encode(listing, { value: last.id }) }
      : { items, total: slice.total }
  return page
})

export const revokeToken = Effect.fn("revokeToken")(function* (principal: Principal, id: string) {
  yield* administrator(principal, "revoke")
  const tokenId = decodeTokenId(id)
  if (Option.isNone(tokenId)) return yield* new TokenNotFound({ tokenId: id.slice(0, 64) })
  const store = yield* TokenStore
  return yield* store.revoke(tokenId.value, yield* Clock.currentTimeMillis)
})

/** Longer than any secret this service issues: refused before hashing. */
const MAX_SECRET_LENGTH = 256
/** A token's `lastUsedAt` is written at most this often (a write per request would be a write per read). */
const TOUCH_INTERVAL_MILLIS = 60_000

export interface AuthenticateOptions {
  /** The bootstrap administrator secret (CERTORY_ADMIN_TOKEN), when the deployment set one. */
  readonly bootstrapSecret?: string
}

const TRUSTED = { disableValidation: true } as const
/** The bootstrap administrator: an immutable value, the same for every request. */
const BOOTSTRAP_ADMIN = new Principal({ id: "bootstrap-admin", grants: [new Administrator({})] })

const unauthenticated = () =>
  new Unauthenticated({ message: "a valid API token is required (missing, unknown, revoked or expired)" })

/** The principal a presented secret stands for. */
export const authenticate = Effect.fn("authenticate")(function* (
  secret: string | undefined,
  options: AuthenticateOptions = {}
) {
  if (secret === undefined || secret === "" || secret.length > MAX_SECRET_LENGTH)
    return yield* unauthenticated()
  if (options.bootstrapSecret !== undefined && options.bootstrapSecret !== "") {
    if (constantTimeEquals(secret, options.bootstrapSecret)) {
      return BOOTSTRAP_ADMIN
    }
  }
  const store = yield* TokenStore
  const found = yield* store.findBySecretHash(yield* hashSecret(secret))
  const now = yield* Clock.currentTimeMillis
  if (Option.isNone(found) || !isActive(found.value, now)) return yield* unauthenticated()
  const token = found.value
  if (token.lastUsedAt === undefined || now - token.lastUsedAt >= TOUCH_INTERVAL_MILLIS) {
    // Bookkeeping: a lost race or a busy store must not fail the request it belongs to.
    yield* store.touch(token.id, now).pipe(Effect.ignore)
  }
  // The token came from the store through its schema (name <= 128 characters, grant decoded): built
  // without a second validation, which compiled a parser per request (8% of a list request).
  return new Principal({ id: `token:${token.name}#${token.id.slice(0, 8)}`, grants: [token.grant] }, TRUSTED)
})
