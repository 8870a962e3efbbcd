/**
 * `pnpm bench:hostile` (node --expose-gc --import tsx bench/hostile.ts [shape...]): every hostile
 * shape of fuzz/Shapes.ts at the full input cap (4 MiB), each in its own worker thread whose V8 heap
 * is capped at 64 MiB (48 old + 16 young): a shape that needs more dies with ERR_WORKER_OUT_OF_MEMORY
 * and is reported as such. Per shape: the outcome, the message size, the time per parse (median and
 * worst of BENCH_RUNS, default 3, after a warm-up on a real certificate), the heap growth during one
 * parse (no GC in between; a lower bound of the peak if a scavenge ran) and what the outcome retains.
 * A benchmark, not a test: the tests assert the outcomes of the same shapes, not their time.
 */
import { readFileSync } from "node:fs"
import { getHeapStatistics } from "node:v8"
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads"
import { shapes } from "../fuzz/Shapes.js"
import { DEFAULT_MAX_INPUT_BYTES, parseCertificates } from "../src/index.js"

interface Job {
  readonly shape: string
  /** Built by the main thread, so building does not count against the worker's heap. */
  readonly input: string | Uint8Array
  readonly runs: number
}

interface Result {
  readonly shape: string
  readonly inputBytes: number
  readonly outcome: string
  readonly messageBytes: number
  readonly medianMs: number
  readonly worstMs: number
  readonly heapDeltaMiB: number
  readonly retainedMiB: number
}

const seedDer = (): Uint8Array => {
  const text = readFileSync(new URL("../test/fixtures/bing.com.peer.3.pem", import.meta.url), "latin1")
  const body = text.slice(
    text.indexOf("-----BEGIN CERTIFICATE-----") + 27,
    text.indexOf("-----END CERTIFICATE-----")
  )
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ""), "base64"))
}

const utf8Bytes = (input: string | Uint8Array): number =>
  typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.length

const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10

const runJob = async (job: Job): Promise<Result> => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run with node --expose-gc")
  const seed = seedDer()
  for (let i = 0; i < 50; i++) await parseCertificates(seed)
  let input: string | Uint8Array | undefined = job.input
  const inputBytes = utf8Bytes(input)
  if (inputBytes > DEFAULT_MAX_INPUT_BYTES)
    throw new Error(`${job.shape}: ${inputBytes} bytes is above the cap`)
  const times: number[] = []
  let outcome = ""
  let messageBytes = 0
  let heapDelta = 0
  let retained = 0
  for (let run = 0; run < job.runs; run++) {
    gc()
    const before = getHeapStatistics().used_heap_size
    const started = performance.now()
    let result: Awaited<ReturnType<typeof parseCertificates>> | undefined = await parseCertificates(input)
    times.push(performance.now() - started)
    heapDelta = Math.max(heapDelta, getHeapStatistics().used_heap_size - before)
    gc()
    retained = getHeapStatistics().used_heap_size - before
    outcome =
      result._tag === "Parsed"
        ? `Parsed ${result.certificates.length}`
        : `${result.error.code}${result.error.block === undefined ? "" : ` (block ${result.error.block})`}`
    messageBytes = result._tag === "Failed" ? Buffer.byteLength(result.error.message, "utf8") : 0
    if (result._tag === "Failed" && run === 0 && process.env.HOSTILE_MESSAGES === "1") {
      console.error(`${job.shape}: ${result.error.message}`)
    }
    result = undefined
  }
  input = undefined
  const sorted = [...times].sort((a, b) => a - b)
  return {
    shape: job.shape,
    inputBytes,
    outcome,
    messageBytes,
    medianMs: Math.round(sorted[sorted.length >> 1]! * 10) / 10,
    worstMs: Math.round(sorted.at(-1)! * 10) / 10,
    heapDeltaMiB: mib(heapDelta),
    retainedMiB: mib(retained)
  }
}

const inWorker = (job: Job, transfer: ReadonlyArray<ArrayBuffer>): Promise<Result | string> =>
  new Promise((resolve) => {
    // The TypeScript loader is per thread: the worker registers tsx's before importing this file.
    const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => {
      tsx.register()
      return import(${JSON.stringify(import.meta.url)})
    })`
    const worker = new Worker(boot, {
      eval: true,
      workerData: job,
      transferList: [...transfer],
      resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 }
    })
    worker.once("message", (result: Result) => resolve(result))
    worker.once("error", (e: Error & { code?: string }) => resolve(e.code ?? e.message))
    worker.once("exit", (code) => resolve(`worker exited with ${code}`))
  })

if (!isMainThread) {
  parentPort!.postMessage(await runJob(workerData as Job))
} else {
  const wanted = process.argv.slice(2)
  const size = DEFAULT_MAX_INPUT_BYTES - 256
  const runs = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? "3", 10) || 3)
  const rows: Array<Record<string, string | number>> = []
  for (const shape of shapes) {
    if (wanted.length > 0 && !wanted.includes(shape.name)) continue
    const input = shape.build(seedDer(), size)
    const result = await inWorker(
      { shape: shape.name, input, runs },
      typeof input === "string" ? [] : [input.buffer as ArrayBuffer]
    )
    rows.push(
      typeof result === "string"
        ? { shape: shape.name, outcome: `FAILED: ${result}` }
        : {
            shape: result.shape,
            "input KiB": Math.round(result.inputBytes / 1024),
            outcome: result.outcome,
            "msg B": result.messageBytes,
            "ms (median)": result.medianMs,
            "ms (worst)": result.worstMs,
            "heap Δ MiB": result.heapDeltaMiB,
            "retained MiB": result.retainedMiB
          }
    )
  }
  console.log(
    `hostile shapes at ${size} bytes, ${runs} parses each, worker heap capped at 64 MiB (48 old + 16 young)`
  )
  console.table(rows)
  const over = rows.filter((r) => typeof r["ms (worst)"] !== "number" || (r["ms (worst)"] as number) > 50)
  console.log(
    over.length === 0
      ? "every shape under 50 ms"
      : `over 50 ms or failed: ${over.map((r) => r.shape).join(", ")}`
  )
}
