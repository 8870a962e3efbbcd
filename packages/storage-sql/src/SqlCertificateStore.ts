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
import {
  Certificate as Cert,
  CertificateStore,
  Errors,
  Ids,
  type Owner as OwnerModule
} from "@certory/domain"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Batch from "./Batch.js"
import * as Migrations from "./Migrations.js"
import * as Rows from "./Rows.js"

type Row = Rows.Row

export interface Options {
  /** How a write's statements run atomically; a transaction unless the driver has none (D1). */
  readonly runBatch?: Batch.RunBatch
}

const decodeInt = Schema.decodeUnknownSync(Rows.Int)
const decodeOwner = Schema.decodeUnknownSync(Rows.OwnerRow)
const encodeOwner = Schema.encodeSync(Rows.OwnerRow)
const decodeBinding = Schema.decodeUnknownSync(Rows.BindingRow)
const decodeCertificate = Schema.decodeUnknownSync(Rows.CertificateRow)
const encodeSamlJson = Schema.encodeSync(Rows.SamlJson)

/**
 * Rows of one result set (a binding's columns with `facts` and `der`) as OwnerCertificates. `owner`:
 * the owner every row belongs to, when the query selected one (its key is then not parsed per row).
 */
const toOwnerCertificates = (
  rows: ReadonlyArray<unknown>,
  owner?: { readonly key: string; readonly ref: Ids.OwnerRef }
): Array<Cert.OwnerCertificate> => {
  const binding = Rows.bindingDecoder(owner)
  return rows.map(
    (row) =>
      new Cert.OwnerCertificate(
        { binding: binding(row), certificate: decodeCertificate(row) },
        { disableValidation: true }
      )
  )
}

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

export const make = (
  options: Options = {}
): Effect.Effect<CertificateStore.CertificateStore["Type"], never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const dialect: Migrations.Dialect = sql.onDialectOrElse({ pg: () => "pg", orElse: () => "sqlite" })
    const batch = Batch.withRetries(options.runBatch ?? Batch.transactionBatch(sql))
    const query = <A>(statement: Statement.Statement<A>) => Effect.orDie(statement)
    const bindingColumns = sql.literal(Rows.bindingSelect)

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

    const createOwner = (owner: OwnerModule.Owner) => {
      const key = Ids.ownerKey(owner.ref)
      const parent =
        owner.ref._tag === "Idp"
          ? Ids.ownerKey(Ids.IdentityStoreRef.make({ id: owner.ref.identityStoreId }))
          : undefined
      // An IdP's store is locked (shared on PostgreSQL: IdPs of one store may be created side by side)
      // and checked in the same atomic batch as the insert, so a concurrent removal of the store either
      // runs first (the IdP is refused) or waits for the insert and removes the IdP with the store.
      const parentLock =
        parent === undefined
          ? []
          : [
              sql.onDialectOrElse({
                pg: () => sql<Row>`SELECT owner_key FROM owners WHERE owner_key = ${parent} FOR SHARE`,
                orElse: () => sql<Row>`UPDATE owners SET enabled = enabled WHERE owner_key = ${parent}`
              })
            ]
      const guard =
        parent === undefined ? sql`1=1` : sql`EXISTS (SELECT 1 FROM owners WHERE owner_key = ${parent})`
      return batch([
        ...parentLock,
        sql<Row>`INSERT INTO owners (${sql.literal(columnList(Rows.ownerColumns))})
          SELECT ${sql.literal(columnList(Rows.ownerColumns))}
          FROM (${jsonRows(JSON.stringify([encodeOwner(owner)]), Rows.ownerColumns)}) r
          WHERE ${guard}
          ON CONFLICT (owner_key) DO NOTHING
          RETURNING owner_key`,
        sql<Row>`SELECT count(*) AS n FROM owners WHERE owner_key = ${parent ?? key}`
      ]).pipe(
        Effect.flatMap((results): Effect.Effect<void, Errors.OwnerNotFound | Errors.OwnerAlreadyExists> => {
          const inserted = results[parentLock.length]?.length ?? 0
          if (inserted > 0) return Effect.void
          if (parent !== undefined && decodeInt(results[parentLock.length + 1]?.[0]?.n) === 0) {
            return Effect.fail(new Errors.OwnerNotFound({ owner: parent }))
          }
          return Effect.fail(new Errors.OwnerAlreadyExists({ owner: key }))
        })
      )
    }

    const getOwner = (ref: Ids.OwnerRef) =>
      query(sql<Row>`SELECT * FROM owners WHERE owner_key = ${Ids.ownerKey(ref)}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), decodeOwner))
      )

    const updateOwner = (ref: Ids.OwnerRef, patch: CertificateStore.OwnerPatch) => {
      const key = Ids.ownerKey(ref)
      // A key present with `undefined` clears the field; an absent key leaves it alone.
      const assignments = [
        sql`enabled = ${patch.enabled === undefined ? sql.literal("enabled") : bool(patch.enabled)}`
      ]
      if ("displayName" in patch) assignments.push(sql`display_name = ${patch.displayName ?? null}`)
      if ("metadataUrl" in patch) assignments.push(sql`metadata_url = ${patch.metadataUrl ?? null}`)
      if ("saml" in patch)
        assignments.push(sql`saml_json = ${patch.saml === undefined ? null : encodeSamlJson(patch.saml)}`)
      return batch([
        sql<Row>`UPDATE owners SET ${sql.csv(assignments)} WHERE owner_key = ${key} RETURNING *`
      ]).pipe(
        Effect.flatMap(([rows]) =>
          rows?.[0] === undefined
            ? Effect.fail(new Errors.OwnerNotFound({ owner: key }))
            : Effect.succeed(decodeOwner(rows[0]))
        )
      )
    }

    const listOwners = (q: CertificateStore.OwnerQuery) => {
      const filters = [
        ...(q.scope === undefined
          ? []
          : [
              sql`(owner_key IN (${stringSet(q.scope.owners.map(Ids.ownerKey))})
                OR identity_store_id IN (${stringSet(q.scope.identityStoreIds)}))`
            ]),
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
        Effect.map(({ items, total }) => ({
          items: items.map((row) => decodeOwner(row)),
          total: decodeInt(total[0]?.n)
        }))
      )
    }

    const removeOwner = (ref: Ids.OwnerRef) => {
      const key = Ids.ownerKey(ref)
      // Bindings are deleted explicitly rather than through ON DELETE CASCADE, so the outcome does not
      // depend on whether the connection enforces foreign keys. An identity store goes with its IdPs
      // (every owner whose identity_store_id is the store's, the store included) in the same batch.
      const owners =
        ref._tag === "IdentityStore"
          ? sql`SELECT owner_key FROM owners WHERE identity_store_id = ${ref.id}`
          : sql`${key}`
      return batch([
        lockOwner(key),
        sql<Row>`SELECT count(*) AS n FROM owners WHERE owner_key = ${key}`,
        sql<Row>`DELETE FROM bindings WHERE owner_key IN (${owners})`,
        sql<Row>`DELETE FROM owners WHERE owner_key IN (${owners})`
      ]).pipe(
        Effect.flatMap((results) =>
          decodeInt(results[1]?.[0]?.n) === 0
            ? Effect.fail(new Errors.OwnerNotFound({ owner: key }))
            : Effect.void
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
        // Certificate rows are shared between owners: two imports to different owners that overlap must
        // take their row locks in the same order (by SHA-256), or they can deadlock each other.
        const unique = new Map<string, Cert.Certificate>()
        for (const { certificate: c } of request.items) if (!unique.has(c.sha256)) unique.set(c.sha256, c)
        const certificateRows = [...unique.keys()]
          .sort()
          .map((sha256) => Rows.certificateRow(unique.get(sha256)!))
        const bindingRows = request.items.map(({ attributes, certificate: c, certificateId, submittedPem }) =>
          Rows.bindingRow(
            new Cert.Binding(
              {
                certificateId,
                owner: request.owner,
                sha256: c.sha256,
                isKeyHistory: attributes.isKeyHistory,
                archivedOnCa: attributes.archivedOnCa,
                certificateType: attributes.certificateType,
                origin: attributes.origin,
                use: attributes.use,
                source: attributes.source,
                boundBy: request.boundBy,
                boundAt: request.boundAt,
                ...(submittedPem === undefined ? {} : { submittedPem })
              },
              // Every field is a domain value the request already carries validated (validating the
              // class again cost ~100 us per row, a third of a bulk import).
              { disableValidation: true }
            ),
            c
          )
        )
        const certificates = chunks(certificateRows).map(
          (rows) =>
            sql<Row>`INSERT INTO certificates (${sql.literal(columnList(Rows.certificateColumns))})
              SELECT ${sql.literal(columnList(Rows.certificateColumns))} FROM (${jsonRows(rows, Rows.certificateColumns)}) r
              WHERE ${guard}
              ON CONFLICT (sha256) DO NOTHING`
        )
        const bindings = chunks(bindingRows).map(
          (rows) =>
            sql<Row>`INSERT INTO bindings (${sql.literal(columnList(Rows.bindingColumns))})
              SELECT ${sql.literal(columnList(Rows.bindingColumns))} FROM (${jsonRows(rows, Rows.bindingColumns)}) r
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
        const byHash = new Map(
          (results[results.length - 1] ?? []).map((row) => [row.sha256, decodeBinding(row)])
        )
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
        const k = request.keepValid
        const keep =
          k === undefined
            ? sql`1=1`
            : sql`(NOT (not_before <= ${k.from} AND not_after >= ${k.until}) OR EXISTS (
                SELECT 1 FROM bindings other WHERE other.owner_key = ${key} AND other.certificate_id <> ${id}
                  AND other.not_before <= ${k.from} AND other.not_after >= ${k.until}))`
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
        return decodeBinding(row)
      })

    const getBinding = (owner: Ids.OwnerRef, certificateId: Ids.CertificateId) => {
      const key = Ids.ownerKey(owner)
      return query(
        sql<Row>`SELECT ${bindingColumns}, c.facts, c.der FROM bindings b JOIN certificates c ON c.sha256 = b.sha256
          WHERE b.owner_key = ${key} AND b.certificate_id = ${certificateId}`
      ).pipe(Effect.map((rows) => Option.fromNullable(toOwnerCertificates(rows, { key, ref: owner })[0])))
    }

    /**
     * Items in keyset order and the total ignoring `after`; both use the same filters. With `owner`, a
     * missing owner gives `undefined`: the count query also says whether the owner exists (one round
     * trip fewer than asking first), and is skipped when the first page already holds every match.
     */
    const slice = (
      filters: ReadonlyArray<Statement.Fragment>,
      column: string,
      direction: CertificateStore.SortDirection,
      after: CertificateStore.After | undefined,
      limit: number,
      owner?: { readonly key: string; readonly ref: Ids.OwnerRef }
    ) =>
      Effect.gen(function* () {
        const col = sql.literal(
          column === "subject" ? Migrations.subjectKey(dialect, "b.subject") : `b.${column}`
        )
        const cmp = sql.literal(direction === "asc" ? ">" : "<")
        const dir = sql.literal(direction === "asc" ? "ASC" : "DESC")
        const page =
          after === undefined
            ? filters
            : [...filters, sql`(${col}, b.certificate_id) ${cmp} (${after.value}, ${after.certificateId})`]
        const items = yield* query(
          sql<Row>`SELECT ${bindingColumns}, c.facts, c.der FROM bindings b JOIN certificates c ON c.sha256 = b.sha256
            WHERE ${sql.and(page)} ORDER BY ${col} ${dir}, b.certificate_id ${dir} LIMIT ${limit}`
        )
        // A first page that is not full holds every match, so it is its own count; its rows (bindings
        // reference their owner) show the owner exists. Most owners hold a few certificates: their
        // listing is one query. Otherwise one more counts the matches and asks whether the owner exists.
        if (after === undefined && items.length < limit && (owner === undefined || items.length > 0)) {
          return { items: toOwnerCertificates(items, owner), total: items.length }
        }
        const ownerCount =
          owner === undefined
            ? sql.literal("1")
            : sql`(SELECT count(*) FROM owners WHERE owner_key = ${owner.key})`
        const [counted] = yield* query(
          sql<Row>`SELECT count(*) AS n, ${ownerCount} AS owner FROM bindings b WHERE ${sql.and(filters)}`
        )
        if (owner !== undefined && decodeInt(counted?.owner) === 0) return undefined
        const found: CertificateStore.Slice<Cert.OwnerCertificate> = {
          items: toOwnerCertificates(items, owner),
          total: decodeInt(counted?.n)
        }
        return found
      })

    const listBindings = (q: CertificateStore.BindingQuery) =>
      Effect.gen(function* () {
        const key = Ids.ownerKey(q.owner)
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
        const found = yield* slice(filters, sortColumns[q.sort.field], q.sort.direction, q.after, q.limit, {
          key,
          ref: q.owner
        })
        if (found === undefined) return yield* new Errors.OwnerNotFound({ owner: key })
        return found
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
        // No owner to check: the slice is never undefined.
      ).pipe(Effect.map((found) => found!))

    const find = (q: CertificateStore.FindQuery) => {
      if (q.keys.length === 0) return Effect.succeed({ items: [], total: 0 })
      const matching = sql`SELECT m.sha256 FROM certificates m WHERE ${sql.or(
        q.keys.map((key) => sql`${sql.literal(`m.${lookupColumns[key.kind]}`)} = ${key.value}`)
      )}`
      const filters = [sql`b.sha256 IN (${matching})`, ...(q.scope === undefined ? [] : [inScope(q.scope)])]
      const page =
        q.after === undefined
          ? filters
          : [...filters, sql`(b.sha256, b.certificate_id) > (${q.after.sha256}, ${q.after.certificateId})`]
      return Effect.all({
        total: query(sql<Row>`SELECT count(*) AS n FROM bindings b WHERE ${sql.and(filters)}`),
        items: query(
          sql<Row>`SELECT ${bindingColumns}, c.facts, c.der FROM bindings b JOIN certificates c ON c.sha256 = b.sha256
            WHERE ${sql.and(page)} ORDER BY b.sha256, b.certificate_id LIMIT ${q.limit}`
        )
      }).pipe(
        Effect.map(({ items, total }) => ({
          items: toOwnerCertificates(items),
          total: decodeInt(total[0]?.n)
        }))
      )
    }

    const getCertificate = (sha256: Ids.Sha256Hex) =>
      query(sql<Row>`SELECT facts, der FROM certificates WHERE sha256 = ${sha256}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), decodeCertificate))
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
