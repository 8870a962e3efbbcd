/**
 * The one behaviour every TokenStore adapter must show, run unchanged against memory, SQLite, PostgreSQL
 * and D1 (inside workerd: nothing here touches node: or a file system at run time).
 *
 * As in CertificateStoreContract, the store is built once per `suite` call and shared by its tests: each
 * test works on tokens of its own (random ids and secrets) and never assumes the store is empty.
 *
 * Usage, in an adapter's test file (Node or workerd alike):
 *   TokenStoreContract.suite("sqlite", SqliteCertificateStore.layerStores({ filename }))
 */
import {
  CertificateStore as CertStore,
  Errors,
  Ids,
  Principal as P,
  TokenStore as Store,
  Token
} from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, type Layer, Option, Schema } from "effect"
import { newIdentityStoreId, newIdp, newProfile, newSmartCard, uuid } from "./contract/Support.js"

export interface SuiteOptions {
  /** Per-test timeout in milliseconds (remote databases are slower). Default 30 000. */
  readonly timeout?: number
}

const encodeToken = Schema.encodeSync(Token.ApiToken)
const encoded = (token: Option.Option<Token.ApiToken>) => Option.map(token, encodeToken)

/** A store-wide unique token id, as the use-cases make them. */
export const newTokenId = (): Token.TokenId => Token.TokenId.make(uuid())
/** The hash of a fresh random secret. */
export const newSecretHash: Effect.Effect<Token.SecretHash> = Effect.flatMap(
  Token.newSecret,
  Token.hashSecret
)

/** A token with the given grant and fields; created 2024-01-01 by "contract" unless told otherwise. */
export const tokenOf = (
  grant: P.Grant,
  fields: Partial<ConstructorParameters<typeof Token.ApiToken>[0]> = {}
): Token.ApiToken =>
  Token.ApiToken.make({
    id: newTokenId(),
    name: "contract token",
    grant,
    createdAt: 1_704_067_200_000,
    createdBy: "contract",
    ...fields
  })

const admin = P.Administrator.make({})

/** 1,000 owners of every kind: the largest grants a token carries. */
const manyOwners = (): Array<Ids.OwnerRef> =>
  Array.from({ length: 1000 }, (_, i) => {
    switch (i % 4) {
      case 0:
        return newSmartCard()
      case 1:
        return newProfile()
      case 2:
        return Ids.IdentityStoreRef.make({ id: newIdentityStoreId() })
      default:
        return newIdp()
    }
  })

export const suite = (
  name: string,
  storeLayer: Layer.Layer<Store.TokenStore, unknown>,
  options: SuiteOptions = {}
): void => {
  const timeout = options.timeout ?? 30_000

  layer(storeLayer, { timeout: `${timeout} millis` })(`TokenStore contract: ${name}`, (it) => {
    /** Creates a token with a fresh secret and returns it with its hash. */
    const created = (token: Token.ApiToken) =>
      Effect.gen(function* () {
        const store = yield* Store.TokenStore
        const hash = yield* newSecretHash
        yield* store.create(token, hash)
        return { token, hash }
      })

    describe("create and read", () => {
      it.effect(
        "every grant kind and every field round trips through get and findBySecretHash",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const tokens = [
              // Optional fields absent.
              tokenOf(admin),
              tokenOf(P.DelegatedAdministrator.make({ identityStoreId: newIdentityStoreId() }), {
                name: "delegate – Ünïcødé 🔑",
                expiresAt: 1_735_689_600_000
              }),
              // Every optional field present, instants beyond 32 bits and before 1970.
              tokenOf(P.OwnerOperator.make({ owners: [newSmartCard(), newIdp()] }), {
                name: "x".repeat(128),
                createdAt: -62_167_219_200_000,
                createdBy: "admin@contoso 'quoted' \"double\"",
                expiresAt: 253_402_300_799_999,
                lastUsedAt: 1_704_067_260_001,
                revokedAt: 0
              }),
              tokenOf(P.OwnerReader.make({ owners: manyOwners() }), { lastUsedAt: 1_704_067_200_001 }),
              tokenOf(P.OwnerReader.make({ owners: [] }), { revokedAt: 1_704_067_200_002 })
            ]
            for (const token of tokens) {
              const { hash } = yield* created(token)
              const byId = yield* store.get(token.id)
              const byHash = yield* store.findBySecretHash(hash)
              expect(encoded(byId)).toEqual(Option.some(encodeToken(token)))
              expect(encoded(byHash)).toEqual(Option.some(encodeToken(token)))
              expect(Option.getOrThrow(byId)).toBeInstanceOf(Token.ApiToken)
              // Absent optional fields are absent, not undefined.
              expect(Object.keys(Option.getOrThrow(byId)).sort()).toEqual(Object.keys(token).sort())
            }
          }),
        timeout
      )

      it.effect(
        "an unknown id or hash is none",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            expect(Option.isNone(yield* store.get(newTokenId()))).toBe(true)
            expect(Option.isNone(yield* store.findBySecretHash(yield* newSecretHash))).toBe(true)
          }),
        timeout
      )

      it.effect(
        "a duplicate id or a duplicate secret hash is TokenAlreadyExists and changes nothing",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const { token: first, hash } = yield* created(tokenOf(admin, { name: "first" }))

            const sameId = tokenOf(P.OwnerReader.make({ owners: [newProfile()] }), { id: first.id })
            const otherHash = yield* newSecretHash
            expect(yield* store.create(sameId, otherHash).pipe(Effect.flip)).toEqual(
              new Errors.TokenAlreadyExists({ tokenId: first.id })
            )
            expect(Option.isNone(yield* store.findBySecretHash(otherHash))).toBe(true)

            const sameHash = tokenOf(P.OwnerReader.make({ owners: [newProfile()] }))
            expect(yield* store.create(sameHash, hash).pipe(Effect.flip)).toEqual(
              new Errors.TokenAlreadyExists({ tokenId: sameHash.id })
            )
            expect(Option.isNone(yield* store.get(sameHash.id))).toBe(true)

            expect(encoded(yield* store.get(first.id))).toEqual(Option.some(encodeToken(first)))
            expect(encoded(yield* store.findBySecretHash(hash))).toEqual(Option.some(encodeToken(first)))
          }),
        timeout
      )

      it.effect(
        "8 concurrent creates of one id: one succeeds, the others are TokenAlreadyExists",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const id = newTokenId()
            const outcomes = yield* Effect.forEach(
              Array.from({ length: 8 }, (_, i) => tokenOf(admin, { id, name: `racer ${i}` })),
              (token) =>
                Effect.flatMap(newSecretHash, (hash) => store.create(token, hash)).pipe(
                  Effect.as("created"),
                  Effect.catchTag("TokenAlreadyExists", () => Effect.succeed("exists"))
                ),
              { concurrency: "unbounded" }
            )
            expect(outcomes.filter((o) => o === "created")).toHaveLength(1)
            expect(outcomes.filter((o) => o === "exists")).toHaveLength(7)
            expect(Option.isSome(yield* store.get(id))).toBe(true)
          }),
        timeout
      )
    })

    describe("list", () => {
      it.effect(
        "pages by id in bytewise order; total counts every token",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const mine = yield* Effect.forEach(
              Array.from({ length: 7 }, (_, i) => tokenOf(admin, { name: `listed ${i}` })),
              (token) => created(token).pipe(Effect.map(() => token.id))
            )
            const seen: Array<Token.ApiToken> = []
            let afterId: Token.TokenId | undefined
            for (;;) {
              const page: CertStore.Slice<Token.ApiToken> = yield* store.list({
                limit: 3,
                ...(afterId === undefined ? {} : { afterId })
              })
              expect(page.items.length).toBeLessThanOrEqual(3)
              expect(page.total).toBeGreaterThanOrEqual(mine.length)
              seen.push(...page.items)
              const last = page.items.at(-1)
              if (page.items.length < 3 || last === undefined) break
              afterId = last.id
            }
            const ids = seen.map((t) => t.id)
            expect([...ids].sort(CertStore.compareText)).toEqual(ids)
            expect(new Set(ids).size).toBe(ids.length)
            for (const id of mine) expect(ids).toContain(id)
            const full = yield* store.list({ limit: 100_000 })
            expect(full.items.map((t) => t.id)).toEqual(ids)
            expect(full.total).toBe(ids.length)
          }),
        timeout
      )

      it.effect(
        "afterId need not be a stored id; revoked and expired tokens are listed",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            // Ids ending in 5, and the (unstored) id ending in 4 just below each.
            const prefix = () => newTokenId().slice(0, -1)
            const revoked = tokenOf(admin, { id: Token.TokenId.make(`${prefix()}5`), revokedAt: 1 })
            const expired = tokenOf(admin, { id: Token.TokenId.make(`${prefix()}5`), expiresAt: 1 })
            for (const token of [revoked, expired]) {
              yield* created(token)
              const before = Token.TokenId.make(`${token.id.slice(0, -1)}4`)
              const page = yield* store.list({ afterId: before, limit: 1 })
              expect(page.items.map((t) => t.id)).toEqual([token.id])
            }
          }),
        timeout
      )
    })

    describe("revoke", () => {
      it.effect(
        "sets revokedAt once and returns the token; revoking again keeps the first instant",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const { token } = yield* created(
              tokenOf(P.OwnerOperator.make({ owners: [newSmartCard()] }), {
                expiresAt: 1_800_000_000_000,
                lastUsedAt: 1_704_067_200_500
              })
            )
            const first = yield* store.revoke(token.id, 1_750_000_000_000)
            expect(encodeToken(first)).toEqual(
              encodeToken(Token.ApiToken.make({ ...token, revokedAt: 1_750_000_000_000 }))
            )
            const second = yield* store.revoke(token.id, 1_760_000_000_000)
            expect(encodeToken(second)).toEqual(encodeToken(first))
            expect(encoded(yield* store.get(token.id))).toEqual(Option.some(encodeToken(first)))
          }),
        timeout
      )

      it.effect(
        "an unknown id is TokenNotFound",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const id = newTokenId()
            expect(yield* store.revoke(id, 1).pipe(Effect.flip)).toEqual(
              new Errors.TokenNotFound({ tokenId: id })
            )
            expect(Option.isNone(yield* store.get(id))).toBe(true)
          }),
        timeout
      )

      it.effect(
        "8 concurrent revokes of one token all succeed with the same revokedAt",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const { token } = yield* created(tokenOf(admin))
            const instants = Array.from({ length: 8 }, (_, i) => 1_750_000_000_000 + i)
            const results = yield* Effect.forEach(instants, (at) => store.revoke(token.id, at), {
              concurrency: "unbounded"
            })
            const revokedAt = results[0]?.revokedAt
            expect(instants).toContain(revokedAt)
            for (const result of results) expect(result.revokedAt).toBe(revokedAt)
            expect(Option.getOrThrow(yield* store.get(token.id)).revokedAt).toBe(revokedAt)
          }),
        timeout
      )
    })

    describe("touch", () => {
      it.effect(
        "sets lastUsedAt and nothing else",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const { token, hash } = yield* created(tokenOf(admin, { expiresAt: 1_800_000_000_000 }))
            yield* store.touch(token.id, 1_704_067_300_000)
            expect(encoded(yield* store.get(token.id))).toEqual(
              Option.some(encodeToken(Token.ApiToken.make({ ...token, lastUsedAt: 1_704_067_300_000 })))
            )
            yield* store.touch(token.id, 1_704_067_400_000)
            expect(encoded(yield* store.findBySecretHash(hash))).toEqual(
              Option.some(encodeToken(Token.ApiToken.make({ ...token, lastUsedAt: 1_704_067_400_000 })))
            )
          }),
        timeout
      )

      it.effect(
        "an unknown id is ignored (no error, no token)",
        () =>
          Effect.gen(function* () {
            const store = yield* Store.TokenStore
            const id = newTokenId()
            yield* store.touch(id, 1_704_067_300_000)
            expect(Option.isNone(yield* store.get(id))).toBe(true)
          }),
        timeout
      )
    })
  })
}
