/**
 * `certory list --format`: json (and --json), mim and huawei exactly as the compatibility bodies (decoded
 * with the domain's wire schemas, checked against Node's X.509 parser), pem as a bundle Node reads back;
 * every certificate without --limit, one page with it.
 */
import { X509Certificate } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Huawei, MimCm } from "@certory/domain"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { certory, DC, IDENTITY_STORE, IDP, IDP_OWNER, SMART_CARD, tempDir, USER } from "./support.js"

const x509 = (path: string) => new X509Certificate(readFileSync(path))
const sha1 = (path: string) => x509(path).fingerprint.replaceAll(":", "")

describe("certory list --format", { timeout: 300_000 }, () => {
  it("json, mim, huawei and pem over all pages; --limit gives one page", async () => {
    const db = join(tempDir(), "certory.sqlite")
    const store = ["--db", db]
    expect((await certory(["import", SMART_CARD, USER, DC, "--create-owner", ...store])).status).toBe(0)
    expect((await certory(["owners", "add", IDENTITY_STORE, ...store])).status).toBe(0)
    expect((await certory(["import", IDP_OWNER, IDP, "--create-owner", ...store])).status).toBe(0)
    const [json, shorthand, mim, huawei, pem, limited, both, emptyMim] = await Promise.all([
      certory(["list", SMART_CARD, "--format", "json", ...store]),
      certory(["list", SMART_CARD, "--json", ...store]),
      certory(["list", SMART_CARD, "--format", "mim", ...store]),
      certory(["list", IDP_OWNER, "--format", "huawei", ...store]),
      certory(["list", SMART_CARD, "--format", "pem", ...store]),
      certory(["list", SMART_CARD, "--limit", "1", "--json", ...store]),
      certory(["list", SMART_CARD, "--json", "--format", "pem", ...store]),
      certory(["list", SMART_CARD, "--validity", "valid", "--format", "mim", ...store])
    ])
    for (const run of [json, shorthand, mim, huawei, pem, limited, emptyMim]) {
      expect(run.stderr).toBe("")
      expect(run.status).toBe(0)
    }
    expect(shorthand.stdout).toBe(json.stdout)
    const page = JSON.parse(json.stdout) as { items: Array<unknown>; total: number; nextCursor?: string }
    expect(page.items).toHaveLength(2)
    expect(page.nextCursor).toBeUndefined()
    const one = JSON.parse(limited.stdout) as typeof page
    expect(one.items).toHaveLength(1)
    expect(one.total).toBe(2)
    expect(one.nextCursor).toEqual(expect.any(String))

    // MIM: the wire body, compact, one line; fields as MIM CM names them.
    expect(mim.stdout.trim().split("\n")).toHaveLength(1)
    const mimBody = Schema.decodeUnknownSync(MimCm.X509ClmCertificateList)(JSON.parse(mim.stdout))
    expect(JSON.stringify(Schema.encodeSync(MimCm.X509ClmCertificateList)(mimBody))).toBe(mim.stdout.trim())
    expect(mimBody.map((c) => c.Thumbprint).sort()).toEqual([sha1(USER), sha1(DC)].sort())
    const dc = mimBody.find((c) => c.Thumbprint === sha1(DC))
    expect(dc?.TemplateCommonName).toBe("DomainController")
    expect(dc?.SerialNumber).toBe(x509(DC).serialNumber.toUpperCase())
    // An empty MIM list is no body at all (the API answers 204).
    expect(emptyMim.stdout).toBe("")

    // Huawei: the external IdP certificate list body.
    const huaweiBody = Schema.decodeUnknownSync(Huawei.ListIdpCertificatesResponse)(JSON.parse(huawei.stdout))
    expect(huaweiBody.idp_certificates).toHaveLength(1)
    expect(JSON.stringify(Schema.encodeSync(Huawei.ListIdpCertificatesResponse)(huaweiBody))).toBe(
      huawei.stdout.trim()
    )

    // PEM: a bundle Node reads back as the same certificates.
    const blocks = pem.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    expect(blocks.map((block) => new X509Certificate(block).fingerprint.replaceAll(":", "")).sort()).toEqual(
      [sha1(USER), sha1(DC)].sort()
    )

    expect(both.status).toBe(1)
    expect(both.stderr).toBe("certory list: --json and --format pem disagree: give one\n")
  })
})
