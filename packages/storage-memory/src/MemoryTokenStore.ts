/**
 * The in-memory TokenStore: the reference semantics the TokenStore contract suite holds the other
 * adapters to, and the store of the token use-case tests. As in MemoryCertificateStore, each write is a
 * pure function of the current state swapped in with one `Ref.modify`, which makes it atomic.
 */
import { CertificateStore, Errors, TokenStore as Store, Token } from "@certory/domain"
import { Effect, Either, Layer, Option, Ref } from "effect"

interface State {
  readonly tokens: ReadonlyMap<Token.TokenId, Token.ApiToken>
  /** Secret hash -> token id (the unique index). */
  readonly byHash: ReadonlyMap<Token.SecretHash, Token.TokenId>
}

const empty: State = { tokens: new Map(), byHash: new Map() }

/** Build the layer once and share it: each build is a new, empty store. */
export const make = Effect.gen(function* () {
  const state = yield* Ref.make(empty)

  return Store.TokenStore.of({
    create: (token, secretHash) =>
      Effect.flatten(
        Ref.modify(state, (s): readonly [Either.Either<void, Errors.TokenAlreadyExists>, State] =>
          s.tokens.has(token.id) || s.byHash.has(secretHash)
            ? [Either.left(new Errors.TokenAlreadyExists({ tokenId: token.id })), s]
            : [
                Either.void,
                {
                  tokens: new Map(s.tokens).set(token.id, token),
                  byHash: new Map(s.byHash).set(secretHash, token.id)
                }
              ]
        )
      ),

    get: (id) => Ref.get(state).pipe(Effect.map((s) => Option.fromNullable(s.tokens.get(id)))),

    findBySecretHash: (hash) =>
      Ref.get(state).pipe(
        Effect.map((s) =>
          Option.flatMapNullable(Option.fromNullable(s.byHash.get(hash)), (id) => s.tokens.get(id))
        )
      ),

    list: (query) =>
      Ref.get(state).pipe(
        Effect.map((s) => {
          const all = [...s.tokens.values()].sort((a, b) => CertificateStore.compareText(a.id, b.id))
          const { afterId } = query
          const page =
            afterId === undefined ? all : all.filter((t) => CertificateStore.compareText(t.id, afterId) > 0)
          return { items: page.slice(0, query.limit), total: all.length }
        })
      ),

    revoke: (id, at) =>
      Effect.flatten(
        Ref.modify(state, (s): readonly [Either.Either<Token.ApiToken, Errors.TokenNotFound>, State] => {
          const token = s.tokens.get(id)
          if (token === undefined) return [Either.left(new Errors.TokenNotFound({ tokenId: id })), s]
          // Revoking again keeps the first instant.
          if (token.revokedAt !== undefined) return [Either.right(token), s]
          const revoked = Token.ApiToken.make({ ...token, revokedAt: at })
          return [Either.right(revoked), { ...s, tokens: new Map(s.tokens).set(id, revoked) }]
        })
      ),

    touch: (id, at) =>
      Ref.update(state, (s) => {
        const token = s.tokens.get(id)
        if (token === undefined) return s
        return { ...s, tokens: new Map(s.tokens).set(id, Token.ApiToken.make({ ...token, lastUsedAt: at })) }
      })
  })
})

/** A fresh, empty store per build. */
export const layer: Layer.Layer<Store.TokenStore> = Layer.effect(Store.TokenStore, make)
