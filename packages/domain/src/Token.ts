/**
 * API tokens: who a request acts as. A token is a name, ONE grant and a life span; its secret is shown
 * once, at creation, and only its SHA-256 is stored, so a database leak discloses no credential. The
 * secret has 256 random bits behind a recognisable prefix (`cty_`), so secret scanners can find leaked
 * ones.
 */
import { Effect, Encoding, Schema } from "effect"
import { EpochMillis } from "./Certificate.js"
import { Text } from "./Inputs.js"
import { Grant } from "./Principal.js"

/** A token's public id (a UUID): what lists show and revocation names. */
export const TokenId = Schema.String.pipe(
  Schema.pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  Schema.brand("TokenId")
).annotations({ identifier: "TokenId" })
export type TokenId = typeof TokenId.Type

/** SHA-256 of a secret, 64 lowercase hex digits. */
export const SecretHash = Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/), Schema.brand("SecretHash"))
export type SecretHash = typeof SecretHash.Type

export const TokenName = Text(128).pipe(Schema.minLength(1)).annotations({ identifier: "TokenName" })

export class ApiToken extends Schema.Class<ApiToken>("ApiToken")({
  id: TokenId,
  name: TokenName,
  grant: Grant,
  createdAt: EpochMillis,
  createdBy: Schema.String,
  expiresAt: Schema.optional(EpochMillis),
  lastUsedAt: Schema.optional(EpochMillis),
  revokedAt: Schema.optional(EpochMillis)
}) {}

/** Whether the token may authenticate at `now`: not revoked, not expired. */
export const isActive = (token: ApiToken, now: number): boolean =>
  token.revokedAt === undefined && (token.expiresAt === undefined || now < token.expiresAt)

export const SECRET_PREFIX = "cty_"

/** A new secret: the prefix and 32 bytes from the platform's CSPRNG as base64url (43 characters). */
export const newSecret: Effect.Effect<string> = Effect.sync(
  () => `${SECRET_PREFIX}${Encoding.encodeBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(32)))}`
)

/** What the store keeps of a secret. */
export const hashSecret = (secret: string): Effect.Effect<SecretHash> =>
  Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))).pipe(
    Effect.map((digest) => SecretHash.make(Encoding.encodeHex(new Uint8Array(digest))))
  )

/**
 * Whether a presented secret equals the expected one, in time that does not depend on where they
 * differ: every character of the expected secret is visited whatever the presented one holds. Plain
 * string work: WebCrypto digests are asynchronous (a thread-pool round trip each in Node) and cost
 * ~0.5 ms apiece on every request that used the bootstrap token.
 */
export const constantTimeEquals = (presented: string, expected: string): boolean => {
  let diff = presented.length ^ expected.length
  for (let i = 0; i < expected.length; i++) {
    diff |= (presented.charCodeAt(i) | 0) ^ expected.charCodeAt(i)
  }
  return diff === 0
}
