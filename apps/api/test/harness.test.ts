/**
 * The harness itself, on every target: each `makeApi()` starts from an empty store whatever the previous
 * one wrote, seeding (`run`) and requests see one store, and every response's log line is in `api.logs`
 * when the response returns. On the serve targets these are what makes the rest of the suite mean the
 * same thing as in process.
 */
import { GetOwner, Templates } from "@certory/domain"
import { afterEach, expect, it } from "vitest"
import { expectProblem, grants, request, V1 } from "./native.support.js"
import { ADMIN_TOKEN, admin, card, guid, makeApi, seed, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

const token = ADMIN_TOKEN

it("a new API starts from an empty store: no owner, certificate, token or template of the previous one", async () => {
  api = makeApi()
  await seed(api, [card(1)], [[card(1), "ec"]])
  const secret = await api.tokenFor(grants.OwnerReader)
  await api.run(Templates.setTemplateName(admin, { oid: "1.2.3.4", name: "Left behind" }))
  expect((await request(api, "GET", `${V1}/smartcards/${guid(1)}`, { token: secret })).status).toBe(200)
  await api.dispose()

  api = makeApi()
  for (const path of [
    `${V1}/owners`,
    `${V1}/tokens`,
    `${V1}/templates`,
    `${V1}/expiring?within=36500%20days`
  ]) {
    const response = await request(api, "GET", path, { token })
    expect(response.status, path).toBe(200)
    expect(((await response.json()) as { total: number }).total, path).toBe(0)
  }
  await expectProblem(
    await request(api, "GET", `${V1}/smartcards/${guid(1)}`, { token: secret }),
    401,
    "unauthenticated"
  )
})

it("seeding and requests share one store: a seeded owner is served, a requested owner is read back", async () => {
  api = makeApi()
  await seed(api, [card(1)])
  expect((await request(api, "GET", `${V1}/smartcards/${guid(1)}`, { token })).status).toBe(200)
  expect((await request(api, "PUT", `${V1}/smartcards/${guid(2)}`, { token })).status).toBe(201)
  const owner = await api.run(GetOwner.getOwner(admin, card(2)))
  expect(owner.createdBy).toBe("bootstrap-admin")
})

it("every response's log line is in api.logs when the response returns, with its status and route", async () => {
  api = makeApi()
  const ids = ["harness-1", "harness-2", "harness-3"]
  const statuses: Array<number> = []
  for (const [i, id] of ids.entries()) {
    const response = await api.app.request(i === 2 ? "/nope" : `${V1}/owners`, {
      headers: { Authorization: `Bearer ${i === 1 ? "cty_wrong" : token}`, "X-Request-Id": id }
    })
    statuses.push(response.status)
    const line = api.logs.find((l) => l.request_id === id)
    expect(line, id).toMatchObject({ request_id: id, status: response.status })
  }
  expect(statuses).toEqual([200, 401, 404])
  expect(api.logs.find((l) => l.request_id === "harness-1")).toMatchObject({
    method: "GET",
    route: "/api/v1/owners"
  })
})
