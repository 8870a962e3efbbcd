/**
 * API token use-cases: create (the secret once), list, revoke, and authenticate a presented secret, on
 * the memory stores with the TestClock. Sections: happy, errors, security.
 */
import { Errors, Principal as P, Token, TokenStore, Tokens } from "@certory/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema, TestClock } from "effect"
import { admin, card, delegate, fresh, guid, nobody, operator, reader } from "../support.js"

const T0 = 1_750_000_000_000
const encodeGrant = Schema.encodeSync(P.Grant)

/** Creates a token as the administrator at the current TestClock time. */
const create = (input: Partial<Tokens.CreateInput> = {}) =>
  Tokens.createToken(admin, { name: "ci", grant: { _tag: "Administrator" }, ...input })

const storedToken = (id: Token.TokenId) =>
  Effect.flatMap(TokenStore.TokenStore, (store) => store.get(id)).pipe(Effect.map(Option.getOrThrow))

const refusal = (secret: string | undefined, options?: Tokens.AuthenticateOptions) =>
  Tokens.authenticate(secret, options).pipe(Effect.flip)

const expectedUnauthenticated = new Errors.Unauthenticated({
  message: "a valid API token is required (missing, unknown, revoked or expired)"
})

describe("token use-cases", () => {
  describe("happy", () => {
    it.effect(
      "create returns a cty_ secret (47 chars) that authenticates with exactly the token's grant",
      () =>
        fresh(
          Effect.gen(function* () {
            yield* TestClock.setTime(T0)
            const grant = { _tag: "OwnerReader", owners: [{ _tag: "SmartCard", id: guid(1) }] } as const
            const { token, secret } = yield* create({ name: "reader bot", grant })
            expect(secret).toMatch(/^cty_[A-Za-z0-9_-]{43}$/)
            expect(secret).toHaveLength(47)
            expect(token.createdAt).toBe(T0)
            expect(token.createdBy).toBe("admin")
            expect(token.expiresAt).toBeUndefined()
            expect(encodeGrant(token.grant)).toEqual(grant)

            const principal = yield* Tokens.authenticate(secret)
            expect(principal.grants.map((grant) => encodeGrant(grant))).toEqual([grant])
            expect(principal.id).toBe(`token:reader bot#${token.id.slice(0, 8)}`)
            // The store keeps the token, and the secret's hash only.
            expect(Schema.encodeSync(Token.ApiToken)(yield* storedToken(token.id))).toEqual({
              ...Schema.encodeSync(Token.ApiToken)(token),
              lastUsedAt: T0
            })
          })
        )
    )

    it.effect("every grant kind round trips into the authenticated principal", () =>
      fresh(
        Effect.gen(function* () {
          const grants: ReadonlyArray<Tokens.CreateInput["grant"]> = [
            { _tag: "Administrator" },
            { _tag: "DelegatedAdministrator", identityStoreId: "d-1234567890" },
            { _tag: "OwnerOperator", owners: [{ _tag: "Profile", id: guid(2) }] },
            {
              _tag: "OwnerReader",
              owners: Array.from({ length: 1000 }, (_, i) => ({ _tag: "SmartCard" as const, id: guid(i) }))
            }
          ]
          for (const grant of grants) {
            const { secret } = yield* create({ grant })
            const principal = yield* Tokens.authenticate(secret)
            expect(principal.grants.map((grant) => encodeGrant(grant))).toEqual([grant])
          }
        })
      )
    )

    it.effect("expiresIn follows the clock: valid 1 ms before expiry, refused at it", () =>
      fresh(
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          const { token, secret } = yield* create({ expiresIn: "1 hour" })
          expect(token.expiresAt).toBe(T0 + 3_600_000)
          yield* TestClock.setTime(T0 + 3_600_000 - 1)
          expect((yield* Tokens.authenticate(secret)).grants).toHaveLength(1)
          yield* TestClock.setTime(T0 + 3_600_000)
          expect(yield* refusal(secret)).toEqual(expectedUnauthenticated)
        })
      )
    )

    it.effect("lastUsedAt is written on first use and not again within 60 s", () =>
      fresh(
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          const { token, secret } = yield* create()
          expect((yield* storedToken(token.id)).lastUsedAt).toBeUndefined()
          yield* Tokens.authenticate(secret)
          expect((yield* storedToken(token.id)).lastUsedAt).toBe(T0)
          yield* TestClock.setTime(T0 + 59_999)
          yield* Tokens.authenticate(secret)
          expect((yield* storedToken(token.id)).lastUsedAt).toBe(T0)
          yield* TestClock.setTime(T0 + 60_000)
          yield* Tokens.authenticate(secret)
          expect((yield* storedToken(token.id)).lastUsedAt).toBe(T0 + 60_000)
          yield* TestClock.setTime(T0 + 60_001)
          yield* Tokens.authenticate(secret)
          expect((yield* storedToken(token.id)).lastUsedAt).toBe(T0 + 60_000)
        })
      )
    )

    it.effect("list pages by id with a cursor; total counts every token, revoked ones included", () =>
      fresh(
        Effect.gen(function* () {
          const created = yield* Effect.forEach(Array.from({ length: 5 }), (_, i) =>
            create({ name: `token ${i}` })
          )
          yield* Tokens.revokeToken(admin, created[0]!.token.id)
          const seen: Array<string> = []
          let cursor: string | undefined
          let pages = 0
          do {
            const page = yield* Tokens.listTokens(admin, {
              limit: 2,
              ...(cursor === undefined ? {} : { cursor })
            })
            expect(page.total).toBe(5)
            expect(page.items.length).toBeLessThanOrEqual(2)
            seen.push(...page.items.map((t) => t.id))
            cursor = page.nextCursor
            pages++
          } while (cursor !== undefined)
          expect(pages).toBe(3)
          expect(seen).toEqual(created.map(({ token }) => token.id).sort())
          const all = yield* Tokens.listTokens(admin)
          expect(all.items.map((t) => t.id)).toEqual(seen)
          expect(all.nextCursor).toBeUndefined()
        })
      )
    )

    it.effect("revoke stamps the clock once, and the secret stops authenticating", () =>
      fresh(
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          const { token, secret } = yield* create()
          yield* TestClock.setTime(T0 + 1000)
          const revoked = yield* Tokens.revokeToken(admin, token.id)
          expect(revoked.revokedAt).toBe(T0 + 1000)
          yield* TestClock.setTime(T0 + 2000)
          expect((yield* Tokens.revokeToken(admin, token.id)).revokedAt).toBe(T0 + 1000)
          expect(yield* refusal(secret)).toEqual(expectedUnauthenticated)
        })
      )
    )
  })

  describe("errors", () => {
    it.effect("invalid inputs are InvalidRequest and create nothing", () =>
      fresh(
        Effect.gen(function* () {
          const invalid: ReadonlyArray<Partial<Tokens.CreateInput>> = [
            { name: "" },
            { name: "a\u0000b" },
            { name: "x".repeat(129) },
            { grant: { _tag: "OwnerReader", owners: [{ _tag: "SmartCard", id: "not-a-guid" }] } },
            { grant: { _tag: "OwnerOperator", owners: [{ _tag: "IdentityStore", id: "" }] } },
            { expiresIn: "soon" }
          ]
          for (const input of invalid) {
            const error = yield* create(input).pipe(Effect.flip)
            expect(error._tag).toBe("InvalidRequest")
          }
          expect((yield* Tokens.listTokens(admin)).total).toBe(0)
        })
      )
    )

    it.effect("revoking an unknown or malformed id is TokenNotFound", () =>
      fresh(
        Effect.gen(function* () {
          const unknown = globalThis.crypto.randomUUID()
          expect(yield* Tokens.revokeToken(admin, unknown).pipe(Effect.flip)).toEqual(
            new Errors.TokenNotFound({ tokenId: unknown })
          )
          expect(yield* Tokens.revokeToken(admin, "not-a-token-id").pipe(Effect.flip)).toEqual(
            new Errors.TokenNotFound({ tokenId: "not-a-token-id" })
          )
          // A malformed id is quoted at most 64 characters long.
          const long = yield* Tokens.revokeToken(admin, "z".repeat(10_000)).pipe(Effect.flip)
          expect(long).toEqual(new Errors.TokenNotFound({ tokenId: "z".repeat(64) }))
        })
      )
    )

    it.effect("a cursor this listing did not issue is InvalidCursor", () =>
      fresh(
        Effect.gen(function* () {
          const error = yield* Tokens.listTokens(admin, { cursor: "bm90IGEgY3Vyc29y" }).pipe(Effect.flip)
          expect(error._tag).toBe("InvalidCursor")
        })
      )
    )
  })

  describe("security", () => {
    it.effect("only administrators may create, list or revoke tokens, whatever the input", () =>
      fresh(
        Effect.gen(function* () {
          const { token } = yield* create()
          for (const principal of [delegate("d-store1"), operator(card(1)), reader(card(1)), nobody]) {
            const denied = [
              yield* Tokens.createToken(principal, { name: "mine", grant: { _tag: "Administrator" } }).pipe(
                Effect.flip
              ),
              // Refused before the input is looked at.
              yield* Tokens.createToken(principal, { name: "", grant: { _tag: "Administrator" } }).pipe(
                Effect.flip
              ),
              yield* Tokens.listTokens(principal).pipe(Effect.flip),
              yield* Tokens.revokeToken(principal, token.id).pipe(Effect.flip),
              yield* Tokens.revokeToken(principal, "not-a-token-id").pipe(Effect.flip)
            ]
            for (const error of denied) expect(error._tag).toBe("AccessDenied")
          }
          const tokens = yield* Tokens.listTokens(admin)
          expect(tokens.total).toBe(1)
          expect(tokens.items[0]?.revokedAt).toBeUndefined()
        })
      )
    )

    it.effect(
      "missing, empty, over-long, unknown, revoked and expired secrets get the same Unauthenticated",
      () =>
        fresh(
          Effect.gen(function* () {
            yield* TestClock.setTime(T0)
            const revoked = yield* create()
            yield* Tokens.revokeToken(admin, revoked.token.id)
            const expired = yield* create({ expiresIn: "1 minute" })
            yield* TestClock.setTime(T0 + 60_000)
            const unknown = yield* Token.newSecret
            const refusals = [
              yield* refusal(undefined),
              yield* refusal(""),
              yield* refusal(`cty_${"a".repeat(253)}`),
              yield* refusal(unknown),
              yield* refusal(revoked.secret),
              yield* refusal(expired.secret),
              // A secret of another token's length and prefix, one character off.
              yield* refusal(`${revoked.secret.slice(0, -1)}${revoked.secret.endsWith("A") ? "B" : "A"}`)
            ]
            for (const error of refusals) {
              expect(error).toEqual(expectedUnauthenticated)
              expect(error.message).toBe(expectedUnauthenticated.message)
            }
          })
        )
    )

    it.effect(
      "the bootstrap secret is an Administrator only when configured; a wrong one of its length is not",
      () =>
        fresh(
          Effect.gen(function* () {
            const bootstrapSecret = yield* Token.newSecret
            const principal = yield* Tokens.authenticate(bootstrapSecret, { bootstrapSecret })
            expect(principal.id).toBe("bootstrap-admin")
            expect(principal.grants.map((grant) => encodeGrant(grant))).toEqual([{ _tag: "Administrator" }])

            expect(yield* refusal(bootstrapSecret)).toEqual(expectedUnauthenticated)
            expect(yield* refusal(bootstrapSecret, {})).toEqual(expectedUnauthenticated)
            // An empty configured secret is no secret.
            expect(yield* refusal(bootstrapSecret, { bootstrapSecret: "" })).toEqual(expectedUnauthenticated)
            const wrong = `${bootstrapSecret.slice(0, -1)}${bootstrapSecret.endsWith("A") ? "B" : "A"}`
            expect(wrong).toHaveLength(bootstrapSecret.length)
            expect(yield* refusal(wrong, { bootstrapSecret })).toEqual(expectedUnauthenticated)
            // The bootstrap secret does not shadow stored tokens.
            const { secret } = yield* create({ grant: { _tag: "OwnerReader", owners: [] } })
            const stored = yield* Tokens.authenticate(secret, { bootstrapSecret })
            expect(stored.grants.map((grant) => encodeGrant(grant))).toEqual([
              { _tag: "OwnerReader", owners: [] }
            ])
          })
        )
    )

    it.effect(
      "the store finds the token by the SHA-256 of its secret; the token itself holds no part of it",
      () =>
        fresh(
          Effect.gen(function* () {
            const { token, secret } = yield* create()
            const store = yield* TokenStore.TokenStore
            const byHash = yield* store.findBySecretHash(yield* Token.hashSecret(secret))
            expect(Option.map(byHash, (t) => t.id)).toEqual(Option.some(token.id))
            expect(JSON.stringify(Schema.encodeSync(Token.ApiToken)(token))).not.toContain(secret.slice(4))
          })
        )
    )
  })
})
