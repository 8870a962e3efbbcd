/**
 * Storage benchmark, SQLite: `pnpm bench`. Env: BENCH_N (30000 by default to stay near 3 minutes; the
 * issue's figure is BENCH_N=100000), BENCH_CHUNK (100), BENCH_LARGE (1000000), BENCH_REPEAT (200). The store
 * and the plain-insert baseline each get a fresh file in a temporary directory: same driver, same pragmas.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import { CertificateStore } from "@certory/domain"
import { SqlCertificateStore, StoreBench } from "@certory/storage-sql"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { SqliteCertificateStore } from "../src/index.js"

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const corpus = process.env.CERTORY_CORPUS ?? resolve(import.meta.dirname, "../../../../shared/corpus")
const dir = join(corpus, "pkijs/cacert-split")
const work = mkdtempSync(join(tmpdir(), "certory-bench-"))

const program = Effect.gen(function* () {
  const bases = yield* Effect.forEach(readdirSync(dir).sort(), (file) =>
    Effect.map(
      Effect.orDie(X509CertificateParser.make.parse(readFileSync(join(dir, file), "utf8"))),
      (c) => c[0]!
    )
  )
  const open = (file: string) =>
    Layer.build(
      Layer.provideMerge(
        SqlCertificateStore.layer(),
        SqliteCertificateStore.layerClient({ filename: join(work, file) })
      )
    )
  const target = yield* open("store.sqlite")
  const baseline = yield* open("baseline.sqlite")
  yield* StoreBench.run(
    "SQLite (better-sqlite3, WAL, synchronous=NORMAL)",
    {
      n: env("BENCH_N", 30_000),
      perOwner: env("BENCH_CHUNK", 100),
      large: env("BENCH_LARGE", 1_000_000),
      repeat: env("BENCH_REPEAT", 200),
      bases,
      parse: (der) => Effect.map(X509CertificateParser.make.parse(der), (c) => c[0]!)
    },
    Context.get(target, CertificateStore.CertificateStore),
    Context.get(target, SqlClient.SqlClient),
    Context.get(baseline, SqlClient.SqlClient)
  )
})

Effect.runPromise(Effect.scoped(program)).finally(() => rmSync(work, { recursive: true, force: true }))
