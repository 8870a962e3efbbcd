/**
 * syncIdpMetadata end to end over real HTTP: a local server on 127.0.0.1 serves SAML metadata made from
 * real certificates of the corpus; the real fetcher, SAML reader and X.509 parser; memory stores. Live
 * clock (timeouts and retries are real).
 */
import { type Certificate, CertificateStore, Ids, JobStore, Owner, SyncIdpMetadata } from "@certory/domain"
import { Fixtures } from "@certory/testing"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { closedPort, fixtures, freshJobs, type Handler, metadataXml, server, serveXml } from "./support.js"

const idpRef = (n: number) =>
  Ids.IdpRef.make({
    identityStoreId: Ids.IdentityStoreId.make("d-1234567890"),
    idpId: Ids.IdpId.make(`idp-${n}`)
  })

/** The identity store and an enabled IdP with this metadata URL. */
const createIdp = (n: number, metadataUrl: string | undefined, enabled = true) =>
  Effect.gen(function* () {
    const store = yield* CertificateStore.CertificateStore
    const ref = idpRef(n)
    yield* store
      .createOwner(
        Owner.Owner.make({
          ref: Ids.IdentityStoreRef.make({ id: ref.identityStoreId }),
          enabled: true,
          createdAt: 0,
          createdBy: "test"
        })
      )
      .pipe(Effect.catchTag("OwnerAlreadyExists", () => Effect.void))
    yield* store.createOwner(
      Owner.Owner.make({
        ref,
        enabled,
        createdAt: 0,
        createdBy: "test",
        ...(metadataUrl === undefined ? {} : { metadataUrl })
      })
    )
    return ref
  })

const held = (ref: Ids.OwnerRef) =>
  Effect.flatMap(CertificateStore.CertificateStore, (store) =>
    store.listBindings({ owner: ref, sort: { field: "boundAt", direction: "asc" }, limit: 10 })
  ).pipe(Effect.map((slice) => slice.items))

const sha256s = (items: ReadonlyArray<Certificate.OwnerCertificate>) =>
  items.map((i) => i.certificate.sha256).sort()

const record = (ref: Ids.OwnerRef) =>
  Effect.flatMap(JobStore.JobStore, (jobs) => jobs.getIdpSync(ref)).pipe(Effect.map(Option.getOrThrow))

const sync = (force = true) => SyncIdpMetadata.syncIdpMetadata({ holder: "test", force })

const reportOf = (report: SyncIdpMetadata.Report, ref: Ids.OwnerRef) =>
  report.idps.find((r) => Ids.ownerKey(r.owner) === Ids.ownerKey(ref))!

layer(fixtures, { excludeTestServices: true })("syncIdpMetadata over HTTP", (it) => {
  describe("happy", () => {
    it.effect(
      "first sync binds the signing certificates, as metadata bindings, and records the outcome",
      () =>
        freshJobs(
          Effect.scoped(
            Effect.gen(function* () {
              const corpus = yield* Fixtures.Corpus
              const [a, e] = [corpus.one("ec"), corpus.one("ed25519")]
              const http = yield* server
              http.route(
                "/metadata",
                serveXml(() => metadataXml([a.der], { encryption: [e.der] }))
              )
              const ref = yield* createIdp(1, http.url("/metadata"))
              const report = yield* sync(false)
              expect(reportOf(report, ref)).toMatchObject({
                status: "synced",
                httpStatus: 200,
                added: [a.sha256]
              })
              const items = yield* held(ref)
              expect(sha256s(items)).toEqual([a.sha256])
              expect(items[0]!.binding).toMatchObject({
                source: "metadata",
                origin: "external",
                use: "signing"
              })
              const saved = yield* record(ref)
              expect(saved).toMatchObject({
                outcome: "synced",
                httpStatus: 200,
                added: [a.sha256],
                refused: []
              })
              expect(saved.etag).toMatch(/^"/)
              expect(saved.nextAt).toBe(saved.at + 3_600_000)
            })
          )
        )
    )

    it.effect(
      "rotation: a new certificate is bound, the old one kept; one leaving the metadata stays bound",
      () =>
        freshJobs(
          Effect.scoped(
            Effect.gen(function* () {
              const corpus = yield* Fixtures.Corpus
              const [a, b] = [corpus.one("ec"), corpus.one("ed25519")]
              const http = yield* server
              let current = [a.der]
              http.route(
                "/metadata",
                serveXml(() => metadataXml(current))
              )
              const ref = yield* createIdp(1, http.url("/metadata"))
              yield* sync()
              current = [a.der, b.der]
              expect(reportOf(yield* sync(), ref)).toMatchObject({ status: "synced", added: [b.sha256] })
              expect(sha256s(yield* held(ref))).toEqual([a.sha256, b.sha256].sort())
              current = [b.der]
              expect(reportOf(yield* sync(), ref)).toMatchObject({ status: "synced", added: [] })
              expect(sha256s(yield* held(ref))).toEqual([a.sha256, b.sha256].sort())
            })
          )
        )
    )

    it.effect("a 304 on the conditional GET changes nothing and is recorded as not modified", () =>
      freshJobs(
        Effect.scoped(
          Effect.gen(function* () {
            const corpus = yield* Fixtures.Corpus
            const a = corpus.one("ec")
            const http = yield* server
            http.route(
              "/metadata",
              serveXml(() => metadataXml([a.der]))
            )
            const ref = yield* createIdp(1, http.url("/metadata"))
            yield* sync()
            const first = yield* record(ref)
            expect(reportOf(yield* sync(), ref)).toMatchObject({ status: "notModified", httpStatus: 304 })
            expect(http.requests.at(-1)!.headers["if-none-match"]).toBe(first.etag)
            expect(http.requests[0]!.headers["if-none-match"]).toBeUndefined()
            const second = yield* record(ref)
            expect(second).toMatchObject({ outcome: "notModified", httpStatus: 304, etag: first.etag })
            expect(sha256s(yield* held(ref))).toEqual([a.sha256])
          })
        )
      )
    )

    it.effect("an IdP synced within its interval is not fetched again; disabled or URL-less IdPs never", () =>
      freshJobs(
        Effect.scoped(
          Effect.gen(function* () {
            const corpus = yield* Fixtures.Corpus
            const http = yield* server
            http.route(
              "/metadata",
              serveXml(() => metadataXml([corpus.one("ec").der]))
            )
            const ref = yield* createIdp(1, http.url("/metadata"))
            const disabled = yield* createIdp(2, http.url("/metadata"), false)
            const bare = yield* createIdp(3, undefined)
            yield* sync(false)
            const again = yield* sync(false)
            expect(reportOf(again, ref).status).toBe("notDue")
            expect(http.requests).toHaveLength(1)
            expect(again.idps.map((r) => Ids.ownerKey(r.owner))).toEqual([Ids.ownerKey(ref)])
            expect(yield* held(disabled)).toEqual([])
            expect(yield* held(bare)).toEqual([])
          })
        )
      )
    )

    it.effect("cacheDuration shortens the time to the next sync", () =>
      freshJobs(
        Effect.scoped(
          Effect.gen(function* () {
            const corpus = yield* Fixtures.Corpus
            const http = yield* server
            http.route(
              "/metadata",
              serveXml(() => metadataXml([corpus.one("ec").der], { cacheDuration: "PT1M" }))
            )
            const ref = yield* createIdp(1, http.url("/metadata"))
            yield* sync()
            const saved = yield* record(ref)
            expect(saved.nextAt).toBe(saved.at + 60_000)
          })
        )
      )
    )
  })

  describe("refusals: nothing changes, the outcome is recorded", () => {
    const refused = (handler: Handler, expectError: RegExp, httpStatus?: number) =>
      freshJobs(
        Effect.scoped(
          Effect.gen(function* () {
            const corpus = yield* Fixtures.Corpus
            const a = corpus.one("ec")
            const http = yield* server
            let good = true
            http.route("/metadata", (request, response) =>
              good ? serveXml(() => metadataXml([a.der]))(request, response) : handler(request, response)
            )
            const ref = yield* createIdp(1, http.url("/metadata"))
            yield* sync()
            const first = yield* record(ref)
            good = false
            const report = reportOf(yield* sync(), ref)
            expect(report.status).toBe("failed")
            expect(report.error).toMatch(expectError)
            expect(report.httpStatus).toBe(httpStatus)
            expect(sha256s(yield* held(ref))).toEqual([a.sha256])
            const saved = yield* record(ref)
            expect(saved).toMatchObject({ outcome: "failed", added: [], etag: first.etag })
            expect(saved.error).toMatch(expectError)
            expect(saved.nextAt).toBe(saved.at + 300_000)
          })
        )
      )

    it.effect("metadata that lost its certificates", () =>
      refused(
        (_, response) => response.writeHead(200, { "content-type": "application/xml" }).end(metadataXml([])),
        /NoSigningCertificate/,
        200
      )
    )

    it.effect("malformed XML", () =>
      refused(
        (_, response) =>
          response
            .writeHead(200)
            .end("<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata'><oops"),
        /MalformedXml/,
        200
      )
    )

    it.effect("a DOCTYPE (entity expansion) is refused", () =>
      refused(
        (_, response) =>
          response
            .writeHead(200)
            .end(
              `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${metadataXml([]).replace(/^<\?xml[^>]*>/, "")}`
            ),
        /DoctypeForbidden/,
        200
      )
    )

    it.effect("expired metadata (validUntil in the past)", () =>
      Effect.flatMap(Fixtures.Corpus, (corpus) =>
        refused(
          (_, response) =>
            response
              .writeHead(200)
              .end(metadataXml([corpus.one("ed25519").der], { validUntil: "2020-01-01T00:00:00Z" })),
          /expired at 2020-01-01T00:00:00Z/,
          200
        )
      )
    )

    it.effect("an HTTP error status", () =>
      refused((_, response) => response.writeHead(500).end("down"), /HTTP 500/, 500)
    )

    it.effect("a slow server (timeout)", () =>
      refused(() => {
        // Never answers; the server's close ends the connection.
      }, /no complete answer within 1s/)
    )

    it.effect("an oversized body, declared", () =>
      refused(
        (_, response) => response.writeHead(200, { "content-length": "100000" }).end("x".repeat(100_000)),
        /larger than 65536 bytes/
      )
    )

    it.effect("an oversized body, streamed without a length", () =>
      refused((_, response) => {
        response.writeHead(200, { "content-type": "application/xml" })
        const chunk = "<!-- padding -->".repeat(1000)
        let sent = 0
        const more = () => {
          while (sent < 100 && response.write(chunk)) sent++
          if (sent >= 100) response.end()
          else response.once("drain", more)
        }
        more()
      }, /larger than 65536 bytes/)
    )

    it.effect("a redirect to a cloud metadata address is not followed", () =>
      refused(
        (_, response) =>
          response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
        /not an allowed http\(s\) metadata URL/
      )
    )

    it.effect("an unreachable server", () =>
      freshJobs(
        Effect.gen(function* () {
          const port = yield* closedPort
          const ref = yield* createIdp(1, `http://127.0.0.1:${port}/metadata`)
          const report = reportOf(yield* sync(), ref)
          expect(report.status).toBe("failed")
          expect(report.error).toMatch(/127\.0\.0\.1/)
          expect(yield* held(ref)).toEqual([])
          expect((yield* record(ref)).outcome).toBe("failed")
        })
      )
    )
  })

  describe("limits", () => {
    it.effect(
      "a certificate the per-IdP limit keeps out is reported and recorded, not dropped silently",
      () =>
        freshJobs(
          Effect.scoped(
            Effect.gen(function* () {
              const corpus = yield* Fixtures.Corpus
              const certs = [corpus.one("ec"), corpus.one("ed25519"), corpus.one("ed448")]
              const http = yield* server
              http.route(
                "/metadata",
                serveXml(() => metadataXml(certs.map((c) => c.der)))
              )
              const ref = yield* createIdp(1, http.url("/metadata"))
              const report = reportOf(yield* sync(), ref)
              expect(report).toMatchObject({
                status: "synced",
                added: [certs[0]!.sha256, certs[1]!.sha256],
                refused: [certs[2]!.sha256]
              })
              expect(report.error).toMatch(/maximum of 2/)
              expect(sha256s(yield* held(ref))).toEqual([certs[0]!.sha256, certs[1]!.sha256].sort())
              expect((yield* record(ref)).refused).toEqual([certs[2]!.sha256])
            })
          )
        )
    )

    it.effect("an expired certificate in the metadata is skipped and noted", () =>
      freshJobs(
        Effect.scoped(
          Effect.gen(function* () {
            const corpus = yield* Fixtures.Corpus
            const [expired, valid] = [corpus.one("rsa"), corpus.one("ec")]
            const http = yield* server
            http.route(
              "/metadata",
              serveXml(() => metadataXml([expired.der, valid.der]))
            )
            const ref = yield* createIdp(1, http.url("/metadata"))
            const report = reportOf(yield* sync(), ref)
            expect(report).toMatchObject({ status: "synced", added: [valid.sha256] })
            expect(report.error).toMatch(/1 expired signing certificate\(s\) skipped/)
            expect(sha256s(yield* held(ref))).toEqual([valid.sha256])
          })
        )
      )
    )
  })
})
