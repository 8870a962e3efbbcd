/**
 * The two reference pages' example responses, replayed: certory's answers to the same requests have
 * exactly their keys, in their order, with their JSON types (test/fixtures holds the examples verbatim).
 */
import { readFileSync } from "node:fs"
import { afterEach, expect, it } from "vitest"
import { ADMIN_TOKEN, bearer, card, guid, idp, makeApi, seed, store, type TestApi } from "./support.js"

const example = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8"))

/** Keys in order and the JSON type of every value, recursively. */
const shape = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.length === 0
      ? []
      : [shape(value[0])]
    : value !== null && typeof value === "object"
      ? Object.entries(value).map(([key, v]) => [key, shape(v)])
      : value === null
        ? "null"
        : typeof value

let api: TestApi
afterEach(() => api?.dispose())

it("MIM CM: the example's request gets a response of the example's shape", async () => {
  api = makeApi()
  await seed(
    api,
    [card(1)],
    [
      [card(1), "templateName"],
      [card(1), "adcsUserDer"]
    ]
  )
  // The example's own request line, lowercase path and all.
  const response = await api.app.request(
    `/certificatemanagement/api/v1.0/smartcards/${guid(1)}/certificates`,
    {
      headers: bearer(ADMIN_TOKEN)
    }
  )
  expect(response.status).toBe(200)
  const reference = example("mim-cm-example-response.json") as Array<unknown>
  const ours = (await response.json()) as Array<unknown>
  for (const item of ours) expect(shape(item)).toEqual(shape(reference[0]))
  // TemplateCommonName is a string in the example; certory's is one too when the certificate names it.
  expect(new Set(reference.map(shape).map((s) => JSON.stringify(s))).size).toBe(1)
})

it("Huawei: the list example's shape, key for key", async () => {
  api = makeApi()
  await seed(
    api,
    [store("d-66f1a2b3b80"), idp("d-66f1a2b3b80", "azure")],
    [[idp("d-66f1a2b3b80", "azure"), "rsa"]]
  )
  const response = await api.app.request("/v1/identity-stores/d-66f1a2b3b80/external-idp/azure/certificate", {
    headers: { "X-Security-Token": ADMIN_TOKEN }
  })
  expect(response.status).toBe(200)
  expect(shape(await response.json())).toEqual(shape(example("huawei-example-response.json")))
})
