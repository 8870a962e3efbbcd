/**
 * A version 4 certificate (zlint's certVersion4WithExtension, the parser reads it with a warning) is
 * imported as `inspect` reads it, and listed with its version in JSON and the Huawei body. SQLite.
 */
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { certory, SMART_CARD, tempDir } from "./support.js"

const V4 = fileURLToPath(new URL("../../../packages/testing/fixtures/v4.pem", import.meta.url))
const IDP = "idp:d-66f1a2b3b80/idp-v4"

describe("a version 4 certificate", { timeout: 600_000 }, () => {
  it("import stores what inspect accepts", async () => {
    const db = ["--db", join(tempDir(), "certory.sqlite")]
    const inspected = await certory(["inspect", V4])
    expect(inspected.status).toBe(0)

    const imported = await certory(["import", SMART_CARD, V4, "--create-owner", "--json", ...db])
    expect(imported.stderr).toBe("")
    expect(imported.status).toBe(0)
    const [one] = JSON.parse(imported.stdout) as Array<{ outcome: string; certificate: { version: number } }>
    expect(one?.outcome).toBe("created")
    expect(one?.certificate.version).toBe(4)

    const listed = await certory(["list", SMART_CARD, "--json", ...db])
    const page = JSON.parse(listed.stdout) as { items: Array<{ certificate: { version: number } }> }
    expect(page.items.map((item) => item.certificate.version)).toEqual([4])

    // An IdP takes it too (valid to 2040, no key usage restricting signing), and the Huawei body
    // carries the version as the number it is; the MIM body (no version field) decodes as usual.
    expect((await certory(["owners", "add", "identity-store:d-66f1a2b3b80", ...db])).status).toBe(0)
    expect((await certory(["owners", "add", IDP, ...db])).status).toBe(0)
    const idpImport = await certory(["import", IDP, V4, ...db])
    expect(idpImport.stderr).toBe("")
    expect(idpImport.status).toBe(0)
    const [huawei, mim] = await Promise.all([
      certory(["list", IDP, "--format", "huawei", ...db]),
      certory(["list", IDP, "--format", "mim", ...db])
    ])
    const body = JSON.parse(huawei.stdout) as { idp_certificates: Array<{ version: number }> }
    expect(body.idp_certificates.map((c) => c.version)).toEqual([4])
    expect(JSON.parse(mim.stdout)).toEqual([
      expect.objectContaining({ Thumbprint: "5A28AD8277A6C482B5CA38754C34727FD9A59452" })
    ])
  })
})
