/**
 * The jobs as a Cron invocation would run them, inside workerd (no nodejs_compat) on D1: the same
 * use-cases, the fetch-based metadata fetcher, the SAML reader, the WebCrypto-signed webhook. Outbound
 * requests go to vitest-pool-workers' fetchMock (no network). The Node suites hold the full behaviour;
 * this proves the runtime.
 */
import { env, fetchMock } from "cloudflare:test"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, CertificateStore, Ids, JobStore, Owner } from "@certory/domain"
import { D1CertificateStore } from "@certory/storage-d1"
import { Fixtures } from "@certory/testing"
import { Effect, Encoding, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { Scheduled } from "../../src/index.js"

const DAY = 86_400_000

const metadata = (der: Uint8Array) => `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.workerd.example/">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>${Encoding.encodeBase64(der)}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.workerd.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`

const hmacHex = async (secret: string, body: string) => {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"]
  )
  return Encoding.encodeHex(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)))
  )
}

describe("the jobs in workerd", () => {
  it("runs in workerd, not Node", () => {
    expect(navigator.userAgent).toBe("Cloudflare-Workers")
  })

  it("one Cron invocation syncs an IdP and posts a signed notice, on D1", async () => {
    const parse = (file: string) =>
      Effect.runPromise(
        X509CertificateParser.make.parse(Fixtures.input(file)).pipe(Effect.map((all) => all[0]!))
      )
    const signing = await parse(Fixtures.names.ed448)
    const expiring = await parse(Fixtures.names.ed25519)
    const threshold = Math.ceil((expiring.notAfter - Date.now()) / DAY) + 1

    fetchMock.activate()
    fetchMock.disableNetConnect()
    fetchMock
      .get("https://idp.workerd.example")
      .intercept({ path: "/metadata" })
      .reply(200, metadata(signing.der), {
        headers: { etag: '"w1"' }
      })
    const bodies: Array<{ readonly body: string; readonly signature: unknown }> = []
    fetchMock
      .get("https://hooks.workerd.example")
      .intercept({ path: "/hook", method: "POST" })
      .reply(200, (request) => {
        bodies.push({ body: String(request.body), signature: request.headers?.["x-certory-signature"] })
        return ""
      })

    const stores = D1CertificateStore.layerStores(
      env.DB as Parameters<typeof D1CertificateStore.layerStores>[0]
    )
    const idp = Ids.IdpRef.make({
      identityStoreId: Ids.IdentityStoreId.make("d-7777777777"),
      idpId: Ids.IdpId.make("idp-w")
    })
    const card = Ids.SmartCardRef.make({ id: "00000000-0000-4000-8000-00000000000d" as Ids.Guid })
    const program = Effect.gen(function* () {
      const store = yield* CertificateStore.CertificateStore
      const owner = (ref: Ids.OwnerRef, extra: { metadataUrl?: string } = {}) =>
        store.createOwner(Owner.Owner.make({ ref, enabled: true, createdAt: 0, createdBy: "test", ...extra }))
      yield* owner(Ids.IdentityStoreRef.make({ id: idp.identityStoreId }))
      yield* owner(idp, { metadataUrl: "https://idp.workerd.example/metadata" })
      yield* owner(card)
      yield* store.bind({
        owner: card,
        items: [
          {
            certificate: expiring,
            attributes: Certificate.BindingAttributes.make({}),
            certificateId: Ids.CertificateId.make(crypto.randomUUID())
          }
        ],
        boundBy: "test",
        boundAt: 0
      })
      const results = yield* Scheduled.run({
        DB: env.DB,
        CERTORY_WEBHOOK_URL: "https://hooks.workerd.example/hook",
        CERTORY_WEBHOOK_SECRET: "workerd-secret",
        CERTORY_NOTIFY_THRESHOLDS: String(threshold),
        CERTORY_RETRIES: "0"
      })
      const jobs = yield* JobStore.JobStore
      const held = yield* store.listBindings({
        owner: idp,
        sort: { field: "boundAt", direction: "asc" },
        limit: 10
      })
      return { results, held: held.items.map((i) => i.certificate.sha256), sync: yield* jobs.getIdpSync(idp) }
    }).pipe(Effect.provide(Layer.merge(stores, X509CertificateParser.layer)))
    const { results, held, sync } = await Effect.runPromise(program)

    expect(results.map((r) => r.ok)).toEqual([true, true])
    expect(results[0]!.lines).toContain(`sync ${Ids.ownerKey(idp)}: synced, HTTP 200, 1 added`)
    expect(held).toEqual([signing.sha256])
    expect(Option.getOrThrow(sync)).toMatchObject({ outcome: "synced", etag: '"w1"' })
    expect(bodies).toHaveLength(1)
    expect(bodies[0]!.signature).toBe(`sha256=${await hmacHex("workerd-secret", bodies[0]!.body)}`)
    const payload = JSON.parse(bodies[0]!.body)
    expect(payload).toMatchObject({
      version: 1,
      thresholdDays: threshold,
      certificate: { sha256: expiring.sha256 }
    })
  })

  it("bad settings fail the invocation with one line", async () => {
    const error = await Effect.runPromise(
      Effect.flip(Scheduled.run({ CERTORY_NOTIFY_THRESHOLDS: "0" })).pipe(
        Effect.provide(
          Layer.merge(
            D1CertificateStore.layerStores(env.DB as Parameters<typeof D1CertificateStore.layerStores>[0]),
            X509CertificateParser.layer
          )
        )
      )
    )
    expect(error).toBeInstanceOf(Scheduled.InvalidSettings)
    expect(error.message).toMatch(/threshold/)
  })
})
