/**
 * The Worker's Cron Trigger (`scheduled` in src/worker.ts) inside workerd: one invocation runs the
 * background jobs on the Worker's D1 with its CERTORY_* settings (an IdP's metadata fetched and its
 * signing certificate bound, visible on the Huawei surface afterwards); bad settings or a missing D1
 * fail the invocation. Outbound requests go to vitest-pool-workers' fetchMock (no network).
 */
import { createExecutionContext, createScheduledController, env, fetchMock } from "cloudflare:test"
import { X509CertificateParser } from "@certory/certificate-parser"
import { CertificateStore, Ids, Owner } from "@certory/domain"
import { D1CertificateStore } from "@certory/storage-d1"
import { Fixtures } from "@certory/testing"
import { Effect, Encoding } from "effect"
import { describe, expect, it } from "vitest"
import { makeWorker, type WorkerEnv } from "../../src/worker.js"
import { ADMIN, ORIGIN } from "./support.js"

const metadata = (der: Uint8Array) => `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.cron.example/">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>${Encoding.encodeBase64(der)}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.cron.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`

const controller = () => createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" })

describe("the Worker's Cron Trigger in workerd", () => {
  it("one invocation syncs an IdP's metadata on D1; the certificate is then on the Huawei list", async () => {
    const signing = await Effect.runPromise(
      X509CertificateParser.make
        .parse(Fixtures.input(Fixtures.names.ed448))
        .pipe(Effect.map((all) => all[0]!))
    )
    fetchMock.activate()
    fetchMock.disableNetConnect()
    fetchMock
      .get("https://idp.cron.example")
      .intercept({ path: "/metadata" })
      .reply(200, metadata(signing.der))

    const idp = Ids.IdpRef.make({
      identityStoreId: Ids.IdentityStoreId.make("d-cron000001"),
      idpId: Ids.IdpId.make("idp-cron")
    })
    await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* CertificateStore.CertificateStore
        const owner = (ref: Ids.OwnerRef, extra: { metadataUrl?: string } = {}) =>
          store.createOwner(
            Owner.Owner.make({ ref, enabled: true, createdAt: 0, createdBy: "test", ...extra })
          )
        yield* owner(Ids.IdentityStoreRef.make({ id: idp.identityStoreId }))
        yield* owner(idp, { metadataUrl: "https://idp.cron.example/metadata" })
      }).pipe(
        Effect.provide(
          D1CertificateStore.layerStores(env.DB as Parameters<typeof D1CertificateStore.layerStores>[0])
        )
      )
    )

    const worker = makeWorker()
    const workerEnv = { DB: env.DB, CERTORY_ADMIN_TOKEN: ADMIN, CERTORY_RETRIES: "0" } as WorkerEnv
    await worker.scheduled(controller(), workerEnv, createExecutionContext())

    const listed = await worker.fetch(
      new Request(`${ORIGIN}/v1/identity-stores/d-cron000001/external-idp/idp-cron/certificate`, {
        headers: { "X-Security-Token": ADMIN }
      }),
      workerEnv
    )
    expect(listed.status).toBe(200)
    const body = (await listed.json()) as { idp_certificates: Array<{ public_key: string }> }
    expect(body.idp_certificates.map((c) => c.public_key)).toEqual([signing.publicKey.spki])
    fetchMock.deactivate()
  })

  it("bad settings or a missing D1 fail the invocation", async () => {
    const worker = makeWorker()
    await expect(
      worker.scheduled(
        controller(),
        { DB: env.DB, CERTORY_NOTIFY_THRESHOLDS: "0" } as WorkerEnv,
        createExecutionContext()
      )
    ).rejects.toThrow(/could not run/)
    await expect(worker.scheduled(controller(), {} as WorkerEnv, createExecutionContext())).rejects.toThrow(
      /D1 binding DB is missing/
    )
  })
})
