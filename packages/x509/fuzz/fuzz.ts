/**
 * `pnpm fuzz` (root) / `pnpm --filter @certory/x509 fuzz`: the full campaign, by default 1,000,000
 * inputs of seed 1 over the fixtures and the shared corpus. The campaign runs in a worker thread; this
 * thread is its watchdog: an input that holds it for FUZZ_HANG_SECONDS (30) is a hang, reported with
 * its index and the worker stopped. Exit status 1 on any escape, bad outcome, hang or input over the
 * bound (the best of three parses).
 *
 *   FUZZ_SEED=1 FUZZ_RUNS=1000000   which campaign, how many inputs
 *   FUZZ_FROM=0                     first input index
 *   FUZZ_ONLY=123456                rebuild and parse that one input, print it and its outcome
 *   FUZZ_LARGE=0.002                share of hostile shapes at random sizes up to the 4 MiB cap
 *   FUZZ_BOUND_MS=50                time bound per input
 *   FUZZ_CORPUS=0                   fixtures only (default: fixtures + corpus, CERTORY_CORPUS moves it)
 */
import { writeFileSync } from "node:fs"
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads"
import { parseCertificates } from "../src/index.js"
import { type CampaignReport, defaultInputOptions, inputAt, prepare, runCampaign } from "./Fuzzer.js"
import { corpusSeeds, fixtureSeeds } from "./Seeds.js"

interface Settings {
  readonly seed: number
  readonly runs: number
  readonly from: number
  readonly largeShare: number
  readonly boundMs: number
  readonly corpus: boolean
  readonly shared: SharedArrayBuffer
}

const num = (name: string, fallback: number): number => {
  const v = Number(process.env[name])
  return process.env[name] !== undefined && Number.isFinite(v) ? v : fallback
}

const seedsFor = (corpus: boolean) => prepare([...fixtureSeeds(), ...(corpus ? corpusSeeds() : [])])

const table = (
  rows: ReadonlyArray<{ index: number; kind: string; bytes: number; ms: number; detail: string }>
) =>
  rows
    .map(
      (f) =>
        `    #${f.index}  ${f.ms.toFixed(1).padStart(8)} ms  ${String(f.bytes).padStart(8)} B  ${f.kind}  ${f.detail}`
    )
    .join("\n")

const summary = (r: CampaignReport, boundMs: number): string =>
  [
    `fuzz: seed ${r.seed}, ${r.inputs} inputs in ${r.seconds.toFixed(0)} s (${Math.round(r.inputs / r.seconds)}/s), ${r.largeInputs} of them hostile shapes up to 4 MiB`,
    `  by kind: ${Object.entries(r.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
    `  parsed: ${r.parsed}; failed by code: ${Object.entries(r.failedByCode)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
    `  escapes: ${r.escapes.length}${r.escapes.length > 0 ? `\n${table(r.escapes.slice(0, 10))}` : ""}`,
    `  bad outcomes (message or warning >= 1 KB or multi-line, unsafe number): ${r.badOutcomes.length}${r.badOutcomes.length > 0 ? `\n${table(r.badOutcomes.slice(0, 10))}` : ""}`,
    `  max time per input: ${r.maxMs.toFixed(1)} ms; over ${boundMs} ms: ${r.overBound.length} (best of three parses; ${r.overBoundFirstOnly} more were over only on a first parse)`,
    ...(r.overBound.length > 0 ? [table(r.overBound.slice(0, 20))] : []),
    "  slowest inputs (first parse):",
    table(r.slowest)
  ].join("\n")

if (isMainThread) {
  const settings: Settings = {
    seed: num("FUZZ_SEED", 1),
    runs: num("FUZZ_RUNS", 1_000_000),
    from: num("FUZZ_FROM", 0),
    largeShare: num("FUZZ_LARGE", defaultInputOptions.largeShare),
    boundMs: num("FUZZ_BOUND_MS", 50),
    corpus: process.env.FUZZ_CORPUS !== "0",
    shared: new SharedArrayBuffer(8)
  }
  if (process.env.FUZZ_ONLY !== undefined) {
    const index = num("FUZZ_ONLY", 0)
    const { kind, input } = inputAt(settings.seed, index, seedsFor(settings.corpus), {
      ...defaultInputOptions,
      largeShare: settings.largeShare
    })
    const file = `/tmp/certory-fuzz-${settings.seed}-${index}.bin`
    writeFileSync(file, input)
    const t = performance.now()
    const outcome = await parseCertificates(input)
    console.log(
      `input #${index} (${kind}, ${input.length} ${typeof input === "string" ? "chars" : "bytes"}) written to ${file}`
    )
    console.log(
      `${(performance.now() - t).toFixed(1)} ms:`,
      outcome._tag === "Parsed" ? `Parsed ${outcome.certificates.length}` : outcome.error
    )
  } else {
    const current = new Int32Array(settings.shared)
    const hangSeconds = num("FUZZ_HANG_SECONDS", 30)
    console.log(
      `fuzz: seed ${settings.seed}, ${settings.runs} inputs from #${settings.from}, corpus ${settings.corpus ? "on" : "off"}, hostile shapes ${settings.largeShare}, bound ${settings.boundMs} ms`
    )
    const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}) })`
    const worker = new Worker(boot, { eval: true, workerData: settings })
    let last = -1
    let still = 0
    const watchdog = setInterval(() => {
      const now = Atomics.load(current, 0)
      still = now === last ? still + 1 : 0
      last = now
      if (still >= hangSeconds) {
        console.log(
          `HANG: input #${now} has run for ${hangSeconds} s (rebuild it with FUZZ_SEED=${settings.seed} FUZZ_ONLY=${now})`
        )
        process.exitCode = 1
        void worker.terminate()
        clearInterval(watchdog)
      }
    }, 1000)
    worker.on("message", (m: { type: "progress" | "done"; report: CampaignReport; index: number }) => {
      if (m.type === "progress") {
        const r = m.report
        console.log(
          `  ${r.inputs} inputs, ${r.seconds.toFixed(0)} s, escapes ${r.escapes.length}, bad ${r.badOutcomes.length}, over ${settings.boundMs} ms ${r.overBound.length}, max ${r.maxMs.toFixed(1)} ms`
        )
        return
      }
      clearInterval(watchdog)
      console.log(summary(m.report, settings.boundMs))
      const failed = m.report.escapes.length + m.report.badOutcomes.length + m.report.overBound.length
      console.log(
        failed === 0 ? "fuzz: OK" : "fuzz: FAILED (rebuild an input with FUZZ_SEED and FUZZ_ONLY=<index>)"
      )
      process.exitCode = failed === 0 ? 0 : 1
    })
    worker.on("error", (e) => {
      clearInterval(watchdog)
      console.log("fuzz worker failed:", e)
      process.exitCode = 1
    })
  }
} else {
  const settings = workerData as Settings
  const current = new Int32Array(settings.shared)
  const seeds = seedsFor(settings.corpus)
  const report = await runCampaign(seeds, {
    ...defaultInputOptions,
    seed: settings.seed,
    runs: settings.runs,
    from: settings.from,
    largeShare: settings.largeShare,
    boundMs: settings.boundMs,
    progressEvery: 50_000,
    onInput: (index) => Atomics.store(current, 0, index),
    onProgress: (r, index) => parentPort!.postMessage({ type: "progress", report: r, index })
  })
  parentPort!.postMessage({ type: "done", report })
}
