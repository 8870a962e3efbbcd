/**
 * `certory import <owner> <dir>` of BENCH_N (10,000) certificate files, through the bundled executable:
 * certificates/s end to end (process start, directory walk, one use-case call per file). The files are
 * derived from real CA certificates (the store bench's `derive`: distinct serials, so distinct
 * fingerprints), written as DER before the clock starts. Compare with the store bench's bind figure
 * (`pnpm --filter @certory/storage-sqlite bench`), which has no files, no process and 100 per request.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import { CertificateParser } from "@certory/domain"
import * as StoreBench from "@certory/storage-sql/StoreBench"
import { Effect } from "effect"

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
  for (let i = 0; i < n; i++) {
    const sub = join(dir, String(Math.floor(i / 1000)).padStart(2, "0"))
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true })
    const derived = yield* StoreBench.derive(bases, i, 7)
    writeFileSync(join(sub, `${String(i).padStart(6, "0")}.der`), derived.der)
  }
  return { dir, bases: bases.length }
}).pipe(Effect.provide(X509CertificateParser.layer))

try {
  const { dir, bases } = await Effect.runPromise(prepare)
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
  console.log(`  ${seconds.toFixed(1)} s, ${Math.round(n / seconds)} certificates/s`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
