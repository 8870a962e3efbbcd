/**
 * The expiring report: certificates valid now that expire within a window (default 30 days), across the
 * owners the caller may read, soonest first.
 */
import { ExpiringCertificates } from "@certory/domain"
import { Clock, Effect, Schema } from "effect"
import * as Wire from "../../NativeWire.js"
import { CertificatesPage } from "./certificates.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import { PREFIX, type Routes, SECURITY } from "./Routes.js"

const ExpiringQuery = Schema.Struct({ within: Input.optional(Schema.String), ...Input.PageQuery })

/** GET /expiring */
export const register = (routes: Routes): void => {
  const { app, registry, respondList, authenticate } = routes
  app.get(`${PREFIX}/expiring`, (c) =>
    respondList(
      c,
      CertificatesPage,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const { within, ...query } = yield* Input.query(c, ExpiringQuery)
        const result = yield* ExpiringCertificates.expiringCertificates(principal, {
          within: within ?? "30 days",
          ...query
        })
        const now = yield* Clock.currentTimeMillis
        return Output.page(result, (item) => Wire.fromOwnerCertificate(item, now))
      })
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/expiring`,
    operationId: "expiringCertificates",
    tags: ["Native: certificates"],
    summary: "Certificates valid now that expire within a window",
    description: "Across the owners the caller may read, soonest first.",
    security: SECURITY,
    parameters: [
      { name: "within", in: "query", schema: Schema.String, description: 'a duration, default "30 days"' },
      ...Output.pageParameters
    ],
    responses: Output.listResponses(CertificatesPage, "400")
  })
}
