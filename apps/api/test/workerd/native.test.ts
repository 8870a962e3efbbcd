/**
 * The native API (/api/v1) of the Worker inside workerd, on D1: every route's happy path (owners,
 * certificates in each body form and each download form, lookup, expiring, tokens, templates), 401 / 403 /
 * 404, and the limits (a body over 1 MiB is 413, also when streamed without a length; more than 1,000 PEM
 * blocks is 400).
 */
import { describe, expect, it } from "vitest"
import {
  ADMIN,
  admin,
  call,
  createOwner,
  expectProblem,
  expectStatus,
  facts,
  fixture,
  guid,
  type Imported,
  importFixture,
  pem,
  V1
} from "./support.js"

const CARD = `smartcards/${guid(1)}`

interface Page {
  items: Array<{ certificateId: string; certificate: { sha256: string; sha1: string } }>
  total: number
  nextCursor?: string
}

describe("native API in workerd", () => {
  it("owners: PUT (201 + Location, then 200), GET, PATCH, list, DELETE (204)", async () => {
    const created = await createOwner(CARD, { displayName: "Alice's card" })
    expect(created.headers.get("location")).toBe(`${V1}/${CARD}`)
    expect((await admin("PUT", `${V1}/${CARD}`)).status).toBe(200)
    const read = (await (await expectStatus(await admin("GET", `${V1}/${CARD}`), 200)).json()) as Record<
      string,
      unknown
    >
    expect(read).toMatchObject({ displayName: "Alice's card" })
    const patched = await expectStatus(
      await admin("PATCH", `${V1}/${CARD}`, { body: { displayName: "Bob" } }),
      200
    )
    expect(await patched.json()).toMatchObject({ displayName: "Bob" })
    await createOwner("identity-stores/d-1")
    await createOwner("identity-stores/d-1/idps/a", { enabled: true })
    const listed = (await (await expectStatus(await admin("GET", `${V1}/owners`), 200)).json()) as {
      items: Array<{ key: string }>
    }
    expect(listed.items.map((o) => o.key).sort()).toEqual(
      ["identity-store:d-1", "idp:d-1/a", `smartcard:${guid(1)}`].sort()
    )
    expect((await admin("DELETE", `${V1}/${CARD}`)).status).toBe(204)
    await expectProblem(await admin("GET", `${V1}/${CARD}`), 404, "owner_not_found")
  })

  it("certificates: import PEM, DER, PKCS#7 and JSON; list (ETag, 304); one as JSON, PEM, DER; unbind", async () => {
    await createOwner(CARD)
    const fromPem = await importFixture(CARD, "rsa")
    expect(fromPem.items.map((i) => i.outcome)).toEqual(["created"])
    await importFixture(CARD, "adcsUserDer")
    const p7 = fixture("pkcs7")
    const fromP7 = await expectStatus(
      await admin("POST", `${V1}/${CARD}/certificates`, {
        body: p7,
        type: typeof p7 === "string" ? "application/x-pem-file" : "application/pkcs7-mime"
      }),
      201
    )
    expect(((await fromP7.json()) as Imported).items).toHaveLength((await facts("pkcs7")).length)
    const fromJson = await expectStatus(
      await admin("POST", `${V1}/${CARD}/certificates`, { body: { pem: pem("ec"), isKeyHistory: true } }),
      201
    )
    const ec = ((await fromJson.json()) as Imported).items[0]!
    // The same certificate again: 200, already bound.
    const again = await expectStatus(
      await admin("POST", `${V1}/${CARD}/certificates`, { body: { pem: pem("ec") } }),
      200
    )
    expect(((await again.json()) as Imported).items[0]!.outcome).toBe("alreadyBound")

    const listResponse = await expectStatus(await admin("GET", `${V1}/${CARD}/certificates?limit=1000`), 200)
    const page = (await listResponse.json()) as Page
    // The chain holds the rsa leaf again: distinct certificates count once.
    const distinct = new Set<string>()
    for (const name of ["rsa", "adcsUserDer", "pkcs7", "ec"] as const) {
      for (const c of await facts(name)) distinct.add(c.sha256)
    }
    expect(page.total).toBe(distinct.size)
    expect(page.items.map((i) => i.certificateId)).toContain(ec.certificateId)
    const etag = listResponse.headers.get("etag")!
    expect(
      (await admin("GET", `${V1}/${CARD}/certificates?limit=1000`, { headers: { "If-None-Match": etag } }))
        .status
    ).toBe(304)
    const keyHistory = (await (
      await admin("GET", `${V1}/${CARD}/certificates?keyHistory=only`)
    ).json()) as Page
    expect(keyHistory.items.map((i) => i.certificateId)).toEqual([ec.certificateId])

    const one = `${V1}/${CARD}/certificates/${ec.certificateId}`
    const asJson = (await (await expectStatus(await admin("GET", one), 200)).json()) as { pem: string }
    expect(asJson.pem).toContain("-----BEGIN CERTIFICATE-----")
    const asPem = await expectStatus(
      await admin("GET", one, { headers: { Accept: "application/x-pem-file" } }),
      200
    )
    expect(await asPem.text()).toBe(asJson.pem)
    const asDer = await expectStatus(
      await admin("GET", one, { headers: { Accept: "application/pkix-cert" } }),
      200
    )
    const der = new Uint8Array(await asDer.arrayBuffer())
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", der))
    const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("")
    expect(hex.toUpperCase()).toBe(ec.certificate.sha256.toUpperCase())

    expect((await admin("DELETE", one)).status).toBe(200)
    await expectProblem(await admin("GET", one), 404, "certificate_not_found")
  })

  it("lookup by fingerprint and expiring report across owners", async () => {
    await createOwner(CARD)
    await createOwner(`profiles/${guid(2)}`)
    const [imported] = (await importFixture(CARD, "ec")).items
    await importFixture(`profiles/${guid(2)}`, "ec")
    const lookup = await expectStatus(
      await admin("GET", `${V1}/certificates?lookup=${imported!.certificate.sha256.toLowerCase()}`),
      200
    )
    const found = (await lookup.json()) as { items: Array<{ bindings: Array<{ owner: { key: string } }> }> }
    expect(found.items).toHaveLength(1)
    expect(found.items[0]!.bindings.map((b) => b.owner.key).sort()).toEqual(
      [`profile:${guid(2)}`, `smartcard:${guid(1)}`].sort()
    )
    const [ec] = await facts("ec")
    const expiring = (await (
      await expectStatus(await admin("GET", `${V1}/expiring?within=36500%20days`), 200)
    ).json()) as Page
    const validNow = ec!.notBefore <= Date.now() && Date.now() <= ec!.notAfter
    expect(expiring.items).toHaveLength(validNow ? 2 : 0)
  })

  it("tokens: create (secret once, no-store), list, use within the grant (403 outside), revoke (then 401)", async () => {
    await createOwner(CARD)
    await createOwner(`smartcards/${guid(2)}`)
    const created = await expectStatus(
      await admin("POST", `${V1}/tokens`, {
        body: { name: "reader", grant: { role: "OwnerReader", owners: [`smartcard:${guid(1)}`] } }
      }),
      201
    )
    expect(created.headers.get("cache-control")).toBe("no-store")
    const { token, secret } = (await created.json()) as { token: { id: string }; secret: string }
    expect(secret).toMatch(/^cty_/)
    const listed = (await (await expectStatus(await admin("GET", `${V1}/tokens`), 200)).json()) as {
      items: Array<Record<string, unknown>>
    }
    expect(listed.items.map((t) => t.id)).toContain(token.id)
    expect(JSON.stringify(listed)).not.toContain(secret)

    expect((await call("GET", `${V1}/${CARD}`, { token: secret })).status).toBe(200)
    await expectProblem(await call("GET", `${V1}/smartcards/${guid(2)}`, { token: secret }), 403, "forbidden")
    await expectProblem(await call("GET", `${V1}/smartcards/${guid(3)}`, { token: secret }), 403, "forbidden")
    await expectProblem(await call("GET", `${V1}/tokens`, { token: secret }), 403, "forbidden")
    await expectStatus(await admin("DELETE", `${V1}/tokens/${token.id}`), 200)
    await expectProblem(await call("GET", `${V1}/${CARD}`, { token: secret }), 401, "unauthenticated")
  })

  it("templates: PUT names an OID (MIM then shows the name), GET, list, DELETE (204)", async () => {
    await createOwner(CARD)
    await importFixture(CARD, "adcsUserDer")
    const [user] = await facts("adcsUserDer")
    const oid = user!.template!.oid
    await expectStatus(await admin("PUT", `${V1}/templates/${oid}`, { body: { name: "CorpUser" } }), 200)
    expect(
      await (await expectStatus(await admin("GET", `${V1}/templates/${oid}`), 200)).json()
    ).toMatchObject({
      oid,
      name: "CorpUser"
    })
    const list = (await (await expectStatus(await admin("GET", `${V1}/templates`), 200)).json()) as {
      items: Array<{ oid: string }>
    }
    expect(list.items.map((t) => t.oid)).toEqual([oid])
    const mim = await admin("GET", `/CertificateManagement/api/v1.0/smartcards/${guid(1)}/certificates`)
    expect(((await mim.json()) as Array<{ TemplateCommonName: string }>)[0]!.TemplateCommonName).toBe(
      "CorpUser"
    )
    expect((await admin("DELETE", `${V1}/templates/${oid}`)).status).toBe(204)
    await expectProblem(await admin("GET", `${V1}/templates/${oid}`), 404, "template_not_found")
  })

  it("401 without or with an unknown token; 404 for an unknown route", async () => {
    await expectProblem(await call("GET", `${V1}/owners`), 401, "unauthenticated")
    await expectProblem(
      await call("GET", `${V1}/owners`, { token: "cty_not-a-token" }),
      401,
      "unauthenticated"
    )
    const missing = await admin("GET", `${V1}/no-such-route`)
    expect(missing.status).toBe(404)
  })

  it("limits: over 1 MiB is 413 (with a length, and streamed without one); 1,001 PEM blocks is 400", async () => {
    await createOwner(CARD)
    const big = new Uint8Array(1024 * 1024 + 1).fill(0x41)
    await expectProblem(
      await admin("POST", `${V1}/${CARD}/certificates`, { body: big, type: "application/octet-stream" }),
      413,
      "payload_too_large"
    )
    // A chunked body: no Content-Length to refuse it by, so the limit counts what arrives.
    const chunk = new Uint8Array(64 * 1024).fill(0x41)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * 1024 * 1024) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      }
    })
    await expectProblem(
      await admin("POST", `${V1}/${CARD}/certificates`, { body: stream, type: "application/octet-stream" }),
      413,
      "payload_too_large"
    )
    const many = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".repeat(1001)
    await expectProblem(
      await admin("POST", `${V1}/${CARD}/certificates`, { body: many, type: "text/plain" }),
      400,
      "too_many_pem_blocks"
    )
    const listed = (await (await admin("GET", `${V1}/${CARD}/certificates`)).json()) as Page
    expect(listed.total).toBe(0)
    expect(ADMIN).not.toBe("")
  })
})
