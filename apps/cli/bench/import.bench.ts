/**
 * `certory import <owner> <dir>` of BENCH_N (10,000) certificate files, through the bundled executable:
 * certificates/s end to end (process start, directory walk, parsing, batched use-case calls). The files
 * are derived from real CA certificates (the store bench's `derive`: distinct serials, so distinct
 * fingerprints), written as DER before the clock starts. The baseline, measured in the same run: the
 * store's own `bind` of the same (already parsed) certificates, 100 per request, on a fresh SQLite file
 * with the same pragmas, in this process (what the store bench measures): no files, no parsing, no process.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate as Cert, CertificateParser, CertificateStore, Ids, Owner } from "@certory/domain"
import * as StoreBench from "@certory/storage-sql/StoreBench"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import { Effect, Schema } from "effect"

const n = Number(process.env.BENCH_N ?? 10_000)
const corpus = process.env.CERTORY_CORPUS ?? resolve(import.meta.dirname, "../../../../shared/corpus")
const source = join(corpus, "pkijs/cacert-split")
const launcher = resolve(import.meta.dirname, "../bin/certory.mjs")
const work = mkdtempSync(join(tmpdir(), "certory-cli-bench-"))
const SMART_CARD = "smartcard:5badfea3-de31-4837-99f9-8249515a5473"

const prepare = Effect.gen(function* () {
  const parser = yield* CertificateParser.CertificateParser
  const parsed = []
  for (const file of readdirSync(source).sort()) {
    const certificates = yield* Effect.either(parser.parse(readFileSync(join(source, file), "utf8")))
    if (certificates._tag === "Right") parsed.push(...certificates.right)
  }
  const bases = StoreBench.usableBases(parsed)
  const dir = join(work, "certs")
  const certificates: Array<Cert.Certificate> = []
  for (let i = 0; i < n; i++) {
    const sub = join(dir, String(Math.floor(i / 1000)).padStart(2, "0"))
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true })
    const derived = yield* StoreBench.derive(bases, i, 7)
    certificates.push(derived)
    writeFileSync(join(sub, `${String(i).padStart(6, "0")}.der`), derived.der)
  }
  return { dir, bases: bases.length, certificates }
}).pipe(Effect.provide(X509CertificateParser.layer))

/** Milliseconds the store's bind takes for `certificates`, 100 per request, one owner per request. */
const storeBind = (certificates: ReadonlyArray<Cert.Certificate>) =>
  Effect.gen(function* () {
    const store = yield* CertificateStore.CertificateStore
    const attributes = Cert.BindingAttributes.make({})
    let millis = 0
    for (let start = 0; start < certificates.length; start += 100) {
      const owner = Ids.SmartCardRef.make({
        id: Schema.decodeSync(Ids.Guid)(`00000000-0000-4000-8000-${start.toString(16).padStart(12, "0")}`)
      })
      yield* store.createOwner(
        new Owner.Owner({ ref: owner, enabled: true, createdAt: 0, createdBy: "bench" })
      )
      const items = certificates.slice(start, start + 100).map((certificate, k) => ({
        certificate,
        attributes,
        certificateId: Ids.CertificateId.make(`b${start + k}`)
      }))
      const t0 = performance.now()
      yield* store.bind({ owner, items, boundBy: "bench", boundAt: start })
      millis += performance.now() - t0
    }
    return millis
  }).pipe(
    Effect.orDie,
    Effect.provide(SqliteCertificateStore.layer({ filename: join(work, "baseline.sqlite") }))
  )

try {
  const { dir, bases, certificates } = await Effect.runPromise(prepare)
  const baselineMs = await Effect.runPromise(storeBind(certificates))
  const db = join(work, "certory.sqlite")
  // Start-up on its own: a command that opens the store and does nothing else.
  spawnSync(process.execPath, [launcher, "migrate", "--db", db])
  const started = process.hrtime.bigint()
  const run = spawnSync(
    process.execPath,
    [
      // BENCH_CPU_PROF=DIR writes a V8 CPU profile of the import process there (for a profiler's view).
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      launcher,
      "import",
      SMART_CARD,
      dir,
      "--create-owner",
      "--db",
      db
    ],
    {
      maxBuffer: 256 * 1024 * 1024,
      encoding: "utf8"
    }
  )
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const summary = run.stdout.trim().split("\n").at(-1)
  if (run.status !== 0) throw new Error(`import exited ${run.status}: ${run.stderr.slice(0, 500)}`)
  console.log(`certory import of ${n} DER files (derived from ${bases} CA certificates), one process:`)
  console.log(`  ${summary}`)
  const perSecond = n / seconds
  const baseline = n / (baselineMs / 1000)
  console.log(`  ${seconds.toFixed(1)} s, ${Math.round(perSecond)} certificates/s`)
  console.log(
    `  baseline, the store's bind of the same certificates (100 per request, same run): ${Math.round(baseline)} certificates/s`
  )
  console.log(`  ratio: ${(perSecond / baseline).toFixed(2)}x`)
} finally {
  // BENCH_KEEP=1 keeps the store (one smart card holding the n certificates) for start-up measurements.
  if (process.env.BENCH_KEEP === "1") console.log(`  kept: ${join(work, "certory.sqlite")}`)
  else rmSync(work, { recursive: true, force: true })
}
