/**
 * The native API's owners through `app.request`: PUT (create if absent), GET, PATCH, DELETE for every
 * kind, and the owner listing; happy, errors, security.
 */
import { Ids, JobStore, Principal as P } from "@certory/domain"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { expectProblem, request, V1 } from "./native.support.js"
import { ADMIN_TOKEN, card, guid, makeApi, seed, store, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

const token = ADMIN_TOKEN

interface OwnerBody {
  kind: string
  key: string
  id: string
  identityStoreId?: string
  path: string
  displayName?: string
  metadataUrl?: string
  enabled: boolean
  createdAt: string
  createdAtMs: number
  createdBy: string
}

describe("native owners: PUT / GET / PATCH / DELETE /api/v1/{owner}", () => {
  describe("happy", () => {
    it("PUT creates each kind (201 + Location), then answers 200 with the owner unchanged", async () => {
      api = makeApi()
      const cases = [
        [`${V1}/smartcards/${guid(1)}`, "smartcard", `smartcard:${guid(1)}`, { displayName: "Alice's card" }],
        [`${V1}/profiles/${guid(2)}`, "profile", `profile:${guid(2)}`, {}],
        [`${V1}/identity-stores/d-1`, "identity-store", "identity-store:d-1", { displayName: "Org" }],
        [
          `${V1}/identity-stores/d-1/idps/azure`,
          "idp",
          "idp:d-1/azure",
          { metadataUrl: "https://login.example.com/metadata.xml", enabled: false }
        ]
      ] as const
      for (const [path, kind, key, body] of cases) {
        const created = await request(api, "PUT", path, { token, body })
        expect(created.status, path).toBe(201)
        expect(created.headers.get("location")).toBe(path)
        const owner = (await created.json()) as OwnerBody
        expect(owner).toMatchObject({ kind, key, path, createdBy: "bootstrap-admin", ...body })
        expect(owner.enabled).toBe(kind !== "idp")
        expect(new Date(owner.createdAt).getTime()).toBe(owner.createdAtMs)
        expect(owner.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

        const again = await request(api, "PUT", path, { token, body: { displayName: "ignored" } })
        expect(again.status).toBe(200)
        expect(again.headers.get("location")).toBeNull()
        expect(await again.json()).toEqual(owner)
        const read = await request(api, "GET", path, { token })
        expect(read.status).toBe(200)
        expect(await read.json()).toEqual(owner)
      }
      const idp = (await (
        await request(api, "GET", `${V1}/identity-stores/d-1/idps/azure`, { token })
      ).json()) as OwnerBody
      expect(idp).toMatchObject({ id: "azure", identityStoreId: "d-1" })
    })

    it("a PUT without a body, and a GUID in upper case or braces, name the canonical owner", async () => {
      api = makeApi()
      const upper = await request(api, "PUT", `${V1}/smartcards/{${guid(7).toUpperCase()}}`, { token })
      expect(upper.status).toBe(201)
      expect(((await upper.json()) as OwnerBody).key).toBe(`smartcard:${guid(7)}`)
      const lower = await request(api, "PUT", `${V1}/smartcards/${guid(7)}`, { token })
      expect(lower.status).toBe(200)
    })

    it("PATCH changes what is given, keeps what is absent, clears what is null", async () => {
      api = makeApi()
      const path = `${V1}/identity-stores/d-1/idps/okta`
      await request(api, "PUT", `${V1}/identity-stores/d-1`, { token })
      await request(api, "PUT", path, {
        token,
        body: { displayName: "Okta", metadataUrl: "https://okta.example.com/md" }
      })
      const disabled = await request(api, "PATCH", path, { token, body: { enabled: false } })
      expect(disabled.status).toBe(200)
      expect(await disabled.json()).toMatchObject({
        displayName: "Okta",
        metadataUrl: "https://okta.example.com/md",
        enabled: false
      })
      const cleared = await request(api, "PATCH", path, {
        token,
        body: { displayName: null, metadataUrl: null }
      })
      const body = (await cleared.json()) as OwnerBody
      expect(body.displayName).toBeUndefined()
      expect(body.metadataUrl).toBeUndefined()
      expect(body.enabled).toBe(false)
    })

    it("an IdP's SAML configuration: set by PUT, read back, replaced and cleared by PATCH", async () => {
      api = makeApi()
      const path = `${V1}/identity-stores/d-1/idps/adfs`
      const saml = {
        entityId: "http://adfs.example.com/adfs/services/trust",
        loginUrl: "https://adfs.example.com/adfs/ls/",
        wantRequestSigned: true
      }
      await request(api, "PUT", `${V1}/identity-stores/d-1`, { token })
      const created = await request(api, "PUT", path, { token, body: { saml } })
      expect(created.status).toBe(201)
      expect(await created.json()).toMatchObject({ saml })
      expect(await (await request(api, "GET", path, { token })).json()).toMatchObject({ saml })
      const replaced = await request(api, "PATCH", path, {
        token,
        body: { saml: { ...saml, wantRequestSigned: false } }
      })
      expect(await replaced.json()).toMatchObject({ saml: { ...saml, wantRequestSigned: false } })
      const cleared = (await (
        await request(api, "PATCH", path, { token, body: { saml: null } })
      ).json()) as OwnerBody
      expect("saml" in cleared).toBe(false)
      await expectProblem(
        await request(api, "PATCH", path, {
          token,
          body: { saml: { ...saml, loginUrl: "http://169.254.169.254/" } }
        }),
        400,
        "invalid_request"
      )
      await expectProblem(
        await request(api, "PUT", `${V1}/smartcards/${guid(1)}`, { token, body: { saml } }),
        400,
        "invalid_request"
      )
    })

    it("DELETE removes the owner (204, no body); a store takes its IdPs with it", async () => {
      api = makeApi()
      await request(api, "PUT", `${V1}/identity-stores/d-1`, { token })
      await request(api, "PUT", `${V1}/identity-stores/d-1/idps/a`, { token })
      const removed = await request(api, "DELETE", `${V1}/identity-stores/d-1`, { token })
      expect(removed.status).toBe(204)
      expect(await removed.text()).toBe("")
      await expectProblem(
        await request(api, "GET", `${V1}/identity-stores/d-1/idps/a`, { token }),
        404,
        "owner_not_found"
      )
      await expectProblem(
        await request(api, "DELETE", `${V1}/identity-stores/d-1`, { token }),
        404,
        "owner_not_found"
      )
    })

    it("GET /owners pages by key with kind and identity store filters; ETag and 304", async () => {
      api = makeApi()
      for (const path of [
        `${V1}/smartcards/${guid(1)}`,
        `${V1}/smartcards/${guid(2)}`,
        `${V1}/profiles/${guid(3)}`,
        `${V1}/identity-stores/d-1`,
        `${V1}/identity-stores/d-1/idps/a`,
        `${V1}/identity-stores/d-2`
      ])
        expect((await request(api, "PUT", path, { token })).status).toBe(201)

      const keys: Array<string> = []
      let cursor: string | undefined
      do {
        const response = await request(
          api,
          "GET",
          `${V1}/owners?limit=2${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
          { token }
        )
        expect(response.status).toBe(200)
        const page = (await response.json()) as {
          items: Array<OwnerBody>
          total: number
          nextCursor?: string
        }
        expect(page.total).toBe(6)
        expect(page.items.length).toBeLessThanOrEqual(2)
        keys.push(...page.items.map((o) => o.key))
        cursor = page.nextCursor
      } while (cursor !== undefined)
      expect(keys).toEqual([...keys].sort())
      expect(new Set(keys).size).toBe(6)

      const cards = await request(api, "GET", `${V1}/owners?kind=smartcard`, { token })
      expect(((await cards.json()) as { items: Array<OwnerBody> }).items.map((o) => o.id)).toEqual([
        guid(1),
        guid(2)
      ])
      const d1 = await request(api, "GET", `${V1}/owners?identityStoreId=d-1`, { token })
      expect(((await d1.json()) as { items: Array<OwnerBody> }).items.map((o) => o.key)).toEqual([
        "identity-store:d-1",
        "idp:d-1/a"
      ])

      const first = await request(api, "GET", `${V1}/owners`, { token })
      const etag = first.headers.get("etag")!
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
      expect(first.headers.get("cache-control")).toBe("private, no-cache")
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const unchanged = await request(api, "GET", `${V1}/owners`, {
          token,
          headers: { "If-None-Match": ifNoneMatch }
        })
        expect(unchanged.status, ifNoneMatch).toBe(304)
        expect(unchanged.headers.get("etag")).toBe(etag)
        expect(await unchanged.text()).toBe("")
      }
      await request(api, "PUT", `${V1}/profiles/${guid(9)}`, { token })
      const changed = await request(api, "GET", `${V1}/owners`, { token, headers: { "If-None-Match": etag } })
      expect(changed.status).toBe(200)
      expect(changed.headers.get("etag")).not.toBe(etag)
    })
  })

  describe("errors", () => {
    it("a malformed id: 400 invalid_path", async () => {
      api = makeApi()
      for (const path of [
        `${V1}/smartcards/not-a-guid`,
        `${V1}/profiles/123`,
        `${V1}/identity-stores/bad%20id`,
        `${V1}/identity-stores/d-1/idps/-x`
      ])
        await expectProblem(await request(api, "GET", path, { token }), 400, "invalid_path")
    })

    it("an unknown owner: 404 owner_not_found for GET, PATCH, DELETE; an IdP needs its store", async () => {
      api = makeApi()
      const path = `${V1}/smartcards/${guid(5)}`
      const missing = await expectProblem(await request(api, "GET", path, { token }), 404, "owner_not_found")
      expect(missing.detail).toContain(guid(5))
      await expectProblem(
        await request(api, "PATCH", path, { token, body: { displayName: "x" } }),
        404,
        "owner_not_found"
      )
      await expectProblem(await request(api, "DELETE", path, { token }), 404, "owner_not_found")
      const orphan = await expectProblem(
        await request(api, "PUT", `${V1}/identity-stores/d-9/idps/a`, { token }),
        404,
        "owner_not_found"
      )
      expect(orphan.detail).toContain("identity-store:d-9")
    })

    it("bodies: a non-IdP field on a card, an unknown field, bad values are 400 invalid_request", async () => {
      api = makeApi()
      const card = `${V1}/smartcards/${guid(1)}`
      for (const body of [
        { metadataUrl: "https://example.com/md" },
        { enabled: false },
        { displayname: "typo" },
        { displayName: 42 },
        { displayName: "x".repeat(257) },
        { displayName: "nul\u0000" }
      ]) {
        await expectProblem(await request(api, "PUT", card, { token, body }), 400, "invalid_request")
      }
      await request(api, "PUT", `${V1}/identity-stores/d-1`, { token })
      for (const metadataUrl of ["http://169.254.169.254/latest", "ftp://x.example/md", "not a url"]) {
        const refused = await expectProblem(
          await request(api, "PUT", `${V1}/identity-stores/d-1/idps/a`, { token, body: { metadataUrl } }),
          400,
          "invalid_request"
        )
        expect(refused.detail).toMatch(/^metadataUrl: /)
      }
      await request(api, "PUT", card, { token })
      await expectProblem(
        await request(api, "PATCH", card, { token, body: { enabled: true } }),
        400,
        "invalid_request"
      )
    })

    it("a body that is not JSON: 415; broken JSON: 400 malformed_body", async () => {
      api = makeApi()
      const card = `${V1}/smartcards/${guid(1)}`
      await expectProblem(
        await request(api, "PUT", card, {
          token,
          body: "displayName=x",
          type: "application/x-www-form-urlencoded"
        }),
        415,
        "unsupported_media_type"
      )
      await expectProblem(
        await request(api, "PUT", card, { token, body: "{", type: "application/json" }),
        400,
        "malformed_body"
      )
      await request(api, "PUT", card, { token })
      await expectProblem(await request(api, "PATCH", card, { token }), 415, "unsupported_media_type")
    })

    it("listing: a bad kind, limit or cursor is 400", async () => {
      api = makeApi()
      for (const query of [
        "kind=SmartCard",
        "limit=0",
        "limit=1001",
        "limit=abc",
        "limit=1.5",
        "identityStoreId=a%20b"
      ])
        await expectProblem(
          await request(api, "GET", `${V1}/owners?${query}`, { token }),
          400,
          "invalid_request"
        )
      await expectProblem(
        await request(api, "GET", `${V1}/owners?cursor=garbage`, { token }),
        400,
        "invalid_cursor"
      )
    })

    it("an unknown route or method under /api/v1: 404 not_found as a problem", async () => {
      api = makeApi()
      await expectProblem(await request(api, "GET", `${V1}/nothing`, { token }), 404, "not_found")
      await expectProblem(await request(api, "POST", `${V1}/owners`, { token, body: {} }), 404, "not_found")
    })
  })

  describe("security", () => {
    it("no or a wrong token: 401 unauthenticated with WWW-Authenticate; every response has nosniff and no-store", async () => {
      api = makeApi()
      for (const headers of [
        {},
        { Authorization: "Bearer cty_wrong" },
        { Authorization: "Basic dXNlcjpwYXNz" }
      ]) {
        const response = await api.app.request(`${V1}/smartcards/${guid(1)}`, { headers })
        await expectProblem(response, 401, "unauthenticated")
        expect(response.headers.get("www-authenticate")).toBe('Bearer realm="certory"')
        expect(response.headers.get("x-content-type-options")).toBe("nosniff")
        expect(response.headers.get("cache-control")).toBe("no-store")
      }
    })
  })
})

describe("native: GET /api/v1/identity-stores/{id}/idps/{idp}/sync (the IdP's last metadata sync)", () => {
  const idpRef = Ids.IdpRef.make({
    identityStoreId: Ids.IdentityStoreId.make("d-1"),
    idpId: Ids.IdpId.make("azure")
  })
  const path = `${V1}/identity-stores/d-1/idps/azure/sync`

  it("null before the job ran; then the recorded sync, instants as RFC 3339 and epoch ms", async () => {
    api = makeApi()
    await seed(api, [store("d-1"), idpRef])
    const before = await request(api, "GET", path, { token })
    expect(before.status).toBe(200)
    expect(await before.json()).toEqual({ sync: null })

    const sha = "A".repeat(64) as Ids.Sha256Hex
    await api.run(
      Effect.flatMap(JobStore.JobStore, (jobs) =>
        jobs.putIdpSync(
          JobStore.IdpSync.make({
            owner: idpRef,
            metadataUrl: "https://login.example.com/metadata.xml",
            at: 1_760_000_000_000,
            outcome: "synced",
            httpStatus: 200,
            added: [sha],
            refused: [],
            nextAt: 1_760_003_600_000
          })
        )
      )
    )
    const after = await request(api, "GET", path, { token })
    expect(after.status).toBe(200)
    expect(await after.json()).toEqual({
      sync: {
        metadataUrl: "https://login.example.com/metadata.xml",
        at: new Date(1_760_000_000_000).toISOString(),
        atMs: 1_760_000_000_000,
        outcome: "synced",
        httpStatus: 200,
        added: [sha],
        refused: [],
        nextAt: new Date(1_760_003_600_000).toISOString(),
        nextAtMs: 1_760_003_600_000
      }
    })
  })

  it("an unknown IdP is 404 owner_not_found; a caller without a grant on it 403, whether or not it exists", async () => {
    api = makeApi()
    await seed(api, [store("d-1"), idpRef])
    await expectProblem(
      await request(api, "GET", `${V1}/identity-stores/d-1/idps/nope/sync`, { token }),
      404,
      "owner_not_found"
    )
    const reader = await api.tokenFor(P.OwnerReader.make({ owners: [card(9)] }))
    await expectProblem(await request(api, "GET", path, { token: reader }), 403, "forbidden")
    await expectProblem(
      await request(api, "GET", `${V1}/identity-stores/d-1/idps/nope/sync`, { token: reader }),
      403,
      "forbidden"
    )
  })
})
