/**
 * The metadata sync job: for each enabled external IdP with a metadata URL, fetch its SAML metadata
 * (conditional GET), bind the signing certificates it does not hold yet, and record the outcome on the
 * IdP. Nothing is ever unbound here (rotation keeps the old certificate until an administrator removes
 * it, so the last valid one is never lost); a certificate the IdP's limit (DomainConfig.
 * maxIdpCertificates) keeps out is reported in `refused`, not dropped silently. Unreachable, malformed,
 * certificate-less or expired (`validUntil` past) metadata changes no binding and is recorded as failed.
 *
 * Each IdP is synced under a lease (`sync:<owner key>`), and again only once its record's `nextAt` has
 * passed (the interval, shortened by `cacheDuration` and `validUntil`), so runners started together
 * sync each IdP once. A failure of one IdP is in the report, never a failure of the job.
 */
import { Clock, Effect, Either, Option } from "effect"
import { BindingAttributes, type Certificate } from "../Certificate.js"
import { CertificateParser } from "../CertificateParser.js"
import { CertificateStore } from "../CertificateStore.js"
import { DomainConfig } from "../DomainConfig.js"
import type { CertificateLimitReached, OwnerNotFound, WriteConflict } from "../Errors.js"
import { newCertificateId, type OwnerRef, ownerKey, type Sha256Hex } from "../Ids.js"
import { truncate } from "../Inputs.js"
import { IdpSync, JobStore } from "../JobStore.js"
import { MetadataFetcher } from "../MetadataFetcher.js"
import { dateTimeMillis, durationMillis, MetadataReader } from "../MetadataReader.js"
import type { Owner } from "../Owner.js"

/** Recorded as the bindings' `boundBy`. */
export const PRINCIPAL_ID = "certory-worker:metadata-sync"

export interface Options {
  /** This runner's lease holder id (unique per process or invocation). */
  readonly holder: string
  /** How long after a sync an IdP is synced again at the latest. Default 1 hour. */
  readonly intervalMillis?: number
  /** How long after a failed sync it is tried again. Default 5 minutes (at most the interval). */
  readonly retryMillis?: number
  /** How long one IdP's lease lasts (longer than one fetch with all its retries). Default 5 minutes. */
  readonly leaseMillis?: number
  /** Sync every IdP now, whatever its `nextAt`. */
  readonly force?: boolean
}

export type Status = "synced" | "notModified" | "failed" | "notDue" | "busy"

export interface IdpReport {
  readonly owner: OwnerRef
  readonly status: Status
  readonly httpStatus?: number
  readonly added: ReadonlyArray<Sha256Hex>
  readonly refused: ReadonlyArray<Sha256Hex>
  readonly error?: string
}

export interface Report {
  readonly idps: ReadonlyArray<IdpReport>
}

const PAGE = 500

/** Every enabled IdP with a metadata URL, by owner key. */
const syncableIdps = Effect.gen(function* () {
  const store = yield* CertificateStore
  const out: Array<Owner> = []
  let afterKey: string | undefined
  for (;;) {
    const page = yield* store.listOwners({
      kind: "Idp",
      limit: PAGE,
      ...(afterKey === undefined ? {} : { afterKey })
    })
    for (const owner of page.items) if (owner.enabled && owner.metadataUrl !== undefined) out.push(owner)
    if (page.items.length < PAGE) return out
    afterKey = ownerKey(page.items[page.items.length - 1]!.ref)
  }
})

type Applied =
  | { readonly _tag: "Failed"; readonly httpStatus?: number; readonly error: string }
  | { readonly _tag: "NotModified" }
  | {
      readonly _tag: "Synced"
      readonly httpStatus: number
      readonly added: ReadonlyArray<Sha256Hex>
      readonly refused: ReadonlyArray<Sha256Hex>
      readonly note?: string
      readonly etag?: string
      readonly lastModified?: string
      readonly expiresAt?: number
    }

const failed = (error: string, httpStatus?: number): Applied => ({
  _tag: "Failed",
  error: truncate(error, 500),
  ...(httpStatus === undefined ? {} : { httpStatus })
})

/** Fetch, read and bind one IdP's metadata; every failure becomes a value. */
const apply = (owner: Owner, url: string, previous: Option.Option<IdpSync>, now: number) =>
  Effect.gen(function* () {
    const fetcher = yield* MetadataFetcher
    const reader = yield* MetadataReader
    const parser = yield* CertificateParser
    const store = yield* CertificateStore
    const config = yield* DomainConfig
    const validators = Option.match(previous, {
      onNone: () => ({}),
      onSome: (p) =>
        p.metadataUrl !== url
          ? {}
          : {
              ...(p.etag === undefined ? {} : { etag: p.etag }),
              ...(p.lastModified === undefined ? {} : { lastModified: p.lastModified })
            }
    })
    const fetched = yield* Effect.either(fetcher.fetch(url, validators))
    if (Either.isLeft(fetched)) return failed(fetched.left.message, fetched.left.status)
    const response = fetched.right
    if (response._tag === "NotModified") return { _tag: "NotModified" } as const
    const entityId = owner.saml?.entityId
    const read = yield* Effect.either(reader.read(response.body, entityId === undefined ? {} : { entityId }))
    if (Either.isLeft(read)) return failed(`metadata refused: ${read.left.message}`, response.status)
    const metadata = read.right
    let expiresAt: number | undefined
    if (metadata.validUntil !== undefined) {
      const validUntil = dateTimeMillis(metadata.validUntil)
      if (validUntil === undefined)
        return failed("metadata refused: validUntil is not a dateTime", response.status)
      if (validUntil <= now) {
        return failed(`metadata refused: it expired at ${metadata.validUntil} (validUntil)`, response.status)
      }
      expiresAt = validUntil
    }
    if (metadata.cacheDuration !== undefined) {
      const cache = durationMillis(metadata.cacheDuration)
      if (cache !== undefined) expiresAt = Math.min(expiresAt ?? Number.MAX_SAFE_INTEGER, now + cache)
    }
    const certificates: Array<Certificate> = []
    for (const [i, der] of metadata.signingCertificates.entries()) {
      const parsed = yield* Effect.either(parser.parse(der))
      if (Either.isLeft(parsed) || parsed.right.length !== 1) {
        const why = Either.isLeft(parsed) ? parsed.left.message : "not one certificate"
        return failed(`metadata refused: signing certificate ${i + 1}: ${why}`, response.status)
      }
      certificates.push(parsed.right[0]!)
    }
    const held = yield* Effect.either(
      store.listBindings({
        owner: owner.ref,
        sort: { field: "boundAt", direction: "asc" },
        limit: 1000
      })
    )
    if (Either.isLeft(held)) return failed("the IdP is gone")
    const heldSha = new Set<string>(held.right.items.map((i) => i.binding.sha256))
    const expired = certificates.filter((c) => c.notAfter < now && !heldSha.has(c.sha256))
    const fresh = certificates.filter((c) => c.notAfter >= now && !heldSha.has(c.sha256))
    const added: Array<Sha256Hex> = []
    const refused: Array<Sha256Hex> = []
    const attributes = BindingAttributes.make({ origin: "external", source: "metadata", use: "signing" })
    for (const certificate of fresh) {
      const certificateId = yield* newCertificateId
      const bound: Either.Either<unknown, CertificateLimitReached | OwnerNotFound | WriteConflict> =
        yield* Effect.either(
          store.bind({
            owner: owner.ref,
            items: [{ certificate, attributes, certificateId }],
            boundBy: PRINCIPAL_ID,
            boundAt: now,
            maxBindings: config.maxIdpCertificates
          })
        )
      if (Either.isRight(bound)) added.push(certificate.sha256)
      else if (bound.left._tag === "CertificateLimitReached") refused.push(certificate.sha256)
      else return failed(bound.left._tag === "OwnerNotFound" ? "the IdP is gone" : bound.left.message)
    }
    const notes: Array<string> = []
    if (refused.length > 0) {
      notes.push(
        `${refused.length} signing certificate(s) not bound: the IdP already holds its maximum of ${config.maxIdpCertificates}`
      )
    }
    if (expired.length > 0) notes.push(`${expired.length} expired signing certificate(s) skipped`)
    return {
      _tag: "Synced",
      httpStatus: response.status,
      added,
      refused,
      ...(notes.length === 0 ? {} : { note: notes.join("; ") }),
      ...(response.etag === undefined ? {} : { etag: response.etag }),
      ...(response.lastModified === undefined ? {} : { lastModified: response.lastModified }),
      ...(expiresAt === undefined ? {} : { expiresAt })
    } as const
  })

const syncOne = (owner: Owner, url: string, options: Required<Omit<Options, "force">> & Options) =>
  Effect.gen(function* () {
    const jobs = yield* JobStore
    const now = yield* Clock.currentTimeMillis
    const name = `sync:${ownerKey(owner.ref)}`
    const report = (status: Status, fields: Partial<IdpReport> = {}): IdpReport => ({
      owner: owner.ref,
      status,
      added: [],
      refused: [],
      ...fields
    })
    const taken = yield* jobs
      .acquireLease({
        name,
        holder: options.holder,
        now,
        ttlMillis: options.leaseMillis
      })
      .pipe(Effect.catchTag("WriteConflict", () => Effect.succeed(false)))
    if (!taken) return report("busy")
    return yield* Effect.gen(function* () {
      const previous = yield* jobs.getIdpSync(owner.ref)
      if (
        options.force !== true &&
        Option.isSome(previous) &&
        previous.value.metadataUrl === url &&
        previous.value.nextAt > now
      ) {
        return report("notDue")
      }
      const applied = yield* apply(owner, url, previous, now)
      const carried = Option.match(previous, {
        onNone: () => ({}),
        onSome: (p) =>
          p.metadataUrl !== url
            ? {}
            : {
                ...(p.etag === undefined ? {} : { etag: p.etag }),
                ...(p.lastModified === undefined ? {} : { lastModified: p.lastModified })
              }
      })
      const interval = options.intervalMillis
      let record: IdpSync
      let out: IdpReport
      switch (applied._tag) {
        case "Failed":
          record = IdpSync.make({
            owner: owner.ref,
            metadataUrl: url,
            at: now,
            outcome: "failed",
            added: [],
            refused: [],
            error: applied.error,
            ...(applied.httpStatus === undefined ? {} : { httpStatus: applied.httpStatus }),
            ...carried,
            nextAt: now + Math.min(options.retryMillis, interval)
          })
          out = report("failed", {
            error: applied.error,
            ...(applied.httpStatus === undefined ? {} : { httpStatus: applied.httpStatus })
          })
          break
        case "NotModified":
          record = IdpSync.make({
            owner: owner.ref,
            metadataUrl: url,
            at: now,
            outcome: "notModified",
            httpStatus: 304,
            added: [],
            // What the document held back then is still true of it.
            refused: Option.match(previous, { onNone: () => [], onSome: (p) => p.refused }),
            ...carried,
            nextAt: now + interval
          })
          out = report("notModified", { httpStatus: 304 })
          break
        case "Synced":
          record = IdpSync.make({
            owner: owner.ref,
            metadataUrl: url,
            at: now,
            outcome: "synced",
            httpStatus: applied.httpStatus,
            added: applied.added,
            refused: applied.refused,
            ...(applied.note === undefined ? {} : { error: applied.note }),
            ...(applied.etag === undefined ? {} : { etag: applied.etag }),
            ...(applied.lastModified === undefined ? {} : { lastModified: applied.lastModified }),
            nextAt: Math.max(now + 1, Math.min(now + interval, applied.expiresAt ?? Number.MAX_SAFE_INTEGER))
          })
          out = report("synced", {
            httpStatus: applied.httpStatus,
            added: applied.added,
            refused: applied.refused,
            ...(applied.note === undefined ? {} : { error: applied.note })
          })
          break
      }
      // An IdP removed while it was synced has nowhere to keep the record.
      const store = yield* CertificateStore
      if (Option.isSome(yield* store.getOwner(owner.ref))) {
        yield* jobs.putIdpSync(record).pipe(Effect.orDie)
      }
      return out
    }).pipe(Effect.ensuring(Effect.orDie(jobs.releaseLease(name, options.holder))))
  })

export const syncIdpMetadata = Effect.fn("syncIdpMetadata")(function* (options: Options) {
  const resolved = {
    intervalMillis: 3_600_000,
    retryMillis: 300_000,
    leaseMillis: 300_000,
    ...options
  }
  const idps = yield* syncableIdps
  const reports = yield* Effect.forEach(idps, (owner) => syncOne(owner, owner.metadataUrl!, resolved), {
    concurrency: 4
  })
  return { idps: reports } satisfies Report
})
