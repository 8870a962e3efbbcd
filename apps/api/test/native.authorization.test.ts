/**
 * The native API's authorization matrix: every owner route x every grant (and no token) x owners that
 * are the caller's, someone else's, or do not exist; then the global routes' scoping. A refused caller
 * gets the same 403 body whether or not the owner exists. Each (grant, owner) pair runs on a fresh seeded
 * inventory, its routes in an order where no allowed write changes a later route's expected answer:
 * reads, then writes that keep the owner, then PUT before the deletes for an existing owner, after them
 * for a missing one (where it creates).
 */
import type { Ids } from "@certory/domain"
import { Principal as P } from "@certory/domain"
import { describe, expect, it } from "vitest"
import { expectProblem, grants, type ProblemBody, request, seedInventory, V1 } from "./native.support.js"
import { ADMIN_TOKEN, card, fixture, guid, idp, makeApi, store, type TestApi } from "./support.js"

type Action = "read" | "write" | "administer"
type GrantName = keyof typeof grants | "none"

const targets = {
  card1: { ref: card(1), exists: true },
  card2: { ref: card(2), exists: true },
  card99: { ref: card(99), exists: false },
  store1: { ref: store("d-1"), exists: true },
  idp1: { ref: idp("d-1", "a"), exists: true },
  idp1Missing: { ref: idp("d-1", "zz"), exists: false },
  idp2: { ref: idp("d-2", "b"), exists: true },
  idp2Missing: { ref: idp("d-2", "zz"), exists: false }
} as const
type Target = keyof typeof targets

const ALL: ReadonlyArray<Action> = ["read", "write", "administer"]

/** What each grant may do to each target: the rules the API promises (Authorization.ts). */
const allowed: Record<GrantName, Partial<Record<Target, ReadonlyArray<Action>>>> = {
  Administrator: Object.fromEntries(Object.keys(targets).map((t) => [t, ALL])),
  // Its store's record is read and written, not created or removed; its IdPs are administered.
  DelegatedAdministrator: { store1: ["read", "write"], idp1: ALL, idp1Missing: ALL },
  OwnerOperator: { card1: ["read", "write"] },
  OwnerReader: { card1: ["read"] },
  none: {}
}

interface Route {
  readonly name: string
  readonly method: string
  readonly suffix: "" | "/certificates" | "/certificates/{id}"
  readonly action: Action
  /** Status when allowed and the owner exists, and when allowed and it does not. */
  readonly exists: number
  readonly missing: number
  readonly body?: unknown
}

const routes: ReadonlyArray<Route> = [
  { name: "PUT owner", method: "PUT", suffix: "", action: "administer", exists: 200, missing: 201 },
  { name: "GET owner", method: "GET", suffix: "", action: "read", exists: 200, missing: 404 },
  {
    name: "PATCH owner",
    method: "PATCH",
    suffix: "",
    action: "administer",
    exists: 200,
    missing: 404,
    body: { displayName: "renamed" }
  },
  { name: "DELETE owner", method: "DELETE", suffix: "", action: "administer", exists: 204, missing: 404 },
  {
    name: "list certificates",
    method: "GET",
    suffix: "/certificates",
    action: "read",
    exists: 200,
    missing: 404
  },
  {
    name: "import",
    method: "POST",
    suffix: "/certificates",
    action: "write",
    exists: 200,
    missing: 404,
    body: { pem: fixture("ec") }
  },
  {
    name: "one certificate",
    method: "GET",
    suffix: "/certificates/{id}",
    action: "read",
    exists: 200,
    missing: 404
  },
  {
    name: "unbind",
    method: "DELETE",
    suffix: "/certificates/{id}",
    action: "write",
    exists: 200,
    missing: 404
  }
]

const byName = (name: string) => routes.find((r) => r.name === name)!
const READS_AND_KEEPING_WRITES = [
  "GET owner",
  "list certificates",
  "one certificate",
  "import",
  "PATCH owner"
]

/** Existing owner: PUT (200) before the deletes; missing owner: the deletes (404) before PUT creates it. */
const ordered = (exists: boolean): ReadonlyArray<Route> =>
  [
    ...READS_AND_KEEPING_WRITES,
    ...(exists ? ["PUT owner", "unbind", "DELETE owner"] : ["unbind", "DELETE owner", "PUT owner"])
  ].map(byName)

const pathOf = (ref: Ids.OwnerRef): string => {
  switch (ref._tag) {
    case "SmartCard":
      return `${V1}/smartcards/${ref.id}`
    case "Profile":
      return `${V1}/profiles/${ref.id}`
    case "IdentityStore":
      return `${V1}/identity-stores/${ref.id}`
    case "Idp":
      return `${V1}/identity-stores/${ref.identityStoreId}/idps/${ref.idpId}`
  }
}

const grantList = Object.keys(allowed) as ReadonlyArray<GrantName>

const tokenOf = (api: TestApi, grant: GrantName): Promise<string | undefined> =>
  grant === "none" ? Promise.resolve(undefined) : api.tokenFor(grants[grant])

describe("native authorization matrix: owner routes x grants x owners", () => {
  for (const grant of grantList) {
    it(`${grant}`, async () => {
      const refusals = new Map<string, Array<ProblemBody>>()
      let cases = 0
      for (const [name, target] of Object.entries(targets) as ReadonlyArray<
        [Target, (typeof targets)[Target]]
      >) {
        const api = makeApi()
        try {
          const { idOf } = await seedInventory(api)
          const token = await tokenOf(api, grant)
          const id = target.exists
            ? idOf(target.ref as Parameters<typeof idOf>[0])
            : "00000000-0000-4000-8000-00000000dead"
          for (const route of ordered(target.exists)) {
            const path = `${pathOf(target.ref)}${route.suffix.replace("{id}", id)}`
            const response = await request(api, route.method, path, {
              ...(token === undefined ? {} : { token }),
              ...(route.body === undefined ? {} : { body: route.body })
            })
            const label = `${grant} ${route.name} ${name}`
            const may = allowed[grant][name]?.includes(route.action) ?? false
            if (grant === "none") {
              await expectProblem(response, 401, "unauthenticated")
            } else if (!may) {
              const problem = await expectProblem(response, 403, "forbidden")
              refusals.set(route.name, [...(refusals.get(route.name) ?? []), problem])
            } else {
              const expected = target.exists ? route.exists : route.missing
              expect(response.status, `${label}: ${await response.clone().text()}`).toBe(expected)
              if (expected === 404) await expectProblem(response, 404, "owner_not_found")
            }
            cases++
          }
        } finally {
          await api.dispose()
        }
      }
      expect(cases).toBe(routes.length * Object.keys(targets).length)
      // One answer for every refusal of a route, whether the owner exists or not (the request id aside).
      for (const [route, problems] of refusals) {
        const bodies = new Set(problems.map((p) => JSON.stringify({ ...p, request_id: "" })))
        expect(bodies.size, route).toBe(1)
      }
      if (grant !== "Administrator" && grant !== "none") expect(refusals.size).toBe(routes.length)
      // Only to catch a hang: eight seeded inventories, over HTTP on the serve targets, on a loaded machine.
    }, 180_000)
  }
})

describe("native authorization: global routes are scoped to the caller's grant", () => {
  const scope: Record<Exclude<GrantName, "none">, ReadonlyArray<string>> = {
    Administrator: [
      `smartcard:${guid(1)}`,
      `smartcard:${guid(2)}`,
      "identity-store:d-1",
      "idp:d-1/a",
      "identity-store:d-2",
      "idp:d-2/b"
    ],
    DelegatedAdministrator: ["identity-store:d-1", "idp:d-1/a"],
    OwnerOperator: [`smartcard:${guid(1)}`],
    OwnerReader: [`smartcard:${guid(1)}`]
  }

  for (const grant of grantList) {
    it(`${grant}`, async () => {
      const api = makeApi()
      try {
        const { bound } = await seedInventory(api)
        const token = await tokenOf(api, grant)
        const ec = bound[0]!.certificate
        const get = (path: string) => request(api, "GET", path, token === undefined ? {} : { token })
        const owners = await get(`${V1}/owners`)
        const lookup = await get(`${V1}/certificates?lookup=${ec.sha256}`)
        const expiring = await get(`${V1}/expiring?within=7300%20days`)
        const created = await request(api, "POST", `${V1}/tokens`, {
          ...(token === undefined ? {} : { token }),
          body: { name: "n", grant: { role: "OwnerReader", owners: [] } }
        })
        const tokens = await get(`${V1}/tokens`)
        const revoke = await request(api, "DELETE", `${V1}/tokens/00000000-0000-4000-8000-000000000000`, {
          ...(token === undefined ? {} : { token })
        })
        if (grant === "none") {
          for (const response of [owners, lookup, expiring, created, tokens, revoke])
            await expectProblem(response, 401, "unauthenticated")
          return
        }
        const keys = (await owners.json()) as { items: Array<{ key: string }> }
        expect(keys.items.map((o) => o.key).sort()).toEqual([...scope[grant]].sort())
        const found = (await lookup.json()) as {
          items: Array<{ bindings: Array<{ owner: { key: string } }> }>
        }
        const holders = found.items.flatMap((i) => i.bindings.map((b) => b.owner.key))
        const holdersInScope = scope[grant].filter((key) => key !== "identity-store:d-2")
        expect(holders.sort()).toEqual([...holdersInScope].sort())
        const soon = (await expiring.json()) as { items: Array<{ owner: { key: string } }> }
        for (const item of soon.items) expect(scope[grant]).toContain(item.owner.key)
        expect(soon.items.length).toBeGreaterThan(0)
        if (grant === "Administrator") {
          expect(created.status).toBe(201)
          expect(tokens.status).toBe(200)
          await expectProblem(revoke, 404, "token_not_found")
        } else {
          // The same 403 whether or not the token exists.
          for (const response of [created, tokens, revoke]) await expectProblem(response, 403, "forbidden")
        }
      } finally {
        await api.dispose()
      }
    })
  }

  it("a caller whose token names no owner sees empty lists, not errors", async () => {
    const api = makeApi()
    try {
      const { bound } = await seedInventory(api)
      const empty = await api.tokenFor(P.OwnerReader.make({ owners: [] }))
      for (const path of [
        `${V1}/owners`,
        `${V1}/certificates?lookup=${bound[0]!.certificate.sha1}`,
        `${V1}/expiring`
      ]) {
        const response = await request(api, "GET", path, { token: empty })
        expect(response.status).toBe(200)
        expect(await response.json()).toEqual({ items: [], total: 0 })
      }
    } finally {
      await api.dispose()
    }
  })
})

it("the bootstrap administrator token authenticates the native API", async () => {
  const api = makeApi()
  try {
    expect((await request(api, "GET", `${V1}/owners`, { token: ADMIN_TOKEN })).status).toBe(200)
  } finally {
    await api.dispose()
  }
})
