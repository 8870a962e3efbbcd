/**
 * The storage benchmark shared by the SQLite and PostgreSQL adapters (their `bench/storage.bench.ts`
 * only read the corpus and say how to open an empty database, then call `main`): bulk import through
 * the store against a plain insert of the same rows through the same driver, and one owner's listing
 * latency with 1k and with 1M certificates stored. Benchmark code, kept out of the library's src/ and
 * reached through the package's "./StoreBench" export.
 *
 * Certificates are derived from real ones: the serial's low bytes are overwritten with a counter (the
 * signature no longer verifies; the store never checks it), and the facts that change (serial, SHA-1,
 * SHA-256, DER) are recomputed. A sample is re-parsed by the real parser to prove the derivation exact.
 * Only WebCrypto and effect: nothing here needs node:.
 */
import {
  Certificate as Cert,
  CertificateStore,
  Ids,
  Owner as OwnerModule,
  type CertificateParser as Parser
} from "@certory/domain"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Rows from "../src/Rows.js"
import * as SqlCertificateStore from "../src/SqlCertificateStore.js"

export interface Options {
  /** Certificates imported (BENCH_N). */
  readonly n: number
  /** Certificates per bind request, one owner each (BENCH_CHUNK). */
  readonly perOwner: number
  /** Certificates stored for the large listing case (BENCH_LARGE). */
  readonly large: number
  /** Listing repetitions per sort field (BENCH_REPEAT). */
  readonly repeat: number
  /** Real certificates to derive from. */
  readonly bases: ReadonlyArray<Cert.Certificate>
  /** The real parser, for checking a sample of derived certificates. */
  readonly parse: (der: Uint8Array) => Effect.Effect<Cert.Certificate, unknown>
}

const hex = (bytes: Uint8Array) => Encoding.encodeHex(bytes).toUpperCase()

/** Offset and length of the serial INTEGER's content inside a certificate's DER. */
const serialLocation = (der: Uint8Array): { offset: number; length: number } => {
  let p = 0
  const header = () => {
    p++ // tag
    const first = der[p++]!
    if (first < 0x80) return first
    let length = 0
    for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + der[p++]!
    return length
  }
  header() // Certificate SEQUENCE
  header() // TBSCertificate SEQUENCE
  if (der[p] === 0xa0) {
    const length = header() // [0] version
    p += length
  }
  if (der[p] !== 0x02) throw new Error("no serial INTEGER where expected")
  const length = header()
  return { offset: p, length }
}

/** Bases whose serial has room for a 5-byte counter and stays positive. */
export const usableBases = (bases: ReadonlyArray<Cert.Certificate>) =>
  bases.filter((c) => {
    const { length, offset } = serialLocation(c.der)
    return length >= 8 && c.der[offset]! < 0x80
  })

const digest = async (algorithm: "SHA-1" | "SHA-256", der: Uint8Array<ArrayBuffer>) =>
  hex(new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, der)))

/** The i-th derived certificate: distinct DER (so distinct SHA-256) for each (bases, i). */
export const derive = (bases: ReadonlyArray<Cert.Certificate>, i: number, salt: number) =>
  Effect.promise(async () => {
    const base = bases[i % bases.length]!
    const der = new Uint8Array(base.der)
    const { length, offset } = serialLocation(der)
    const end = offset + length
    der[end - 5] = salt & 0xff
    der[end - 4] = (i >>> 24) & 0xff
    der[end - 3] = (i >>> 16) & 0xff
    der[end - 2] = (i >>> 8) & 0xff
    der[end - 1] = i & 0xff
    const content = der.subarray(offset, end)
    const windows = hex(content)
    const canonical = windows.replace(/^0+(?=.)/, "")
    const [sha1, sha256] = await Promise.all([digest("SHA-1", der), digest("SHA-256", der)])
    return new Cert.Certificate({
      ...base,
      sha256: Ids.Sha256Hex.make(sha256),
      sha1,
      serial: new Cert.SerialNumber({
        windows,
        hex: canonical,
        decimal: BigInt(`0x${canonical}`).toString()
      }),
      der
    })
  })

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!

const ms = (x: number) => x.toFixed(3)

const smartCard = (i: number) => {
  const h = i.toString(16).padStart(12, "0")
  return new Ids.SmartCardRef({ id: Schema.decodeSync(Ids.Guid)(`${h.slice(4)}-0000-4000-8000-${h}`) })
}

/**
 * The baseline: the rows the store writes for these certificates (Rows.certificateRow / bindingRow, built
 * before the clock starts), as two plain multi-row INSERT ... VALUES (no guards, no JSON parameter, no
 * read-back) in one transaction into the same schema: only the driver and the database are timed.
 */
const plainInsert = (
  sql: SqlClient.SqlClient,
  certificates: ReadonlyArray<Rows.Row>,
  bindings: ReadonlyArray<Rows.Row>
) =>
  sql.withTransaction(
    Effect.zipRight(
      sql`INSERT INTO certificates ${sql.insert(certificates)}`,
      sql`INSERT INTO bindings ${sql.insert(bindings)}`
    )
  )

/**
 * Filler rows written directly in SQL (the listing case is about the index, not the import path): owners
 * of 100 certificates each, one tiny certificate row and one binding per number in [from, to).
 */
const seed = (sql: SqlClient.SqlClient, from: number, to: number) =>
  Effect.gen(function* () {
    const step = 50_000
    for (let start = from; start < to; start += step) {
      const end = Math.min(to, start + step) - 1
      const series = sql.onDialectOrElse({
        pg: () => sql`SELECT generate_series(${start}::bigint, ${end}::bigint) AS i`,
        orElse: () =>
          sql`WITH RECURSIVE s(i) AS (SELECT ${start} UNION ALL SELECT i + 1 FROM s WHERE i < ${end}) SELECT i FROM s`
      })
      const hexOf = (width: number, x: string) =>
        sql.onDialectOrElse({
          pg: () => sql.literal(`lpad(upper(to_hex(${x})), ${width}, '0')`),
          orElse: () => sql.literal(`printf('%0${width}X', ${x})`)
        })
      const lowerHexOf = (width: number, x: string) =>
        sql.onDialectOrElse({
          pg: () => sql.literal(`lpad(to_hex(${x}), ${width}, '0')`),
          orElse: () => sql.literal(`printf('%0${width}x', ${x})`)
        })
      // Owner keys are valid smart card GUIDs (ffff... prefix: never one of the import's owners).
      const ownerKey = sql`'smartcard:ffff' || ${lowerHexOf(4, "(i / 100)")} || '-0000-4000-8000-' || ${lowerHexOf(12, "(i / 100)")}`
      yield* sql.withTransaction(
        Effect.all([
          sql`INSERT INTO owners (owner_key, kind, identity_store_id, display_name, metadata_url, enabled, created_at, created_by)
            SELECT DISTINCT ${ownerKey}, 'SmartCard', NULL, NULL, NULL, 1, 0, 'bench' FROM (${series}) s
            WHERE 1 = 1 ON CONFLICT (owner_key) DO NOTHING`,
          sql`INSERT INTO certificates (sha256, sha1, spki_sha256, serial_hex, not_before, not_after, subject, facts, der)
            SELECT ${hexOf(64, "i")}, ${hexOf(40, "i")}, ${hexOf(64, "i")}, ${hexOf(1, "i")},
              1600000000000 + i * 1000, 1631536000000 + i * 1000, 'CN=filler ' || i, '{}', '' FROM (${series}) s`,
          sql`INSERT INTO bindings (certificate_id, owner_key, sha256, is_key_history, archived_on_ca, certificate_type,
              origin, usage, source, bound_by, bound_at, not_before, not_after, subject, template_name, template_oid)
            SELECT 'filler' || i, ${ownerKey}, ${hexOf(64, "i")}, 0, 0, 1, 'native', 'signing', 'upload', 'bench', i,
              1600000000000 + i * 1000, 1631536000000 + i * 1000, 'CN=filler ' || i, NULL, NULL FROM (${series}) s`
        ])
      )
    }
    yield* sql`ANALYZE`
  }).pipe(Effect.orDie)

const count = (sql: SqlClient.SqlClient) =>
  sql<{ n: unknown }>`SELECT count(*) AS n FROM certificates`.pipe(
    Effect.map((rows) => Number(rows[0]?.n)),
    Effect.orDie
  )

/** One owner's first page (50) and a keyset page, for every sort field; latencies in ms. */
const listing = (store: CertificateStore.CertificateStore["Type"], owner: Ids.OwnerRef, repeat: number) =>
  Effect.gen(function* () {
    const lines: Array<string> = []
    const all: Array<number> = []
    for (const field of ["notAfter", "notBefore", "boundAt", "subject"] as const) {
      const times: Array<number> = []
      // The first few rounds warm the JIT and the page cache; they are not counted.
      for (let r = -30; r < repeat; r++) {
        const direction = r % 2 === 0 ? "asc" : "desc"
        const t0 = performance.now()
        const page = yield* store
          .listBindings({ owner, sort: { field, direction }, limit: 50 })
          .pipe(Effect.orDie)
        const last = page.items[page.items.length - 1]!
        const value = CertificateStore.sortValue(last, field)
        yield* store
          .listBindings({
            owner,
            sort: { field, direction },
            limit: 50,
            after: { value, certificateId: last.binding.certificateId }
          })
          .pipe(Effect.orDie)
        if (r >= 0) times.push((performance.now() - t0) / 2)
      }
      times.sort((a, b) => a - b)
      all.push(...times)
      lines.push(
        `    ${field.padEnd(9)} p50 ${ms(percentile(times, 50))} ms  p95 ${ms(percentile(times, 95))} ms`
      )
    }
    all.sort((a, b) => a - b)
    return { lines, p50: percentile(all, 50), p95: percentile(all, 95) }
  })

/**
 * Runs the benchmark and prints it. `store`/`sql` are one database, `baseline` another with the same
 * (migrated) schema and the same driver.
 */
export const run = (
  label: string,
  options: Options,
  store: CertificateStore.CertificateStore["Type"],
  sql: SqlClient.SqlClient,
  baseline: SqlClient.SqlClient
) =>
  Effect.gen(function* () {
    const bases = usableBases(options.bases)
    const salt = Math.floor(Math.random() * 256)
    const attributes = Cert.BindingAttributes.make({})
    const print = (line: string) => Effect.sync(() => console.log(line))
    yield* print(
      `${label}: ${options.n} certificates derived from ${bases.length} real ones, ${options.perOwner} per bind request`
    )

    // The derivation must agree with the real parser.
    for (const i of [0, 1, 7777, options.n - 1]) {
      const derived = yield* derive(bases, i, salt)
      const parsed = yield* Effect.orDie(options.parse(derived.der))
      if (
        JSON.stringify(Schema.encodeSync(Cert.Certificate)(parsed)) !==
        JSON.stringify(Schema.encodeSync(Cert.Certificate)(derived))
      ) {
        return yield* Effect.dieMessage(`derived certificate ${i} differs from its parse`)
      }
    }

    // Listing with ~1k certificates stored: the listed owner holds 100 real ones.
    const listed = smartCard(0xeeeeeeee)
    yield* Effect.orDie(
      store.createOwner(
        new OwnerModule.Owner({ ref: listed, enabled: true, createdAt: 0, createdBy: "bench" })
      )
    )
    const listedItems = yield* Effect.forEach(
      Array.from({ length: 100 }, (_, k) => k),
      (k) =>
        Effect.map(derive(bases, 1_000_000_000 + k, salt), (certificate) => ({
          certificate,
          attributes,
          certificateId: Ids.CertificateId.make(`listed${k}`)
        }))
    )
    yield* Effect.orDie(store.bind({ owner: listed, items: listedItems, boundBy: "bench", boundAt: 1 }))
    yield* seed(sql, 0, 900)
    const small = yield* listing(store, listed, options.repeat)
    const smallCount = yield* count(sql)

    // Import: the same derived certificates through the store and as plain rows, chunk by chunk.
    let storeMs = 0
    let plainMs = 0
    for (let start = 0; start < options.n; start += options.perOwner) {
      const size = Math.min(options.perOwner, options.n - start)
      const certificates = yield* Effect.forEach(
        Array.from({ length: size }, (_, k) => start + k),
        (i) => derive(bases, i, salt)
      )
      const owner = smartCard(start / options.perOwner)
      yield* Effect.orDie(
        store.createOwner(
          new OwnerModule.Owner({ ref: owner, enabled: true, createdAt: 0, createdBy: "bench" })
        )
      )
      const items = certificates.map((certificate, k) => ({
        certificate,
        attributes,
        certificateId: Ids.CertificateId.make(`i${start + k}`)
      }))
      const t0 = performance.now()
      yield* Effect.orDie(store.bind({ owner, items, boundBy: "bench", boundAt: start }))
      const t1 = performance.now()
      const key = Ids.ownerKey(owner)
      yield* baseline`INSERT INTO owners (owner_key, kind, enabled, created_at, created_by) VALUES (${key}, 'SmartCard', 1, 0, 'bench')`.pipe(
        Effect.orDie
      )
      const certificateRows = items.map((item) => Rows.certificateRow(item.certificate))
      const bindingRows = items.map((item) =>
        Rows.bindingRow(
          new Cert.Binding(
            {
              certificateId: item.certificateId,
              owner,
              sha256: item.certificate.sha256,
              isKeyHistory: item.attributes.isKeyHistory,
              archivedOnCa: item.attributes.archivedOnCa,
              certificateType: item.attributes.certificateType,
              origin: item.attributes.origin,
              use: item.attributes.use,
              source: item.attributes.source,
              boundBy: "bench",
              boundAt: start
            },
            // Every field is a domain value the request already carries validated (validating the
            // class again cost ~100 us per row, a third of a bulk import).
            { disableValidation: true }
          ),
          item.certificate
        )
      )
      const t2 = performance.now()
      yield* Effect.orDie(plainInsert(baseline, certificateRows, bindingRows))
      plainMs += performance.now() - t2
      storeMs += t1 - t0
    }
    const storeRate = options.n / (storeMs / 1000)
    const plainRate = options.n / (plainMs / 1000)

    // Listing with `large` certificates stored.
    const have = yield* count(sql)
    yield* print(`  seeding up to ${options.large} certificates in SQL...`)
    const t3 = performance.now()
    yield* seed(sql, 900, 900 + Math.max(0, options.large - have))
    const seedS = (performance.now() - t3) / 1000
    const largeCount = yield* count(sql)
    const big = yield* listing(store, listed, options.repeat)

    yield* print(
      `  import through the store: ${storeRate.toFixed(0)} certificates/s (${(storeMs / 1000).toFixed(1)} s)`
    )
    yield* print(
      `  plain INSERT baseline:    ${plainRate.toFixed(0)} certificates/s (multi-row VALUES, ${(plainMs / 1000).toFixed(1)} s)`
    )
    yield* print(`  store / baseline:         ${(storeRate / plainRate).toFixed(2)}`)
    yield* print(`  listing one owner (100 certificates, pages of 50), ${smallCount} certificates stored:`)
    for (const line of small.lines) yield* print(line)
    yield* print(`  same with ${largeCount} certificates stored (seeded in ${seedS.toFixed(0)} s):`)
    for (const line of big.lines) yield* print(line)
    yield* print(
      `  p50 ${ms(small.p50)} -> ${ms(big.p50)} ms (x${(big.p50 / small.p50).toFixed(2)}), p95 ${ms(small.p95)} -> ${ms(big.p95)} ms`
    )
  })

export interface MainOptions {
  /** What the report's first line calls the database and driver. */
  readonly label: string
  /** BENCH_LARGE when unset: how many certificates a large store holds on this database. */
  readonly large: number
  /** The real certificates to derive from, one file's content each (PEM text or DER). */
  readonly files: ReadonlyArray<string | Uint8Array>
  readonly parser: Parser.CertificateParser["Type"]
  /** A client on an empty database of its own: called once for the store, once for the baseline. */
  readonly client: (name: "store" | "baseline") => Layer.Layer<SqlClient.SqlClient, unknown>
}

const number = (name: string, fallback: number) => Config.withDefault(Config.number(name), fallback)

/**
 * An adapter's `pnpm bench`: reads BENCH_N (30000), BENCH_CHUNK (100), BENCH_LARGE (`large`) and
 * BENCH_REPEAT (200) from the environment, parses the bases, migrates both databases and runs.
 */
export const main = (options: MainOptions): Promise<void> =>
  Effect.gen(function* () {
    const first = (input: string | Uint8Array) =>
      Effect.map(options.parser.parse(input), (certificates) => certificates[0]!)
    const bases = yield* Effect.forEach(options.files, (file) => Effect.orDie(first(file)))
    const sizes = yield* Config.all({
      n: number("BENCH_N", 30_000),
      perOwner: number("BENCH_CHUNK", 100),
      large: number("BENCH_LARGE", options.large),
      repeat: number("BENCH_REPEAT", 200)
    })
    const open = (name: "store" | "baseline") =>
      Layer.build(Layer.provideMerge(SqlCertificateStore.layer(), options.client(name)))
    const target = yield* open("store")
    const baseline = yield* open("baseline")
    yield* run(
      options.label,
      { ...sizes, bases, parse: first },
      Context.get(target, CertificateStore.CertificateStore),
      Context.get(target, SqlClient.SqlClient),
      Context.get(baseline, SqlClient.SqlClient)
    )
  }).pipe(Effect.scoped, Effect.runPromise)
