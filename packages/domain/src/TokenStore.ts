/**
 * The token port: API tokens by id and by the hash of their secret. Adapters (memory, SQLite,
 * PostgreSQL, D1) implement it and pass the TokenStore contract suite in @certory/testing.
 */
import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { Slice } from "./CertificateStore.js"
import type { TokenAlreadyExists, TokenNotFound, WriteConflict } from "./Errors.js"
import type { ApiToken, SecretHash, TokenId } from "./Token.js"

export interface TokenQuery {
  /** Tokens whose id sorts after this one (keyset pagination by id). */
  readonly afterId?: TokenId
  readonly limit: number
}

export class TokenStore extends Context.Tag("@certory/domain/TokenStore")<
  TokenStore,
  {
    /** Stores a new token with the hash of its secret; an id or hash already stored fails. */
    readonly create: (
      token: ApiToken,
      secretHash: SecretHash
    ) => Effect.Effect<void, TokenAlreadyExists | WriteConflict>
    readonly get: (id: TokenId) => Effect.Effect<Option.Option<ApiToken>>
    readonly findBySecretHash: (hash: SecretHash) => Effect.Effect<Option.Option<ApiToken>>
    /** Tokens by id, revoked and expired ones included. */
    readonly list: (query: TokenQuery) => Effect.Effect<Slice<ApiToken>>
    /** Sets `revokedAt` (once: revoking again keeps the first instant); returns the token. */
    readonly revoke: (id: TokenId, at: number) => Effect.Effect<ApiToken, TokenNotFound | WriteConflict>
    /** Records a use; a token that is gone is ignored. */
    readonly touch: (id: TokenId, at: number) => Effect.Effect<void, WriteConflict>
  }
>() {}
