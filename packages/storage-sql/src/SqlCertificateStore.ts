/**
 * The CertificateStore port over an @effect/sql client: one implementation for SQLite, PostgreSQL and
 * Cloudflare D1.
 *
 * Every write is a list of statements whose guards live inside the SQL, run atomically by `runBatch`:
 * a transaction on SQLite and PostgreSQL, one `D1Database.batch` on D1 (which has no interactive
 * transactions). The first statement locks the owner row, so writes to one owner serialise; a SELECT in
 * the same batch reports what the guards saw, so refusals are read from the batch's own results and never
 * from a second, racy query. Infrastructure failures (SqlError, undecodable rows) are defects.
 */
import { Certificate as Cert, CertificateStore, Errors, Ids, Owner as OwnerModule } from "@certory/domain"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Rows from "./Rows.js"

type Row = Rows.Row

/** Runs statements atomically (all or none) and returns each statement's rows, in order. */
export type RunBatch = (
  statements: ReadonlyArray<Statement.Statement<Row>>
) => Effect.Effect<ReadonlyArray<ReadonlyArray<Row>>, SqlError>

export interface Options {
  /** How a write's statements run atomically; a transaction unless the driver has none (D1). */
  readonly runBatch?: RunBatch
}

/** The default batch: the statements in order inside one transaction. */
export const transactionBatch =
  (sql: SqlClient.SqlClient): RunBatch =>
  (statements) =>
    sql.withTransaction(Effect.forEach(statements, (statement) => statement))

// PostgreSQL returns BIGINT and COUNT(*) as strings (they may exceed 2^53); epoch ms and counts never do.
const Int = Schema.Union(Schema.Int, Schema.compose(Schema.NumberFromString, Schema.Int))
const decodeInt = Schema.decodeUnknownSync(Int)

/** The row schemas below already validated every field; the class constructors need not do it again. */
const trusted = { disableValidation: true } as const

const OwnerRow = Schema.Struct({
  owner_key: Ids.OwnerRefFromString,
  display_name: Schema.NullOr(Schema.String),
  metadata_url: Schema.NullOr(Schema.String),
  enabled: Int,
  created_at: Int,
  created_by: Schema.String
})
const decodeOwnerRow = Schema.decodeUnknownSync(OwnerRow)

const toOwner = (row: unknown): OwnerModule.Owner => {
  const r = decodeOwnerRow(row)
  return new OwnerModule.Owner(
    {
      ref: r.owner_key,
      ...(r.display_name === null ? {} : { displayName: r.display_name }),
      ...(r.metadata_url === null ? {} : { metadataUrl: r.metadata_url }),
      enabled: r.enabled !== 0,
      createdAt: r.created_at,
      createdBy: r.created_by
    },
    trusted
  )
}

const BindingRow = Schema.Struct({
  certificate_id: Ids.CertificateId,
  owner_key: Schema.String,
  sha256: Ids.Sha256Hex,
  is_key_history: Int,
  archived_on_ca: Int,
  certificate_type: Int,
  origin: Cert.Origin,
  usage: Cert.CertificateUse,
  source: Cert.Source,
  bound_by: Schema.String,
  bound_at: Int
})
const decodeBindingRow = Schema.decodeUnknownSync(BindingRow)
const decodeOwnerKey = Schema.decodeSync(Ids.OwnerRefFromString)

// Parsing an owner key costs more than the rest of a binding row, and every row of a listing has the same
// one: the last key's (pure, immutable) result is reused. A bad key still throws: a defect.
let lastOwnerKey: { readonly key: string; readonly ref: Ids.OwnerRef } | undefined
const ownerOfKey = (key: string): Ids.OwnerRef => {
  if (lastOwnerKey?.key !== key) lastOwnerKey = { key, ref: decodeOwnerKey(key) }
  return lastOwnerKey.ref
}

const toBinding = (row: unknown): Cert.Binding => {
  const r = decodeBindingRow(row)
  return new Cert.Binding(
    {
      certificateId: r.certificate_id,
      owner: ownerOfKey(r.owner_key),
      sha256: r.sha256,
      isKeyHistory: r.is_key_history !== 0,
      archivedOnCa: r.archived_on_ca !== 0,
      certificateType: r.certificate_type,
      origin: r.origin,
      use: r.usage,
      source: r.source,
      boundBy: r.bound_by,
      boundAt: r.bound_at
    },
    trusted
  )
}

// Everything but the DER is stored as JSON text (Rows.factsJson); the DER goes in its own column as base64.
// Reading decodes through the schema, so a row that is not a valid certificate is a defect, not a value.
const decodeCertificate = Schema.decodeUnknownSync(Cert.Certificate)
const CertificateRow = Schema.Struct({ facts: Schema.String, der: Schema.String })
const decodeCertificateRow = Schema.decodeUnknownSync(CertificateRow)

const toCertificate = (row: unknown): Cert.Certificate => {
  const r = decodeCertificateRow(row)
  return decodeCertificate({ ...JSON.parse(r.facts), der: Rows.derFromBase64(r.der) })
}

const toOwnerCertificate = (row: unknown): Cert.OwnerCertificate =>
  new Cert.OwnerCertificate({ binding: toBinding(row), certificate: toCertificate(row) }, trusted)

const bool = (b: boolean): number => (b ? 1 : 0)

const sortColumns: Record<CertificateStore.SortField, string> = {
  notAfter: "not_after",
  notBefore: "not_before",
  boundAt: "bound_at",
  subject: "subject"
}

const lookupColumns: Record<CertificateStore.LookupKind, string> = {
  sha1: "sha1",
  sha256: "sha256",
  spkiSha256: "spki_sha256",
  serial: "serial_hex"
}

const certificateColumns = Rows.certificateColumns
const bindingColumnTypes = Rows.bindingColumns
type ColumnType = Rows.ColumnType
const columnList = (columns: ReadonlyArray<readonly [string, ColumnType]>) =>
  columns.map(([name]) => name).join(", ")

const CHUNK_BYTES = 1_000_000
/**
 * Rows as JSON array texts of at most CHUNK_BYTES each (one row may exceed it alone); each row is
 * stringified once, for its size and its text.
 */
const chunks = (rows: ReadonlyArray<Row>): ReadonlyArray<string> => {
  const out: Array<string> = []
  let current: Array<string> = []
  let size = 0
  for (const row of rows) {
    const text = JSON.stringify(row)
    if (current.length > 0 && size + text.length > CHUNK_BYTES) {
      out.push(`[${current.join(",")}]`)
      current = []
      size = 0
    }
    current.push(text)
    size += text.length
  }
  if (current.length > 0) out.push(`[${current.join(",")}]`)
  return out
}

const BINDING_COLUMNS =
  "b.certificate_id, b.owner_key, b.sha256, b.is_key_history, b.archived_on_ca, b.certificate_type, " +
  "b.origin, b.usage, b.source, b.bound_by, b.bound_at"

export const make = (
  options: Options = {}
): Effect.Effect<CertificateStore.CertificateStore["Type"], never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const runBatch = options.runBatch ?? transactionBatch(sql)
    const batch = (statements: ReadonlyArray<Statement.Statement<Row>>) => Effect.orDie(runBatch(statements))
    const query = <A>(statement: Statement.Statement<A>) => Effect.orDie(statement)
    const bindingColumns = sql.literal(BINDING_COLUMNS)

    // Serialises writers of one owner: a row lock on PostgreSQL; on SQLite a write as the first statement
    // takes the database write lock at once (waiting out other processes through busy_timeout) instead of
    // failing on a read-to-write upgrade. D1 runs each batch alone anyway.
    const lockOwner = (key: string) =>
      sql.onDialectOrElse({
        pg: () => sql<Row>`SELECT owner_key FROM owners WHERE owner_key = ${key} FOR UPDATE`,
        orElse: () => sql<Row>`UPDATE owners SET enabled = enabled WHERE owner_key = ${key}`
      })

    // A set of strings as one parameter: D1 allows only 100 bound parameters per statement.
    const stringSet = (values: ReadonlyArray<string>) =>
      sql.onDialectOrElse({
        pg: () => sql`SELECT jsonb_array_elements_text(CAST(${JSON.stringify(values)} AS jsonb))`,
        orElse: () => sql`SELECT value FROM json_each(${JSON.stringify(values)})`
      })

    // Rows from one JSON array text (one parameter), as a subquery with the given columns.
    const jsonRows = (rows: string, columns: ReadonlyArray<readonly [string, ColumnType]>) =>
      sql.onDialectOrElse({
        pg: () =>
          sql`SELECT * FROM jsonb_to_recordset(CAST(${rows} AS jsonb)) AS j(${sql.literal(
            columns.map(([name, type]) => `${name} ${type}`).join(", ")
          )})`,
        orElse: () =>
          sql`SELECT ${sql.literal(
            columns.map(([name]) => `json_extract(value, '$.${name}') AS ${name}`).join(", ")
          )} FROM json_each(${rows})`
      })

    const ownerExists = (key: string) =>
      query(sql<Row>`SELECT count(*) AS n FROM owners WHERE owner_key = ${key}`).pipe(
        Effect.map((rows) => decodeInt(rows[0]?.n) > 0)
      )

    const createOwner = (owner: OwnerModule.Owner) => {
      const key = Ids.ownerKey(owner.ref)
      return query(
        sql<Row>`INSERT INTO owners
          (owner_key, kind, identity_store_id, display_name, metadata_url, enabled, created_at, created_by)
          VALUES (${key}, ${owner.ref._tag}, ${Ids.identityStoreOf(owner.ref) ?? null}, ${owner.displayName ?? null},
            ${owner.metadataUrl ?? null}, ${bool(owner.enabled)}, ${owner.createdAt}, ${owner.createdBy})
          ON CONFLICT (owner_key) DO NOTHING
          RETURNING owner_key`
      ).pipe(
        Effect.flatMap((rows) =>
          rows.length === 0 ? Effect.fail(new Errors.OwnerAlreadyExists({ owner: key })) : Effect.void
        )
      )
    }

    const getOwner = (ref: Ids.OwnerRef) =>
      query(sql<Row>`SELECT * FROM owners WHERE owner_key = ${Ids.ownerKey(ref)}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toOwner))
      )

    const updateOwner = (ref: Ids.OwnerRef, patch: CertificateStore.OwnerPatch) => {
      const key = Ids.ownerKey(ref)
      // A key present with `undefined` clears the field; an absent key leaves it alone.
      const assignments = [
        sql`enabled = ${patch.enabled === undefined ? sql.literal("enabled") : bool(patch.enabled)}`
      ]
      if ("displayName" in patch) assignments.push(sql`display_name = ${patch.displayName ?? null}`)
      if ("metadataUrl" in patch) assignments.push(sql`metadata_url = ${patch.metadataUrl ?? null}`)
      return query(
        sql<Row>`UPDATE owners SET ${sql.csv(assignments)} WHERE owner_key = ${key} RETURNING *`
      ).pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.fail(new Errors.OwnerNotFound({ owner: key }))
            : Effect.succeed(toOwner(rows[0]))
        )
      )
    }

    const listOwners = (q: CertificateStore.OwnerQuery) => {
      const filters = [
        ...(q.kind === undefined ? [] : [sql`kind = ${q.kind}`]),
        ...(q.identityStoreId === undefined ? [] : [sql`identity_store_id = ${q.identityStoreId}`])
      ]
      const page = q.afterKey === undefined ? filters : [...filters, sql`owner_key > ${q.afterKey}`]
      return Effect.all({
        total: query(sql<Row>`SELECT count(*) AS n FROM owners WHERE ${sql.and(filters)}`),
        items: query(
          sql<Row>`SELECT * FROM owners WHERE ${sql.and(page)} ORDER BY owner_key LIMIT ${q.limit}`
        )
      }).pipe(
        Effect.map(({ items, total }) => ({ items: items.map(toOwner), total: decodeInt(total[0]?.n) }))
      )
    }

    const removeOwner = (ref: Ids.OwnerRef) => {
      const key = Ids.ownerKey(ref)
      // Bindings are deleted explicitly rather than through ON DELETE CASCADE, so the outcome does not
      // depend on whether the connection enforces foreign keys.
      return batch([
        lockOwner(key),
        sql<Row>`DELETE FROM bindings WHERE owner_key = ${key}`,
        sql<Row>`DELETE FROM owners WHERE owner_key = ${key} RETURNING owner_key`
      ]).pipe(
        Effect.flatMap((results) =>
          results[2]?.length === 0 ? Effect.fail(new Errors.OwnerNotFound({ owner: key })) : Effect.void
        )
      )
    }

    const bind = (request: CertificateStore.BindRequest) =>
      Effect.gen(function* () {
        const key = Ids.ownerKey(request.owner)
        const hashes = Array.from(new Set(request.items.map((item) => item.certificate.sha256)))
        const max = request.maxBindings
        // The owner's bindings outside this request. The batch only adds bindings inside the request, so
        // this count (and the owner's existence) is the same for every statement of the batch: the guard
        // lets all of the inserts through or none.
        const others = sql`(SELECT count(*) FROM bindings WHERE owner_key = ${key} AND sha256 NOT IN (${stringSet(hashes)}))`
        const exists = sql`EXISTS (SELECT 1 FROM owners WHERE owner_key = ${key})`
        const guard =
          max === undefined
            ? exists
            : sql`${exists} AND ${others} + CAST(${hashes.length} AS BIGINT) <= CAST(${max} AS BIGINT)`

        // Rows travel as JSON, one parameter per statement (D1 binds at most 100 parameters), in chunks
        // of at most ~1 MB (D1's value limit is 2 MB), so a bind costs a handful of statements, not 2n.
        const seen = new Set<string>()
        const certificateRows: Array<Row> = []
        for (const { certificate: c } of request.items) {
          if (seen.has(c.sha256)) continue
          seen.add(c.sha256)
          certificateRows.push(Rows.certificateRow(c))
        }
        const bindingRows = request.items.map(({ attributes, certificate: c, certificateId }) =>
          Rows.bindingRow(c, {
            certificateId,
            ownerKey: key,
            attributes,
            boundBy: request.boundBy,
            boundAt: request.boundAt
          })
        )
        const certificates = chunks(certificateRows).map(
          (rows) =>
            sql<Row>`INSERT INTO certificates (${sql.literal(columnList(certificateColumns))})
              SELECT ${sql.literal(columnList(certificateColumns))} FROM (${jsonRows(rows, certificateColumns)}) r
              WHERE ${guard}
              ON CONFLICT (sha256) DO NOTHING`
        )
        const bindings = chunks(bindingRows).map(
          (rows) =>
            sql<Row>`INSERT INTO bindings (${sql.literal(columnList(bindingColumnTypes))})
              SELECT ${sql.literal(columnList(bindingColumnTypes))} FROM (${jsonRows(rows, bindingColumnTypes)}) r
              WHERE ${guard}
              ON CONFLICT (owner_key, sha256) DO NOTHING
              RETURNING certificate_id`
        )
        const results = yield* batch([
          lockOwner(key),
          sql<Row>`SELECT (SELECT count(*) FROM owners WHERE owner_key = ${key}) AS owners, ${others} AS others`,
          ...certificates,
          ...bindings,
          sql<Row>`SELECT ${bindingColumns} FROM bindings b
            WHERE b.owner_key = ${key} AND b.sha256 IN (${stringSet(hashes)})`
        ])
        const seenByGuard = results[1]?.[0]
        if (seenByGuard === undefined || decodeInt(seenByGuard.owners) === 0) {
          return yield* new Errors.OwnerNotFound({ owner: key })
        }
        if (max !== undefined && decodeInt(seenByGuard.others) + hashes.length > max) {
          return yield* new Errors.CertificateLimitReached({ owner: key, limit: max })
        }
        const byHash = new Map((results[results.length - 1] ?? []).map((row) => [row.sha256, toBinding(row)]))
        const inserted = new Set(
          results
            .slice(2 + certificates.length, 2 + certificates.length + bindings.length)
            .flatMap((rows) => rows.map((row) => row.certificate_id))
        )
        return request.items.map((item): CertificateStore.BindResult => {
          const binding = byHash.get(item.certificate.sha256)
          // Unreachable once the batch succeeded: it ends with every requested certificate bound to the
          // owner (a certificate id another binding holds fails the whole batch on the primary key: a defect).
          if (binding === undefined)
            throw new Error(`binding of ${item.certificate.sha256} to ${key} is missing`)
          // An item repeated in one request is created once: the first time its binding is seen.
          const created = binding.certificateId === item.certificateId && inserted.delete(item.certificateId)
          return { binding, created }
        })
      })

    const unbind = (request: CertificateStore.UnbindRequest) =>
      Effect.gen(function* () {
        const key = Ids.ownerKey(request.owner)
        const id = request.certificateId
        const t = request.keepLastValidAt
        const keep =
          t === undefined
            ? sql`1=1`
            : sql`(NOT (not_before <= ${t} AND not_after >= ${t}) OR EXISTS (
                SELECT 1 FROM bindings other WHERE other.owner_key = ${key} AND other.certificate_id <> ${id}
                  AND other.not_before <= ${t} AND other.not_after >= ${t}))`
        const results = yield* batch([
          lockOwner(key),
          sql<Row>`SELECT count(*) AS n FROM owners WHERE owner_key = ${key}`,
          sql<Row>`SELECT ${bindingColumns} FROM bindings b WHERE b.owner_key = ${key} AND b.certificate_id = ${id}`,
          sql<Row>`DELETE FROM bindings WHERE owner_key = ${key} AND certificate_id = ${id} AND ${keep}
            RETURNING certificate_id`
        ])
        if (decodeInt(results[1]?.[0]?.n) === 0) return yield* new Errors.OwnerNotFound({ owner: key })
        const row = results[2]?.[0]
        if (row === undefined) return yield* new Errors.CertificateNotFound({ owner: key, certificateId: id })
        if (results[3]?.length === 0)
          return yield* new Errors.LastValidCertificate({ owner: key, certificateId: id })
        return toBinding(row)
      })

    const getBinding = (owner: Ids.OwnerRef, certificateId: Ids.CertificateId) =>
      query(
        sql<Row>`SELECT ${bindingColumns}, c.facts, c.der FROM bindings b JOIN certificates c ON c.sha256 = b.sha256
          WHERE b.owner_key = ${Ids.ownerKey(owner)} AND b.certificate_id = ${certificateId}`
      ).pipe(Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toOwnerCertificate)))

    /** Items in keyset order and the total ignoring `after`; both use the same filters. */
    const slice = (
      filters: ReadonlyArray<Statement.Fragment>,
      column: string,
      direction: CertificateStore.SortDirection,
      after: CertificateStore.After | undefined,
      limit: number
    ) => {
      const col = sql.literal(`b.${column}`)
      const cmp = sql.literal(direction === "asc" ? ">" : "<")
      const dir = sql.literal(direction === "asc" ? "ASC" : "DESC")
      const page =
        after === undefined
          ? filters
          : [...filters, sql`(${col}, b.certificate_id) ${cmp} (${after.value}, ${after.certificateId})`]
      return Effect.all({
        total: query(sql<Row>`SELECT count(*) AS n FROM bindings b WHERE ${sql.and(filters)}`),
        items: query(
          sql<Row>`SELECT ${bindingColumns}, c.facts, c.der FROM bindings b JOIN certificates c ON c.sha256 = b.sha256
            WHERE ${sql.and(page)} ORDER BY ${col} ${dir}, b.certificate_id ${dir} LIMIT ${limit}`
        )
      }).pipe(
        Effect.map(({ items, total }) => ({
          items: items.map(toOwnerCertificate),
          total: decodeInt(total[0]?.n)
        }))
      )
    }

    const listBindings = (q: CertificateStore.BindingQuery) =>
      Effect.gen(function* () {
        const key = Ids.ownerKey(q.owner)
        if (!(yield* ownerExists(key))) return yield* new Errors.OwnerNotFound({ owner: key })
        const filters = [
          sql`b.owner_key = ${key}`,
          ...(q.notBeforeMin === undefined ? [] : [sql`b.not_before >= ${q.notBeforeMin}`]),
          ...(q.notBeforeMax === undefined ? [] : [sql`b.not_before <= ${q.notBeforeMax}`]),
          ...(q.notAfterMin === undefined ? [] : [sql`b.not_after >= ${q.notAfterMin}`]),
          ...(q.notAfterMax === undefined ? [] : [sql`b.not_after <= ${q.notAfterMax}`]),
          ...(q.isKeyHistory === undefined ? [] : [sql`b.is_key_history = ${bool(q.isKeyHistory)}`]),
          ...(q.archivedOnCa === undefined ? [] : [sql`b.archived_on_ca = ${bool(q.archivedOnCa)}`]),
          ...(q.template === undefined
            ? []
            : [sql`(b.template_name = ${q.template} OR b.template_oid = ${q.template})`])
        ]
        return yield* slice(filters, sortColumns[q.sort.field], q.sort.direction, q.after, q.limit)
      })

    // Each list is one JSON parameter (two in all, whatever their length), so D1's limit of 100 bound
    // parameters per statement holds; an empty list matches nothing.
    const inScope = (scope: CertificateStore.OwnerScope) =>
      sql`(b.owner_key IN (${stringSet(scope.owners.map(Ids.ownerKey))})
        OR b.owner_key IN (SELECT o.owner_key FROM owners o
          WHERE o.identity_store_id IN (${stringSet(scope.identityStoreIds)})))`

    const listExpiring = (q: CertificateStore.ExpiringQuery) =>
      slice(
        [
          sql`b.not_after <= ${q.notAfterMax}`,
          ...(q.notAfterMin === undefined ? [] : [sql`b.not_after >= ${q.notAfterMin}`]),
          ...(q.notBeforeMax === undefined ? [] : [sql`b.not_before <= ${q.notBeforeMax}`]),
          ...(q.scope === undefined ? [] : [inScope(q.scope)])
        ],
        "not_after",
        "asc",
        q.after,
        q.limit
      )

    const find = (kind: CertificateStore.LookupKind, value: string) =>
      Effect.gen(function* () {
        const column = sql.literal(`c.${lookupColumns[kind]}`)
        const certificates = yield* query(
          sql<Row>`SELECT c.sha256, c.facts, c.der FROM certificates c WHERE ${column} = ${value} ORDER BY c.sha256`
        )
        if (certificates.length === 0) return []
        const bindings = yield* query(
          sql<Row>`SELECT ${bindingColumns} FROM bindings b JOIN certificates c ON c.sha256 = b.sha256
            WHERE ${column} = ${value} ORDER BY b.certificate_id`
        )
        const bySha = new Map<unknown, Array<Cert.Binding>>()
        for (const row of bindings) {
          const list = bySha.get(row.sha256) ?? []
          list.push(toBinding(row))
          bySha.set(row.sha256, list)
        }
        return certificates.map(
          (row): CertificateStore.FoundCertificate => ({
            certificate: toCertificate(row),
            bindings: bySha.get(row.sha256) ?? []
          })
        )
      })

    const getCertificate = (sha256: Ids.Sha256Hex) =>
      query(sql<Row>`SELECT facts, der FROM certificates WHERE sha256 = ${sha256}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toCertificate))
      )

    return CertificateStore.CertificateStore.of({
      createOwner,
      getOwner,
      updateOwner,
      listOwners,
      removeOwner,
      bind,
      unbind,
      getBinding,
      listBindings,
      listExpiring,
      find,
      getCertificate
    })
  })

/** The store over whatever SqlClient is provided; the caller runs the migrations first. */
export const layer = (
  options: Options = {}
): Layer.Layer<CertificateStore.CertificateStore, never, SqlClient.SqlClient> =>
  Layer.effect(CertificateStore.CertificateStore, make(options))
