/**
 * HTTP benchmark (`pnpm bench`; issue 7 §8): requests/s, p50 and p99 of the MIM and Huawei list endpoints
 * on Node over SQLite, each beside two baselines in the same run, then import throughput through `POST`
 * beside the store's own `bind`. Benchmark code: not a test, never picked up by vitest (`*.bench.ts`).
 *
 * The SQLite file holds BENCH_N certificates (default 20,000; the figure is BENCH_N=1000000),
 * 4 per owner, derived from the corpus roots by `@certory/storage-sql/StoreBench`'s `derive` (distinct
 * DER, serial and digests each) and written as the store's own rows (`Rows.*`) in large transactions
 * (bench/Seed.ts, shared with worker.bench.ts).
 * Even owners are smart cards (MIM), odd ones IdPs (Huawei) in 100 identity stores; an IdP holds 4 here,
 * so the bench's runtime raises `DomainConfig.maxIdpCertificates` to 4 (the listing never reads it).
 *
 * A child process serves, on loopback: (a) the real app (`createApp` over `SqliteCertificateStore.
 * layerStores` + the parser, `node.ts` `start`, the bootstrap token: authentication, authorization and
 * schema encoding on; the per-request JSON log line is built, its write dropped); (b) baseline 1, a bare
 * Hono app answering every owner with the bytes the real app sent for one owner; (c) baseline 2, a bare
 * Hono handler running the store's indexed listing query (bindings JOIN certificates for one owner, by
 * not_after, certificate_id, as the routes' default sort) through better-sqlite3 and answering its rows as
 * JSON. This process drives each with autocannon (BENCH_CONNECTIONS=50, BENCH_DURATION=5 s, BENCH_ROUNDS=2,
 * targets in rotated order per round, a warm-up first) on random owners, and prints ratios.
 *
 * Import: BENCH_IMPORT certificates (4,000) as PEM bodies of BENCH_CHUNK (100) to
 * `POST /api/v1/smartcards/{id}/certificates`, one owner per body, BENCH_IMPORT_CONCURRENCY (4) in flight,
 * against the same count bound through the store directly (`bind`, one owner per chunk, as the store
 * bench), interleaved in two halves on the same file. The HTTP side also parses the PEM.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server process there.
 */
import { type ChildProcess, fork } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import {
  Certificate as Cert,
  CertificateStore,
  DomainConfig,
  Ids,
  Owner as OwnerModule,
  Pem,
  Token
} from "@certory/domain"
import { Rows, SqlCertificateStore } from "@certory/storage-sql"
import * as StoreBench from "@certory/storage-sql/StoreBench"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import * as SqlClient from "@effect/sql/SqlClient"
import { serve } from "@hono/node-server"
import Database from "better-sqlite3"
import { Context, Effect, Layer, ManagedRuntime, Schema } from "effect"
import { Hono } from "hono"
import { App } from "../src/index.js"
import * as NodeApi from "../src/node.js"
import * as Load from "./Load.js"
import * as Seed from "./Seed.js"

const env = (name: string, fallback: number): number => {
  const value = process.env[name]
  return value === undefined || value === "" ? fallback : Number(value)
}

// ---- the servers (child process) -----------------------------------------------------------------

interface Ready {
  readonly real: string
  readonly bytes: string
  readonly query: string
}

const listen = (app: Hono): Promise<string> =>
  new Promise((done) => {
    serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      done(`http://127.0.0.1:${(info as AddressInfo).port}`)
    )
  })

const servers = async (filename: string, adminToken: string, mimOwner: number, idpOwner: number) => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      SqliteCertificateStore.layerStores({ filename }),
      X509CertificateParser.layer,
      Layer.succeed(DomainConfig.DomainConfig, {
        ...DomainConfig.defaults,
        maxIdpCertificates: Seed.PER_OWNER
      })
    )
  )
  // Every request's log line is still built (the caller stringifies it); only writing it is left out.
  const app = App.createApp({ runtime, adminToken, log: () => {} })
  const real = await NodeApi.start({ app, runtime, host: "127.0.0.1", port: 0 })

  const captured = async (path: string) => {
    const response = await fetch(`${real.url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } })
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`)
    return new Uint8Array(await response.arrayBuffer())
  }
  const mimBytes = await captured(Seed.pathOf(mimOwner))
  const huaweiBytes = await captured(Seed.pathOf(idpOwner))
  const bare = new Hono()
  const json = { "Content-Type": "application/json" }
  bare.get(`${Seed.MIM}/smartcards/:id/certificates`, (c) => c.body(mimBytes, 200, json))
  bare.get("/v1/identity-stores/:store/external-idp/:idp/certificate", (c) => c.body(huaweiBytes, 200, json))

  const db = new Database(filename)
  db.pragma("busy_timeout = 5000")
  db.pragma("cache_size = -65536")
  const listing = db.prepare(
    `SELECT ${Rows.bindingSelect}, c.facts, c.der FROM bindings b JOIN certificates c ON c.sha256 = b.sha256
      WHERE b.owner_key = ? ORDER BY b.not_after ASC, b.certificate_id ASC LIMIT 1000`
  )
  const query = new Hono()
  query.get(`${Seed.MIM}/smartcards/:id/certificates`, (c) =>
    c.json(listing.all(`smartcard:${c.req.param("id").toLowerCase()}`))
  )
  query.get("/v1/identity-stores/:store/external-idp/:idp/certificate", (c) =>
    c.json(listing.all(`idp:${c.req.param("store")}/${c.req.param("idp")}`))
  )
  const ready: Ready = { real: real.url, bytes: await listen(bare), query: await listen(query) }
  process.send?.(ready)
  process.on("message", () => {
    db.close()
    void real.close().then(() => process.exit(0))
  })
}

// ---- load -----------------------------------------------------------------------------------------

const median = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

// ---- import ---------------------------------------------------------------------------------------

const importOwner = (k: number) =>
  Ids.SmartCardRef.make({ id: Schema.decodeSync(Ids.Guid)(Seed.guidOf(k, "eeee")) })

// ---- main -----------------------------------------------------------------------------------------

const main = async () => {
  const n = env("BENCH_N", 20_000)
  const connections = env("BENCH_CONNECTIONS", 50)
  const duration = env("BENCH_DURATION", 5)
  const rounds = env("BENCH_ROUNDS", 2)
  const imported = env("BENCH_IMPORT", 4000)
  const chunk = env("BENCH_CHUNK", 100)
  const concurrency = env("BENCH_IMPORT_CONCURRENCY", 4)

  const parser = X509CertificateParser.make
  const bases = await Seed.bases()
  const work = mkdtempSync(join(tmpdir(), "certory-http-bench-"))
  const filename = join(work, "api.sqlite")
  const salt = Math.floor(Math.random() * 256)
  const adminToken = await Effect.runPromise(Token.newSecret)
  let child: ChildProcess | undefined
  const runtime = ManagedRuntime.make(
    Layer.provideMerge(SqlCertificateStore.layer(), SqliteCertificateStore.layerClientMigrated({ filename }))
  )
  try {
    const context = await runtime.runtime()
    const store = Context.get(context.context, CertificateStore.CertificateStore)
    const sql = Context.get(context.context, SqlClient.SqlClient)

    // The derivation must agree with the real parser.
    for (const i of [0, 1, n - 1]) {
      const derived = await Effect.runPromise(StoreBench.derive(bases, i, salt))
      const [parsed] = await Effect.runPromise(Effect.orDie(parser.parse(derived.der)))
      const encode = Schema.encodeSync(Cert.Certificate)
      if (JSON.stringify(encode(parsed!)) !== JSON.stringify(encode(derived)))
        throw new Error(`derived certificate ${i} differs from its parse`)
    }

    console.log(
      `HTTP API on Node + SQLite: ${n} certificates (${Seed.PER_OWNER} per owner) derived from ${bases.length} real ones`
    )
    const t0 = performance.now()
    await runtime.runPromise(
      Seed.seed(sql, bases, {
        certificates: n,
        salt,
        progress: (seeded) => console.log(`  seeded ${seeded}`)
      })
    )
    console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`)

    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the server process, written when it exits.
    const profile = process.env.BENCH_CPU_PROF
    child = fork(import.meta.filename, ["serve", filename, adminToken, "0", "1"], {
      stdio: "inherit",
      execArgv: [...process.execArgv, ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [])]
    })
    const ready = await new Promise<Ready>((done, fail) => {
      child!.once("message", (message) => done(message as Ready))
      child!.once("exit", (code) => fail(new Error(`server process exited (${code})`)))
    })

    const endpoints = Seed.endpoints(Math.floor(n / Seed.PER_OWNER), adminToken)
    const targets = [
      { name: "real app", url: ready.real },
      { name: "bare bytes", url: ready.bytes },
      { name: "bare query", url: ready.query }
    ] as const
    const figures = new Map<string, Array<Load.Figure>>()
    // Warm-up: JIT and page cache, not counted.
    for (const endpoint of endpoints)
      for (const target of targets)
        await Load.load(target.url, endpoint.headers, endpoint.paths, connections, 2)
    for (let r = 0; r < rounds; r++)
      for (const endpoint of endpoints)
        for (let t = 0; t < targets.length; t++) {
          const target = targets[(t + r) % targets.length]!
          const figure = await Load.load(target.url, endpoint.headers, endpoint.paths, connections, duration)
          const key = `${endpoint.name}/${target.name}`
          figures.set(key, [...(figures.get(key) ?? []), figure])
        }

    console.log(
      `  GET lists, autocannon on loopback, ${connections} connections, ${rounds} x ${duration} s per target, random owners:`
    )
    for (const endpoint of endpoints) {
      const summary = (target: string) => {
        const all = figures.get(`${endpoint.name}/${target}`)!
        return {
          rps: all.reduce((sum, f) => sum + f.rps, 0) / all.length,
          p50: median(all.map((f) => f.p50)),
          p99: median(all.map((f) => f.p99))
        }
      }
      type Summary = ReturnType<typeof summary>
      const [real, bytes, query] = targets.map((target) => summary(target.name)) as [
        Summary,
        Summary,
        Summary
      ]
      for (const [name, f] of [
        ["real app", real],
        ["bare bytes (baseline 1)", bytes],
        ["bare query (baseline 2)", query]
      ] as const)
        console.log(
          `    ${endpoint.name.padEnd(6)} ${name.padEnd(24)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms`
        )
      console.log(
        `    ${endpoint.name.padEnd(6)} real / baseline 2: ${(real.rps / query.rps).toFixed(2)}  real / baseline 1: ${(real.rps / bytes.rps).toFixed(2)}`
      )
    }

    // Import: the same number of certificates over HTTP and through the store, in two interleaved halves.
    const importSalt = (salt + 1) & 0xff
    const bodies = Math.ceil(imported / chunk)
    let httpMs = 0
    let storeMs = 0
    for (let half = 0; half < 2; half++) {
      const from = (half * bodies) >> 1
      const to = ((half + 1) * bodies) >> 1
      // HTTP: owners 2k, store: owners 2k + 1; every certificate is new.
      const prepared = await runtime.runPromise(
        Effect.forEach(
          Array.from({ length: to - from }, (_, k) => from + k),
          (b) =>
            Effect.gen(function* () {
              const certificates = (side: number) =>
                Effect.forEach(
                  Array.from({ length: chunk }, (_, k) => (2 * b + side) * chunk + k),
                  (i) => StoreBench.derive(bases, i, importSalt),
                  { concurrency: 32 }
                )
              for (const side of [0, 1])
                yield* Effect.orDie(
                  store.createOwner(
                    new OwnerModule.Owner({
                      ref: importOwner(2 * b + side),
                      enabled: true,
                      createdAt: 0,
                      createdBy: "bench"
                    })
                  )
                )
              return { b, http: yield* certificates(0), direct: yield* certificates(1) }
            })
        )
      )
      const pem = prepared.map(({ b, http }) => ({
        path: `/api/v1/smartcards/${Seed.guidOf(2 * b, "eeee")}/certificates`,
        body: http.map((c) => Pem.certificatePem(c.der)).join("")
      }))
      let next = 0
      const t1 = performance.now()
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < pem.length) {
            const { path, body } = pem[next++]!
            const response = await fetch(`${ready.real}${path}`, {
              method: "POST",
              headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-pem-file" },
              body
            })
            if (response.status !== 201)
              throw new Error(`POST ${path}: ${response.status} ${await response.text()}`)
            await response.arrayBuffer()
          }
        })
      )
      httpMs += performance.now() - t1
      const attributes = Cert.BindingAttributes.make({})
      for (const { b, direct } of prepared) {
        const items = direct.map((certificate) => ({
          certificate,
          attributes,
          certificateId: Ids.CertificateId.make(crypto.randomUUID())
        }))
        const t2 = performance.now()
        await runtime.runPromise(
          Effect.orDie(store.bind({ owner: importOwner(2 * b + 1), items, boundBy: "bench", boundAt: b }))
        )
        storeMs += performance.now() - t2
      }
    }
    const total = bodies * chunk
    const httpRate = total / (httpMs / 1000)
    const storeRate = total / (storeMs / 1000)
    console.log(
      `  import, ${total} certificates each side, PEM bodies of ${chunk} (one owner each), ${concurrency} in flight:`
    )
    console.log(
      `    POST /api/v1/smartcards/{id}/certificates ${httpRate.toFixed(0).padStart(6)} certificates/s`
    )
    console.log(
      `    store bind (same run, same file)        ${storeRate.toFixed(0).padStart(6)} certificates/s`
    )
    console.log(`    POST / bind: ${(httpRate / storeRate).toFixed(2)}`)
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((done) => child!.once("exit", done))
      child.send("close")
      await exited
    }
    await runtime.dispose()
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[2] === "serve") {
  const [, , , filename, token, mimOwner, idpOwner] = process.argv
  await servers(filename!, token!, Number(mimOwner), Number(idpOwner))
} else {
  await main()
}
