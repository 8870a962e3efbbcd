/**
 * `certory templates` and `certory tokens` end to end on SQLite and PostgreSQL: the secret is printed
 * once and authenticates (checked through the domain over the same store), lists never show it, revoking
 * ends it; template names are added, renamed, listed and removed; misuse is one line and exit 1.
 */
import { join } from "node:path"
import { type TokenStore, Tokens } from "@certory/domain"
import { PgCertificateStore } from "@certory/storage-pg"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import { Effect, Either, type Layer } from "effect"
import { describe, expect, it } from "vitest"
import { certory, IDP_OWNER, oneLine, SMART_CARD, tempDir, withPgSchema } from "./support.js"

const OID = "1.3.6.1.4.1.311.21.8.1.2"

type Stores = Layer.Layer<TokenStore.TokenStore>

const authenticates = (layer: Stores, secret: string) =>
  Effect.runPromise(Effect.either(Tokens.authenticate(secret)).pipe(Effect.provide(layer)))

const scenario = async (store: ReadonlyArray<string>, layer: () => Stores) => {
  expect((await certory(["migrate", ...store])).status).toBe(0)

  const created = await certory([
    "tokens",
    "create",
    "--name",
    "monitoring",
    "--role",
    "reader",
    "--owner",
    IDP_OWNER,
    "--owner",
    SMART_CARD,
    "--expires",
    "90d",
    "--json",
    ...store
  ])
  expect(created.stderr).toBe("")
  expect(created.status).toBe(0)
  const { token, secret } = JSON.parse(created.stdout) as {
    token: { id: string; name: string; grant: unknown; createdAt: string; expiresAt: string }
    secret: string
  }
  expect(secret).toMatch(/^cty_[A-Za-z0-9_-]{43}$/)
  expect(token.name).toBe("monitoring")
  expect(token.grant).toEqual({ _tag: "OwnerReader", owners: [expect.anything(), expect.anything()] })
  const lifetime = Date.parse(token.expiresAt) - Date.parse(token.createdAt)
  expect(lifetime).toBe(90 * 24 * 3_600_000)

  const principal = await authenticates(layer(), secret)
  expect(Either.isRight(principal)).toBe(true)
  if (Either.isRight(principal)) expect(principal.right.grants[0]?._tag).toBe("OwnerReader")

  const [admin, listed, misuse, noOwner] = await Promise.all([
    certory(["tokens", "create", "--name", "ops", "--role", "administrator", ...store]),
    certory(["tokens", "list", "--json", ...store]),
    certory(["tokens", "create", "--name", "x", "--role", "administrator", "--owner", SMART_CARD, ...store]),
    certory(["tokens", "create", "--name", "x", "--role", "delegated-administrator", ...store])
  ])
  expect(admin.stdout).toMatch(/^created token [0-9a-f-]{36} "ops": administrator, until revoked\n/)
  expect(admin.stdout).toMatch(/\nsecret \(shown only now; .*\): cty_[A-Za-z0-9_-]{43}\n$/)
  const tokens = JSON.parse(listed.stdout) as Array<{ id: string }>
  expect(tokens.map((t) => t.id)).toContain(token.id)
  expect(listed.stdout).not.toContain(secret)
  expect(listed.stdout).not.toContain("cty_")
  expect(misuse.stderr).toBe(
    "certory tokens create: --owner is for --role operator or reader, not administrator\n"
  )
  expect(noOwner.stderr).toBe(
    "certory tokens create: --role delegated-administrator needs --identity-store ID\n"
  )
  for (const run of [misuse, noOwner]) expect(run.status).toBe(1)

  const revoked = await certory(["tokens", "revoke", token.id, "--yes", ...store])
  expect(revoked.stdout).toMatch(new RegExp(`^revoked token ${token.id} "monitoring" \\(at \\d{4}-`))
  const after = await authenticates(layer(), secret)
  expect(Either.isLeft(after) && after.left._tag).toBe("Unauthenticated")
  const table = await certory(["tokens", "list", ...store])
  expect(table.stdout).toMatch(new RegExp(`${token.id}\\s+monitoring\\s+reader of \\S+, \\S+\\s+revoked\\s`))
  const unknown = await certory([
    "tokens",
    "revoke",
    "00000000-0000-0000-0000-000000000000",
    "--yes",
    ...store
  ])
  expect(unknown.status).toBe(1)
  expect(oneLine(unknown.stderr)).toBe(true)

  // Templates: add, rename, list, remove; removing again is an error.
  for (const name of ["Smartcard Logon", "SmartcardLogon"]) {
    const added = await certory(["templates", "add", OID, name, ...store])
    expect(added.stdout).toBe(`${OID} is named ${JSON.stringify(name)}\n`)
  }
  const [json, text, badOid] = await Promise.all([
    certory(["templates", "list", "--json", ...store]),
    certory(["templates", "list", ...store]),
    certory(["templates", "add", "not-an-oid", "X", ...store])
  ])
  expect(JSON.parse(json.stdout)).toEqual([
    { oid: OID, name: "SmartcardLogon", updatedAt: expect.any(String), updatedBy: "test-admin" }
  ])
  expect(text.stdout).toMatch(
    new RegExp(`^OID\\s+NAME\\s+UPDATED\\s+BY\\n${OID.replaceAll(".", "\\.")}\\s+SmartcardLogon\\s`)
  )
  expect(badOid.status).toBe(1)
  expect(oneLine(badOid.stderr)).toBe(true)
  expect((await certory(["templates", "remove", OID, "--yes", ...store])).stdout).toBe(
    `removed template ${OID}\n`
  )
  const again = await certory(["templates", "remove", OID, "--yes", ...store])
  expect(again.stderr).toBe(`certory templates remove: no template name is registered for ${OID}\n`)
  expect(again.status).toBe(1)
  expect((await certory(["templates", "list", ...store])).stdout).toBe("no template names\n")
}

describe("certory templates and tokens", { timeout: 600_000 }, () => {
  it("SQLite", async () => {
    const file = join(tempDir(), "certory.sqlite")
    await scenario(["--db", file], () => SqliteCertificateStore.layerStores({ filename: file }))
  })

  it("PostgreSQL", async () => {
    await withPgSchema((url) => scenario(["--store", url], () => PgCertificateStore.layerStores({ url })))
  })
})
