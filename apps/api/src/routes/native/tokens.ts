/**
 * API tokens (administrators): created with their secret shown once, listed without secrets or hashes,
 * revoked idempotently. Token responses are never stored by a cache (the entry point's middleware).
 */
import { Principal as P, Token, Tokens } from "@certory/domain"
import { Clock, Effect, Schema } from "effect"
import * as Wire from "../../NativeWire.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import { problems } from "./Problems.js"
import { PREFIX, type Routes, SECURITY } from "./Routes.js"

const TokensQuery = Schema.Struct(Input.PageQuery)

const encodeToken = Schema.encodeSync(Wire.ApiToken)
const encodeCreated = Schema.encodeSync(Wire.CreatedToken)
const encodeGrant = Schema.encodeSync(P.Grant)

const TokensPage = Wire.Page(Wire.ApiToken, "TokensPage")

const tokenTags = ["Native: tokens"]

/** POST and GET /tokens; DELETE /tokens/{token_id}. */
export const register = (routes: Routes): void => {
  const { app, registry, respond, respondList, authenticate } = routes

  app.post(`${PREFIX}/tokens`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const body = yield* Input.json(c, Wire.CreateTokenBody, false)
        const created = yield* Tokens.createToken(principal, { ...body, grant: encodeGrant(body.grant) })
        return encodeCreated({ token: Wire.fromToken(created.token, true), secret: created.secret })
      }),
      (body) => Output.json(c, body, 201)
    )
  )
  registry.add({
    method: "post",
    path: `${PREFIX}/tokens`,
    operationId: "createToken",
    tags: tokenTags,
    summary: "Create an API token (administrators)",
    description: "The answer holds the secret: shown this once, never again (only its SHA-256 is stored).",
    security: SECURITY,
    requestBody: { required: true, content: { [Output.JSON_TYPE]: Wire.CreateTokenBody } },
    responses: {
      "201": { description: "the token and its secret", content: { [Output.JSON_TYPE]: Wire.CreatedToken } },
      ...problems("400", "403", "409", "413", "415")
    }
  })

  app.get(`${PREFIX}/tokens`, (c) =>
    respondList(
      c,
      TokensPage,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const query = yield* Input.query(c, TokensQuery)
        const result = yield* Tokens.listTokens(principal, query)
        const now = yield* Clock.currentTimeMillis
        return Output.page(result, (token) => Wire.fromToken(token, Token.isActive(token, now)))
      }),
      "no-store"
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/tokens`,
    operationId: "listTokens",
    tags: tokenTags,
    summary: "The API tokens (administrators)",
    description: "Without secrets or their hashes; revoked and expired tokens included.",
    security: SECURITY,
    parameters: Output.pageParameters,
    responses: Output.listResponses(TokensPage, "400", "403")
  })

  app.delete(`${PREFIX}/tokens/:token_id`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const token = yield* Tokens.revokeToken(principal, c.req.param("token_id"))
        return encodeToken(Wire.fromToken(token, Token.isActive(token, yield* Clock.currentTimeMillis)))
      }),
      (body) => Output.json(c, body, 200)
    )
  )
  registry.add({
    method: "delete",
    path: `${PREFIX}/tokens/{token_id}`,
    operationId: "revokeToken",
    tags: tokenTags,
    summary: "Revoke an API token (administrators)",
    description: "Idempotent: revoking again answers the first revocation's instant.",
    security: SECURITY,
    parameters: [{ name: "token_id", in: "path", schema: Token.TokenId }],
    responses: {
      "200": { description: "the token, revoked", content: { [Output.JSON_TYPE]: Wire.ApiToken } },
      ...problems("403", "404")
    }
  })
}
