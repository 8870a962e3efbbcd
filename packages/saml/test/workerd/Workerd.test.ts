/**
 * The package, unchanged, inside workerd (no nodejs_compat): real metadata parses to the same facts as in
 * Node, and a DOCTYPE is refused. The Node suites hold the full behaviour; this proves the runtime.
 */
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { parseIdpMetadata } from "../../src/index.js"

describe("in workerd", () => {
  it("runs in workerd, not Node", () => {
    // vitest-pool-workers shims a small `process` for vitest itself; the user agent is workerd's own.
    expect(navigator.userAgent).toBe("Cloudflare-Workers")
  })

  it("parses AD FS metadata", () => {
    const outcome = parseIdpMetadata(env.ADFS_METADATA)
    if (outcome._tag !== "Parsed") expect.fail(`${outcome.error.code}: ${outcome.error.message}`)
    const m = outcome.metadata
    expect(m.entityId).toBe("http://adfs.server.url/adfs/services/trust")
    expect(m.loginUrl).toBe("https://adfs.server.url/adfs/ls/")
    expect(m.signingCertificates).toHaveLength(1)
    expect(m.signingCertificates[0]).toBeInstanceOf(Uint8Array)
    expect(m.signingCertificates[0]!.length).toBe(736)
    expect(m.encryptionCertificates[0]!.length).toBe(742)
  })

  it("picks the IdP of an aggregate", () => {
    const outcome = parseIdpMetadata(env.TESTSHIB_METADATA)
    expect(outcome._tag === "Parsed" && outcome.metadata.entityId).toBe(
      "https://idp.testshib.org/idp/shibboleth"
    )
  })

  it("refuses a DOCTYPE and deep nesting with typed errors", () => {
    const xxe = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${env.ADFS_METADATA}`
    expect(parseIdpMetadata(xxe)).toMatchObject({ _tag: "Failed", error: { code: "DoctypeForbidden" } })
    const deep = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">${"<x>".repeat(50_000)}`
    expect(parseIdpMetadata(deep)).toMatchObject({ _tag: "Failed", error: { code: "TooDeep" } })
  })
})
