/**
 * Destructive commands say what they would remove and, with stdin not a terminal (as here: a pipe),
 * refuse without --yes: one line, exit 1, nothing removed. With --yes they remove it. SQLite.
 */
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { certory, DC, IDENTITY_STORE, IDP, oneLine, SMART_CARD, tempDir, USER } from "./support.js"

const OID = "1.3.6.1.4.1.311.21.8.1.2"
const IDP_A = "idp:d-66f1a2b3b80/idp-a"
const IDP_B = "idp:d-66f1a2b3b80/idp-b"

const ok = async (args: ReadonlyArray<string>) => {
  const run = await certory(args)
  expect(run.stderr).toBe("")
  expect(run.status).toBe(0)
  return run
}

const refused = async (args: ReadonlyArray<string>, command: string, what: string | RegExp) => {
  const run = await certory(args)
  expect(run.status).toBe(1)
  expect(run.stdout).toBe("")
  expect(oneLine(run.stderr)).toBe(true)
  const prefix = `certory ${command}: this would remove `
  const suffix = "; nothing removed: add --yes to confirm (stdin is not a terminal)\n"
  expect(run.stderr.startsWith(prefix) && run.stderr.endsWith(suffix)).toBe(true)
  const said = run.stderr.slice(prefix.length, -suffix.length)
  if (typeof what === "string") expect(said).toBe(what)
  else expect(said).toMatch(what)
}

describe("destructive commands off a terminal", { timeout: 600_000 }, () => {
  it("owners remove, unbind, tokens revoke and templates remove need --yes", async () => {
    const db = ["--db", join(tempDir(), "certory.sqlite")]
    await ok(["owners", "add", IDENTITY_STORE, ...db])
    await Promise.all([ok(["owners", "add", IDP_A, ...db]), ok(["owners", "add", IDP_B, ...db])])
    await Promise.all([
      ok(["import", IDP_A, IDP, USER, ...db]),
      ok(["import", IDP_B, DC, ...db]),
      ok(["import", SMART_CARD, USER, "--create-owner", ...db])
    ])
    const created = await ok(["tokens", "create", "--name", "ci", "--role", "administrator", "--json", ...db])
    const tokenId = (JSON.parse(created.stdout) as { token: { id: string } }).token.id
    await ok(["templates", "add", OID, "SmartcardLogon", ...db])
    const listed = await ok(["list", SMART_CARD, "--json", ...db])
    const certificateId = (
      JSON.parse(listed.stdout) as { items: Array<{ binding: { certificateId: string } }> }
    ).items[0]!.binding.certificateId

    await refused(
      ["owners", "remove", IDENTITY_STORE, ...db],
      "owners remove",
      `${IDENTITY_STORE} and its 0 certificate bindings, and its 2 IdPs and their 3 certificate bindings`
    )
    await refused(
      ["owners", "remove", IDP_B, ...db],
      "owners remove",
      `${IDP_B} and its 1 certificate binding`
    )
    await refused(
      ["unbind", SMART_CARD, certificateId, ...db],
      "unbind",
      new RegExp(`^certificate ${certificateId} \\(.*CN=t u.*\\) from ${SMART_CARD}$`)
    )
    await refused(
      ["tokens", "revoke", tokenId, ...db],
      "tokens revoke",
      `the API token ${tokenId} "ci" (its clients lose access)`
    )
    await refused(
      ["templates", "remove", OID, ...db],
      "templates remove",
      `the template name "SmartcardLogon" of ${OID}`
    )

    // Nothing was removed.
    const [owners, cards, tokens, names] = await Promise.all([
      ok(["owners", "list", "--json", ...db]),
      ok(["list", SMART_CARD, "--json", ...db]),
      ok(["tokens", "list", "--json", ...db]),
      ok(["templates", "list", "--json", ...db])
    ])
    expect((JSON.parse(owners.stdout) as { total: number }).total).toBe(4)
    expect((JSON.parse(cards.stdout) as { total: number }).total).toBe(1)
    const [token] = JSON.parse(tokens.stdout) as Array<{ id: string; revokedAt?: string }>
    expect(token?.id).toBe(tokenId)
    expect(token?.revokedAt).toBeUndefined()
    expect((JSON.parse(names.stdout) as Array<unknown>).length).toBe(1)

    // A missing target is its own error, not a question.
    const gone = await certory(["owners", "remove", "idp:d-66f1a2b3b80/idp-gone", ...db])
    expect(gone.status).toBe(1)
    expect(gone.stderr).toBe("certory owners remove: owner idp:d-66f1a2b3b80/idp-gone does not exist\n")

    // --yes (and -y) go ahead.
    expect((await ok(["owners", "remove", IDENTITY_STORE, "--yes", ...db])).stdout).toBe(
      `removed ${IDENTITY_STORE}\n`
    )
    expect((await ok(["unbind", SMART_CARD, certificateId, "-y", ...db])).stdout).toBe(
      `unbound ${certificateId} from ${SMART_CARD}\n`
    )
    expect((await ok(["tokens", "revoke", tokenId, "--yes", ...db])).stdout).toMatch(/^revoked token /)
    expect((await ok(["templates", "remove", OID, "--yes", ...db])).stdout).toBe(`removed template ${OID}\n`)
    const after = await ok(["owners", "list", "--json", ...db])
    expect((JSON.parse(after.stdout) as { items: Array<{ ref: string }> }).items.map((o) => o.ref)).toEqual([
      SMART_CARD
    ])
  })
})
