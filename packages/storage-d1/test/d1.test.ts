/**
 * What only the D1 adapter can get wrong: migrations that agree with `wrangler d1 migrations apply`, and
 * writes that stay atomic without transactions. Runs inside workerd; each test starts on an empty D1
 * (isolated storage). The behaviour of the store itself is the contract suite's job.
 */

import { applyD1Migrations, env } from "cloudflare:test"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, Ids, Owner as OwnerModule, CertificateStore as Port } from "@certory/domain"
import { Migrations } from "@certory/storage-sql"
import { Fixtures } from "@certory/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { D1CertificateStore } from "../src/index.js"

const { CertificateStore } = Port

// D1's and SQLite's own tables (_cf_*, sqlite_*) are not ours.
const tables = () =>
  env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all<{ name: string }>()
    .then((r) => r.results.map((row) => row.name).filter((name) => !/^(_cf_|sqlite_)/.test(name)))

const normalise = (query: string) =>
  query
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .trim()
    .replace(/;$/, "")

describe("D1CertificateStore", () => {
  it("the wrangler migration files are the layer's migrations (regenerate: pnpm run migrations)", () => {
    const fromFiles = env.TEST_MIGRATIONS.map((m) => ({
      name: m.name,
      queries: m.queries.map(normalise).filter(Boolean)
    }))
    const fromModule = Migrations.migrations("sqlite").map((m) => ({
      name: Migrations.fileName(m),
      queries: m.statements.map(normalise)
    }))
    expect(fromFiles).toEqual(fromModule)
  })

  it.effect("migrates an empty database on start, and only once", () =>
    Effect.gen(function* () {
      expect(yield* D1CertificateStore.migrate(env.DB)).toEqual([
        "0001_init.sql",
        "0002_subject_sort_key.sql",
        "0003_tokens.sql",
        "0004_saml_config_submitted_pem.sql",
        "0005_templates.sql",
        "0006_jobs.sql"
      ])
      expect(yield* D1CertificateStore.migrate(env.DB)).toEqual([])
      expect(yield* Effect.promise(tables)).toEqual([
        "bindings",
        "certificates",
        "d1_migrations",
        "idp_syncs",
        "job_leases",
        "notifications",
        "owners",
        "templates",
        "tokens"
      ])
    })
  )

  it.effect("starts on a database migrated by wrangler (applyD1Migrations) without re-applying", () =>
    Effect.gen(function* () {
      yield* Effect.promise(() => applyD1Migrations(env.DB, [...env.TEST_MIGRATIONS]))
      expect(yield* D1CertificateStore.migrate(env.DB)).toEqual([])
      const rows = yield* Effect.promise(() =>
        env.DB.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()
      )
      expect(rows.results.map((r) => r.name)).toEqual([
        "0001_init.sql",
        "0002_subject_sort_key.sql",
        "0003_tokens.sql",
        "0004_saml_config_submitted_pem.sql",
        "0005_templates.sql",
        "0006_jobs.sql"
      ])
    })
  )

  it.effect("a statement failing in the middle of a write's batch leaves the store unchanged", () =>
    Effect.gen(function* () {
      const store = yield* CertificateStore
      const corpus = yield* Fixtures.Corpus
      const [first, second] = corpus.cacerts
      const a = new Ids.IdentityStoreRef({ id: Ids.IdentityStoreId.make("d-aaaaaaaaaa") })
      const b = new Ids.IdentityStoreRef({ id: Ids.IdentityStoreId.make("d-bbbbbbbbbb") })
      for (const ref of [a, b]) {
        yield* store.createOwner(new OwnerModule.Owner({ ref, enabled: true, createdAt: 1, createdBy: "t" }))
      }
      const attributes = Certificate.BindingAttributes.make({})
      const taken = Ids.CertificateId.make("taken")
      yield* store.bind({
        owner: a,
        items: [{ certificate: first!, attributes, certificateId: taken }],
        boundBy: "t",
        boundAt: 1
      })
      // The second item reuses a certificate id another binding holds: its INSERT fails on the primary
      // key after the batch has already stored the certificate and the first binding.
      const exit = yield* Effect.exit(
        store.bind({
          owner: b,
          items: [
            { certificate: second!, attributes, certificateId: Ids.CertificateId.make("fresh") },
            { certificate: first!, attributes, certificateId: taken }
          ],
          boundBy: "t",
          boundAt: 2
        })
      )
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      expect(Option.isNone(yield* store.getCertificate(second!.sha256))).toBe(true)
      expect(Option.isNone(yield* store.getBinding(b, Ids.CertificateId.make("fresh")))).toBe(true)
      const listed = yield* store.listBindings({
        owner: b,
        sort: { field: "boundAt", direction: "asc" },
        limit: 10
      })
      expect(listed.total).toBe(0)
    }).pipe(
      Effect.provide(D1CertificateStore.layer(env.DB)),
      Effect.provide(Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer))
    )
  )
})
