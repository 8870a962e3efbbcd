/**
 * Storage benchmark, PostgreSQL: `pnpm bench`. Env: DATABASE_URL, BENCH_N (30000), BENCH_CHUNK (100),
 * BENCH_LARGE (250000), BENCH_REPEAT (200). The defaults stay near 3 minutes; the figures are
 * BENCH_N=100000 BENCH_LARGE=1000000 (seeding 1M rows takes 1-7 minutes on a 128 MB shared_buffers server).
 * The store and the plain-insert baseline each get a fresh schema on the same server, through the same
 * driver; both schemas are dropped at the end.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import { CertificateStore } from "@certory/domain"
import { SqlCertificateStore, StoreBench } from "@certory/storage-sql"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { PgCertificateStore } from "../src/index.js"
import { baseUrl, freshSchema } from "../test/database.js"

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const corpus = process.env.CERTORY_CORPUS ?? resolve(import.meta.dirname, "../../../../shared/corpus")
const dir = join(corpus, "pkijs/cacert-split")

const program = Effect.gen(function* () {
  const bases = yield* Effect.forEach(readdirSync(dir).sort(), (file) =>
    Effect.map(
      Effect.orDie(X509CertificateParser.make.parse(readFileSync(join(dir, file), "utf8"))),
      (c) => c[0]!
    )
  )
  const open = Effect.gen(function* () {
    const { url } = yield* freshSchema
    return yield* Layer.build(
      Layer.provideMerge(SqlCertificateStore.layer(), PgCertificateStore.layerClient({ url }))
    )
  })
  const target = yield* open
  const baseline = yield* open
  yield* StoreBench.run(
    `PostgreSQL (${baseUrl.replace(/\/\/[^@]*@/, "//")}, node-postgres)`,
    {
      n: env("BENCH_N", 30_000),
      perOwner: env("BENCH_CHUNK", 100),
      large: env("BENCH_LARGE", 250_000),
      repeat: env("BENCH_REPEAT", 200),
      bases,
      parse: (der) => Effect.map(X509CertificateParser.make.parse(der), (c) => c[0]!)
    },
    Context.get(target, CertificateStore.CertificateStore),
    Context.get(target, SqlClient.SqlClient),
    Context.get(baseline, SqlClient.SqlClient)
  )
})

Effect.runPromise(Effect.scoped(program))
