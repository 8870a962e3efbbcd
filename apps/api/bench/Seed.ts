/**
 * The owners and rows both HTTP benches seed and ask for (http.bench.ts, worker.bench.ts).
 *
 * Owner o is a smart card when even, else an IdP (`idp-o`) in one of STORES identity stores; each holds
 * PER_OWNER certificates derived from the corpus roots by `@certory/storage-sql/StoreBench`'s `derive`
 * (distinct DER, serial and digests each), written as the store's own rows (`Rows.*`) in transactions of
 * 10,000 certificates, then ANALYZE.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate as Cert, Ids, Owner as OwnerModule } from "@certory/domain"
import { Rows } from "@certory/storage-sql"
import * as StoreBench from "@certory/storage-sql/StoreBench"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Schema } from "effect"

export const MIM = "/CertificateManagement/api/v1.0"
export const STORES = 100
export const PER_OWNER = 4

// ---- owners and paths -----------------------------------------------------------------------------

/** Owner o's GUID; http.bench.ts's import owners take the prefix "eeee" instead. */
export const guidOf = (o: number, prefix = "0000") => {
  const h = o.toString(16).padStart(12, "0")
  return `${prefix}${h.slice(8)}-0000-4000-8000-${h}`
}
const storeOf = (o: number) => `bench-store-${o % STORES}`
const ownerRef = (o: number): Ids.OwnerRef =>
  o % 2 === 0
    ? Ids.SmartCardRef.make({ id: Schema.decodeSync(Ids.Guid)(guidOf(o)) })
    : Ids.IdpRef.make({
        identityStoreId: Ids.IdentityStoreId.make(storeOf(o)),
        idpId: Ids.IdpId.make(`idp-${o}`)
      })

/** Owner o's list: the MIM smart card's certificates, or the Huawei IdP's. */
export const pathOf = (o: number) =>
  o % 2 === 0
    ? `${MIM}/smartcards/${guidOf(o)}/certificates`
    : `/v1/identity-stores/${storeOf(o)}/external-idp/idp-${o}/certificate`

/** The path of a random owner of `owners`, anew at each call. */
const randomPath = (owners: ReadonlyArray<number>) => () =>
  pathOf(owners[Math.floor(Math.random() * owners.length)]!)

/**
 * The two lists of the first `ownerCount` owners: `paths` gives the path of a random smart card (MIM) or IdP
 * (Huawei) at each call, with the headers that carry `token`.
 */
export const endpoints = (ownerCount: number, token: string) =>
  [
    {
      name: "MIM",
      paths: randomPath(Array.from({ length: Math.ceil(ownerCount / 2) }, (_, k) => 2 * k)),
      headers: { authorization: `Bearer ${token}` }
    },
    {
      name: "Huawei",
      paths: randomPath(Array.from({ length: Math.floor(ownerCount / 2) }, (_, k) => 2 * k + 1)),
      headers: { "x-security-token": token }
    }
  ] as const

// ---- seeding --------------------------------------------------------------------------------------

/** The corpus roots the certificates derive from (CERTORY_CORPUS, else the shared corpus beside the repo). */
export const bases = async (): Promise<ReadonlyArray<Cert.Certificate>> => {
  const corpus = process.env.CERTORY_CORPUS ?? resolve(import.meta.dirname, "../../../../shared/corpus")
  const dir = join(corpus, "pkijs/cacert-split")
  const parser = X509CertificateParser.make
  return StoreBench.usableBases(
    await Effect.runPromise(
      Effect.forEach(
        readdirSync(dir)
          .sort()
          .map((file) => readFileSync(join(dir, file), "utf8")),
        (text) => Effect.orDie(Effect.map(parser.parse(text), (parsed) => parsed[0]!))
      )
    )
  )
}

const attributesOf = (o: number) =>
  Cert.BindingAttributes.make(o % 2 === 0 ? {} : { origin: "external", source: "upload" })

const encodeOwner = Schema.encodeSync(Rows.OwnerRow)
const ownerRow = (ref: Ids.OwnerRef) =>
  encodeOwner(new OwnerModule.Owner({ ref, enabled: true, createdAt: 0, createdBy: "bench" }))

const insertAll = (sql: SqlClient.SqlClient, table: string, rows: ReadonlyArray<Rows.Row>) =>
  Effect.forEach(
    Array.from({ length: Math.ceil(rows.length / 500) }, (_, k) => rows.slice(k * 500, k * 500 + 500)),
    (slice) => sql`INSERT INTO ${sql.literal(table)} ${sql.insert(slice)}`,
    { discard: true }
  )

export interface Options {
  /** Derived certificates, PER_OWNER per owner: certificate i is bound as `b{i}` to owner i / PER_OWNER. */
  readonly certificates: number
  /** `derive`'s salt. */
  readonly salt: number
  /** Called with the count seeded so far at every 100,000. */
  readonly progress?: (seeded: number) => void
}

/** The STORES identity stores, then `certificates` derived certificates with their owners and bindings. */
export const seed = (
  sql: SqlClient.SqlClient,
  bases: ReadonlyArray<Cert.Certificate>,
  { certificates: n, salt, progress }: Options
) =>
  Effect.gen(function* () {
    yield* insertAll(
      sql,
      "owners",
      Array.from({ length: STORES }, (_, k) =>
        ownerRow(Ids.IdentityStoreRef.make({ id: Ids.IdentityStoreId.make(`bench-store-${k}`) }))
      )
    )
    const step = 10_000
    for (let start = 0; start < n; start += step) {
      const end = Math.min(n, start + step)
      const certificates = yield* Effect.forEach(
        Array.from({ length: end - start }, (_, k) => start + k),
        (i) => StoreBench.derive(bases, i, salt),
        { concurrency: 32 }
      )
      const owners: Array<Rows.Row> = []
      for (let o = Math.ceil(start / PER_OWNER); o * PER_OWNER < end; o++) owners.push(ownerRow(ownerRef(o)))
      const bindings = certificates.map((certificate, k) => {
        const i = start + k
        const o = Math.floor(i / PER_OWNER)
        return Rows.bindingRow(
          new Cert.Binding(
            {
              certificateId: Ids.CertificateId.make(`b${i}`),
              owner: ownerRef(o),
              sha256: certificate.sha256,
              ...attributesOf(o),
              boundBy: "bench",
              boundAt: i
            },
            { disableValidation: true }
          ),
          certificate
        )
      })
      yield* sql.withTransaction(
        Effect.all(
          [
            insertAll(sql, "owners", owners),
            insertAll(sql, "certificates", certificates.map(Rows.certificateRow)),
            insertAll(sql, "bindings", bindings)
          ],
          { discard: true }
        )
      )
      if (end % 100_000 === 0) progress?.(end)
    }
    yield* sql`ANALYZE`
  }).pipe(Effect.orDie)
