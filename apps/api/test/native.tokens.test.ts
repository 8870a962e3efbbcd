/**
 * The native API's token management through `app.request`: create (the secret once), list (no secrets,
 * no hashes), revoke; happy, errors, security. Every token response is `Cache-Control: no-store`.
 */
import { afterEach, describe, expect, it } from "vitest"
import { expectProblem, grants, request, V1 } from "./native.support.js"
import { ADMIN_TOKEN, guid, makeApi, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

const token = ADMIN_TOKEN

interface TokenBody {
  id: string
  name: string
  grant: Record<string, unknown>
  createdAt: string
  createdAtMs: number
  createdBy: string
  expiresAt?: string
  expiresAtMs?: number
  lastUsedAt?: string
  revokedAt?: string
  revokedAtMs?: number
  active: boolean
}

const create = async (body: unknown) => {
  const response = await request(api, "POST", `${V1}/tokens`, { token, body })
  expect(response.status, await response.clone().text()).toBe(201)
  expect(response.headers.get("cache-control")).toBe("no-store")
  return (await response.json()) as { token: TokenBody; secret: string }
}

describe("native tokens: /api/v1/tokens", () => {
  describe("happy", () => {
    it("create answers the secret once (201, no-store); the secret works; the grant reads back as sent", async () => {
      api = makeApi()
      await request(api, "PUT", `${V1}/smartcards/${guid(1)}`, { token })
      const grant = { role: "OwnerReader", owners: [`smartcard:${guid(1)}`] }
      const created = await create({ name: "reader", grant, expiresIn: "30 days" })
      expect(created.secret).toMatch(/^cty_[A-Za-z0-9_-]{43}$/)
      expect(created.token).toMatchObject({
        name: "reader",
        grant,
        createdBy: "bootstrap-admin",
        active: true
      })
      expect(created.token.expiresAtMs! - created.token.createdAtMs).toBe(30 * 86_400_000)
      expect(new Date(created.token.expiresAt!).getTime()).toBe(created.token.expiresAtMs)

      const own = await request(api, "GET", `${V1}/smartcards/${guid(1)}`, { token: created.secret })
      expect(own.status).toBe(200)

      for (const g of [
        { role: "Administrator" },
        { role: "DelegatedAdministrator", identityStoreId: "d-1" },
        { role: "OwnerOperator", owners: [`profile:${guid(2)}`, "idp:d-1/a", "identity-store:d-1"] }
      ]) {
        expect((await create({ name: "x", grant: g })).token.grant).toEqual(g)
      }
      // An owner key in another spelling reads back canonical.
      const upper = await create({
        name: "u",
        grant: { role: "OwnerReader", owners: [`smartcard:${guid(3).toUpperCase()}`] }
      })
      expect(upper.token.grant).toEqual({ role: "OwnerReader", owners: [`smartcard:${guid(3)}`] })
    })

    it("list pages without secrets or hashes (no-store, ETag); revoke is idempotent and ends the secret", async () => {
      api = makeApi()
      const a = await create({ name: "a", grant: { role: "Administrator" } })
      const b = await create({ name: "b", grant: { role: "OwnerReader", owners: [] } })
      const c = await create({ name: "c", grant: { role: "Administrator" } })

      const seen: Array<string> = []
      let cursor: string | undefined
      do {
        const response = await request(
          api,
          "GET",
          `${V1}/tokens?limit=2${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
          { token }
        )
        expect(response.status).toBe(200)
        expect(response.headers.get("cache-control")).toBe("no-store")
        const text = await response.text()
        for (const secret of [a.secret, b.secret, c.secret]) expect(text).not.toContain(secret.slice(4))
        expect(text).not.toMatch(/secret|hash/i)
        const page = JSON.parse(text) as { items: Array<TokenBody>; total: number; nextCursor?: string }
        expect(page.total).toBe(3)
        seen.push(...page.items.map((t) => t.id))
        cursor = page.nextCursor
      } while (cursor !== undefined)
      expect(seen.sort()).toEqual([a.token.id, b.token.id, c.token.id].sort())

      const listed = await request(api, "GET", `${V1}/tokens`, { token })
      const etag = listed.headers.get("etag")!
      const unchanged = await request(api, "GET", `${V1}/tokens`, {
        token,
        headers: { "If-None-Match": etag }
      })
      expect(unchanged.status).toBe(304)
      expect(unchanged.headers.get("cache-control")).toBe("no-store")

      expect((await request(api, "GET", `${V1}/owners`, { token: b.secret })).status).toBe(200)
      const revoked = await request(api, "DELETE", `${V1}/tokens/${b.token.id}`, { token })
      expect(revoked.status).toBe(200)
      expect(revoked.headers.get("cache-control")).toBe("no-store")
      const body = (await revoked.json()) as TokenBody
      expect(body).toMatchObject({ id: b.token.id, active: false })
      expect(new Date(body.revokedAt!).getTime()).toBe(body.revokedAtMs)
      const again = (await (
        await request(api, "DELETE", `${V1}/tokens/${b.token.id}`, { token })
      ).json()) as TokenBody
      expect(again.revokedAtMs).toBe(body.revokedAtMs)
      await expectProblem(
        await request(api, "GET", `${V1}/owners`, { token: b.secret }),
        401,
        "unauthenticated"
      )
      const after = (await (await request(api, "GET", `${V1}/tokens`, { token })).json()) as {
        items: Array<TokenBody>
      }
      expect(after.items.find((t) => t.id === b.token.id)).toMatchObject({ active: false })
      expect(after.items.find((t) => t.id === a.token.id)).toMatchObject({ active: true })
    })
  })

  describe("errors", () => {
    it("invalid requests: 400 invalid_request naming the field", async () => {
      api = makeApi()
      for (const [body, field] of [
        [{ grant: { role: "Administrator" } }, "name"],
        [{ name: "", grant: { role: "Administrator" } }, "name"],
        [{ name: "x".repeat(129), grant: { role: "Administrator" } }, "name"],
        [{ name: "x" }, "grant"],
        [{ name: "x", grant: { role: "Root" } }, "grant"],
        [{ name: "x", grant: { role: "OwnerReader", owners: ["card:1"] } }, "grant"],
        [{ name: "x", grant: { role: "DelegatedAdministrator", identityStoreId: "bad id" } }, "grant"],
        [{ name: "x", grant: { _tag: "Administrator" } }, "grant"],
        [{ name: "x", grant: { role: "Administrator" }, expiresIn: "forever" }, "expiresIn"],
        [{ name: "x", grant: { role: "Administrator" }, secret: "mine" }, "secret"]
      ] as const) {
        const problem = await expectProblem(
          await request(api, "POST", `${V1}/tokens`, { token, body }),
          400,
          "invalid_request"
        )
        expect(problem.detail, JSON.stringify(body)).toContain(field)
      }
      await expectProblem(
        await request(api, "POST", `${V1}/tokens`, { token, body: "name=x", type: "text/plain" }),
        415,
        "unsupported_media_type"
      )
      await expectProblem(
        await request(api, "GET", `${V1}/tokens?limit=0`, { token }),
        400,
        "invalid_request"
      )
      await expectProblem(
        await request(api, "GET", `${V1}/tokens?cursor=zz`, { token }),
        400,
        "invalid_cursor"
      )
    })

    it("revoking an unknown or malformed id: 404 token_not_found (no-store)", async () => {
      api = makeApi()
      for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-token"]) {
        const response = await request(api, "DELETE", `${V1}/tokens/${id}`, { token })
        await expectProblem(response, 404, "token_not_found")
        expect(response.headers.get("cache-control")).toBe("no-store")
      }
    })
  })

  describe("security", () => {
    it("only administrators manage tokens: 403 forbidden for every other grant, 401 without a token", async () => {
      api = makeApi()
      const victim = await create({ name: "v", grant: { role: "Administrator" } })
      for (const grant of [grants.DelegatedAdministrator, grants.OwnerOperator, grants.OwnerReader]) {
        const secret = await api.tokenFor(grant)
        for (const [method, path, body] of [
          ["POST", `${V1}/tokens`, { name: "escalate", grant: { role: "Administrator" } }],
          ["GET", `${V1}/tokens`, undefined],
          ["DELETE", `${V1}/tokens/${victim.token.id}`, undefined]
        ] as const) {
          const response = await request(api, method, path, {
            token: secret,
            ...(body === undefined ? {} : { body })
          })
          const problem = await expectProblem(response, 403, "forbidden")
          expect(problem.detail).not.toContain("token:")
          expect(response.headers.get("cache-control")).toBe("no-store")
        }
      }
      for (const [method, path] of [
        ["POST", `${V1}/tokens`],
        ["GET", `${V1}/tokens`],
        ["DELETE", `${V1}/tokens/${victim.token.id}`]
      ] as const)
        await expectProblem(await request(api, method, path), 401, "unauthenticated")
      // The victim survived.
      expect((await request(api, "GET", `${V1}/owners`, { token: victim.secret })).status).toBe(200)
    })

    it("an expired token is 401 like an unknown one", async () => {
      api = makeApi()
      const short = await create({ name: "short", grant: { role: "Administrator" }, expiresIn: "1 millis" })
      await new Promise((resolve) => setTimeout(resolve, 5))
      const expired = await expectProblem(
        await request(api, "GET", `${V1}/owners`, { token: short.secret }),
        401,
        "unauthenticated"
      )
      const unknown = await expectProblem(
        await request(api, "GET", `${V1}/owners`, { token: "cty_unknown" }),
        401,
        "unauthenticated"
      )
      expect({ ...expired, request_id: "" }).toEqual({ ...unknown, request_id: "" })
    })
  })
})
