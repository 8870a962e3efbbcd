/**
 * Look-up: which owners hold a certificate, by any spelling of a SHA-1 / SHA-256 fingerprint or a serial;
 * only the bindings the caller may read, grouped by certificate, one page at a time.
 */
import { FindCertificates } from "@certory/domain"
import { Clock, Effect, Schema } from "effect"
import * as Wire from "../../NativeWire.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import { PREFIX, type Routes, SECURITY } from "./Routes.js"

const LookupQuery = Schema.Struct({ lookup: Schema.String, ...Input.PageQuery })

const FoundPage = Wire.Page(Wire.Found, "FoundPage")

/** GET /certificates?lookup=... */
export const register = (routes: Routes): void => {
  const { app, registry, respondList, authenticate } = routes
  app.get(`${PREFIX}/certificates`, (c) =>
    respondList(
      c,
      FoundPage,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const { lookup, ...query } = yield* Input.query(c, LookupQuery)
        const result = yield* FindCertificates.findCertificates(principal, { text: lookup, ...query })
        const now = yield* Clock.currentTimeMillis
        return Output.page(result, (found) => Wire.fromFound(found, now))
      })
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/certificates`,
    operationId: "findCertificates",
    tags: ["Native: certificates"],
    summary: "Which owners hold a certificate",
    description:
      "By any spelling of a SHA-1 / SHA-256 fingerprint (of the certificate or its public key) or a serial " +
      "(hex with or without separators, decimal, base64). Only the bindings the caller may read are shown; a " +
      "certificate none of them holds is not found. A page holds up to `limit` bindings, grouped by certificate.",
    security: SECURITY,
    parameters: [
      {
        name: "lookup",
        in: "query",
        required: true,
        schema: Schema.String,
        description: "a fingerprint or serial"
      },
      ...Output.pageParameters
    ],
    responses: Output.listResponses(FoundPage, "400")
  })
}
