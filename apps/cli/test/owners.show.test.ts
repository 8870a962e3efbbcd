/**
 * `certory owners show`: the owner with its certificate counts, an identity store's IdPs, an IdP's last
 * SAML metadata sync as the JobStore recorded it (never before the first). SQLite and PostgreSQL; the
 * sync record is written through the store's own JobStore, as the worker writes it.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Ids, JobStore } from "@certory/domain"
import { PgCertificateStore } from "@certory/storage-pg"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import { Effect, type Layer, Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  certory,
  DC,
  IDENTITY_STORE,
  IDP,
  IDP_OWNER,
  oneLine,
  SMART_CARD,
  tempDir,
  USER,
  withPgSchema
} from "./support.js"

const sha256OfPem = (file: string): string => {
  const base64 = readFileSync(file, "utf8").replace(/-----[^-]+-----|\s/g, "")
  return createHash("sha256").update(Buffer.from(base64, "base64")).digest("hex").toUpperCase()
}

const AT = Date.parse("2026-01-02T03:04:05.000Z")
const NEXT = Date.parse("2026-01-02T04:04:05.000Z")

const record = (layer: Layer.Layer<JobStore.JobStore>) =>
  Effect.runPromise(
    Effect.flatMap(JobStore.JobStore, (jobs) =>
      jobs.putIdpSync(
        new JobStore.IdpSync({
          owner: Schema.decodeSync(Ids.OwnerRefFromString)(IDP_OWNER),
          metadataUrl: "https://idp.example/metadata.xml",
          at: AT,
          outcome: "synced",
          httpStatus: 200,
          added: [Schema.decodeSync(Ids.Sha256Hex)(sha256OfPem(IDP))],
          refused: [],
          nextAt: NEXT
        })
      )
    ).pipe(Effect.provide(layer))
  )

const scenario = async (store: ReadonlyArray<string>, layer: () => Layer.Layer<JobStore.JobStore>) => {
  for (const args of [
    ["owners", "add", SMART_CARD],
    ["owners", "add", IDENTITY_STORE],
    ["owners", "add", IDP_OWNER, "--name", "Azure", "--metadata-url", "https://idp.example/metadata.xml"],
    ["import", SMART_CARD, USER, DC],
    ["import", IDP_OWNER, IDP]
  ]) {
    const run = await certory([...args, ...store])
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)
  }

  const card = await certory(["owners", "show", SMART_CARD, "--json", ...store])
  expect(card.status).toBe(0)
  const shown = JSON.parse(card.stdout)
  expect(shown.owner).toMatchObject({ ref: SMART_CARD, enabled: true, createdBy: "test-admin" })
  // Both samples expired (2017, 2025) and neither is key history nor archived.
  expect(shown.certificates).toEqual({
    total: 2,
    valid: 0,
    expired: 2,
    notYetValid: 0,
    keyHistory: 0,
    archivedOnCa: 0
  })
  expect(shown).not.toHaveProperty("lastSync")
  expect(shown).not.toHaveProperty("idps")

  const never = await certory(["owners", "show", IDP_OWNER, "--json", ...store])
  expect(JSON.parse(never.stdout).lastSync).toBeNull()
  const neverText = await certory(["owners", "show", IDP_OWNER, ...store])
  expect(neverText.stdout).toMatch(/^last sync\s+never$/m)

  await record(layer())
  const [synced, syncedText, identityStore, missing] = await Promise.all([
    certory(["owners", "show", IDP_OWNER, "--json", ...store]),
    certory(["owners", "show", IDP_OWNER, ...store]),
    certory(["owners", "show", IDENTITY_STORE, "--json", ...store]),
    certory(["owners", "show", "idp:d-66f1a2b3b80/idp-gone", ...store])
  ])
  const idp = JSON.parse(synced.stdout)
  expect(idp.owner).toMatchObject({ ref: IDP_OWNER, displayName: "Azure" })
  expect(idp.certificates).toMatchObject({ total: 1, valid: 1, expired: 0 })
  expect(idp.lastSync).toEqual({
    owner: IDP_OWNER,
    metadataUrl: "https://idp.example/metadata.xml",
    at: "2026-01-02T03:04:05.000Z",
    outcome: "synced",
    httpStatus: 200,
    added: [sha256OfPem(IDP)],
    refused: [],
    nextAt: "2026-01-02T04:04:05.000Z"
  })
  expect(syncedText.stdout).toMatch(
    /^last sync\s+2026-01-02T03:04:05\.000Z synced, HTTP 200, 1 added, 0 refused \(certificate limit\), next 2026-01-02T04:04:05\.000Z$/m
  )
  expect(syncedText.stdout).toMatch(/^certificates\s+1 \(valid 1, expired 0, not yet valid 0;/m)
  expect(JSON.parse(identityStore.stdout).idps).toEqual([{ owner: IDP_OWNER, bindings: 1 }])
  expect(missing.status).toBe(1)
  expect(missing.stderr).toBe("certory owners show: owner idp:d-66f1a2b3b80/idp-gone does not exist\n")
  expect(oneLine(missing.stderr)).toBe(true)
}

describe("certory owners show", { timeout: 600_000 }, () => {
  it("SQLite", async () => {
    const file = join(tempDir(), "certory.sqlite")
    await scenario(["--db", file], () => SqliteCertificateStore.layerStores({ filename: file }))
  })

  it("PostgreSQL", async () => {
    await withPgSchema((url) => scenario(["--store", url], () => PgCertificateStore.layerStores({ url })))
  })

  it("memory: an unknown owner is one line", async () => {
    const run = await certory(["owners", "show", SMART_CARD, "--store", "memory:"])
    expect(run.status).toBe(1)
    expect(run.stderr).toBe(`certory owners show: owner ${SMART_CARD} does not exist\n`)
  })
})
