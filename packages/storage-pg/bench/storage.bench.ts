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
import * as StoreBench from "@certory/storage-sql/StoreBench"
import { PgCertificateStore } from "../src/index.js"
import { baseUrl, withFreshSchema } from "../test/database.js"

const corpus = process.env.CERTORY_CORPUS ?? resolve(import.meta.dirname, "../../../../shared/corpus")
const dir = join(corpus, "pkijs/cacert-split")

StoreBench.main({
  label: `PostgreSQL (${baseUrl.replace(/\/\/[^@]*@/, "//")}, node-postgres)`,
  large: 250_000,
  files: readdirSync(dir)
    .sort()
    .map((file) => readFileSync(join(dir, file), "utf8")),
  parser: X509CertificateParser.make,
  client: () => withFreshSchema((url) => PgCertificateStore.layerClientMigrated({ url }))
})
