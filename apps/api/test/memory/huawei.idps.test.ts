/**
 * Huawei IAM Identity Center external IdPs with the app in process (memory target only): the deployment's
 * own SAML service provider values (an app option) in `hws_sp_saml_config`.
 */
import { afterEach, expect, it } from "vitest"
import { idps, send } from "../huawei.support.js"
import { makeInProcessApi, seed, store, type TestApi } from "../support.js"

let api: TestApi
afterEach(() => api?.dispose())

const S = "d-66f1a2b3b80"

it("hws_sp_saml_config: the deployment's values when configured", async () => {
  api = makeInProcessApi({
    app: {
      serviceProvider: {
        acsUrl: "https://sso.example.com/acs",
        issuer: "https://sso.example.com/",
        metadata: "<md:EntityDescriptor/>"
      }
    }
  })
  await seed(api, [store(S)])
  const response = await send(api, "POST", idps(S), {
    idp_saml_config: {
      entity_id: "https://sts.example.com/adfs/services/trust",
      login_url: "https://sts.example.com/adfs/ls/"
    }
  })
  expect(response.status).toBe(201)
  const configured = (await response.json()) as { hws_sp_saml_config: unknown }
  expect(configured.hws_sp_saml_config).toEqual({
    acs_url: "https://sso.example.com/acs",
    issuer: "https://sso.example.com/",
    metadata: "<md:EntityDescriptor/>"
  })
})
