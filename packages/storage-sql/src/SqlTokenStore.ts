/**
 * The TokenStore port over an @effect/sql client: one implementation for SQLite, PostgreSQL and
 * Cloudflare D1, on the `tokens` table of migration 3. Each write is ONE statement whose outcome is read
 * from its own RETURNING rows (never from a second, racy query), run through the same atomic batch,
 * retries and WriteConflict as SqlCertificateStore. Infrastructure failures and undecodable rows are
 * defects.
 */
import { Errors, type Token, TokenStore } from "@certory/domain"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Rows from "./Rows.js"
import * as SqlStore from "./SqlStore.js"

type Row = Rows.Row

export type Options = SqlStore.Options

const decodeToken = Schema.decodeUnknownSync(Rows.TokenRow)

export const make = (
  options: Options = {}
): Effect.Effect<TokenStore.TokenStore["Type"], never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const { sql, batch, query } = yield* SqlStore.context(options)
    const columns = sql.literal(Rows.tokenColumns.map(([name]) => name).join(", "))
    const select = sql.literal(Rows.tokenSelect)
    const one = (rows: ReadonlyArray<Row>) => Option.map(Option.fromNullable(rows[0]), decodeToken)

    // A conflict on either key (the id or the secret's hash) inserts nothing and returns no row; a
    // concurrent insert of the same key waits for the other and then does nothing.
    const create = (token: Token.ApiToken, secretHash: Token.SecretHash) => {
      const row = Rows.tokenRow(token, secretHash)
      const values = sql.csv(Rows.tokenColumns.map(([name]) => sql`${(row as Row)[name]}`))
      return batch([
        sql<Row>`INSERT INTO tokens (${columns}) VALUES (${values})
          ON CONFLICT DO NOTHING
          RETURNING token_id`
      ]).pipe(
        Effect.flatMap(([inserted]) =>
          inserted?.length === 1
            ? Effect.void
            : Effect.fail(new Errors.TokenAlreadyExists({ tokenId: token.id }))
        )
      )
    }

    const get = (id: Token.TokenId) =>
      query(sql<Row>`SELECT ${select} FROM tokens WHERE token_id = ${id}`).pipe(Effect.map(one))

    const findBySecretHash = (hash: Token.SecretHash) =>
      query(sql<Row>`SELECT ${select} FROM tokens WHERE secret_hash = ${hash}`).pipe(Effect.map(one))

    const list = (q: TokenStore.TokenQuery) =>
      SqlStore.keysetPage(sql, {
        table: "tokens",
        key: "token_id",
        select,
        after: q.afterId,
        limit: q.limit,
        decode: decodeToken
      })

    // One statement: concurrent revokes queue on the row and each sees the instant the first one set
    // (PostgreSQL re-evaluates COALESCE on the committed row under READ COMMITTED).
    const revoke = (id: Token.TokenId, at: number) =>
      batch([
        sql<Row>`UPDATE tokens SET revoked_at = COALESCE(revoked_at, ${at}) WHERE token_id = ${id}
          RETURNING ${select}`
      ]).pipe(
        Effect.flatMap(([rows]) =>
          Option.match(one(rows ?? []), {
            onNone: () => Effect.fail(new Errors.TokenNotFound({ tokenId: id })),
            onSome: Effect.succeed
          })
        )
      )

    const touch = (id: Token.TokenId, at: number) =>
      batch([sql<Row>`UPDATE tokens SET last_used_at = ${at} WHERE token_id = ${id}`]).pipe(Effect.asVoid)

    return TokenStore.TokenStore.of({ create, get, findBySecretHash, list, revoke, touch })
  })

/** The store over whatever SqlClient is provided; the caller runs the migrations first. */
export const layer = (
  options: Options = {}
): Layer.Layer<TokenStore.TokenStore, never, SqlClient.SqlClient> =>
  Layer.effect(TokenStore.TokenStore, make(options))
