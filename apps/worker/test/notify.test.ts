/**
 * notifyExpiring through the real webhook notifier to a local receiver on 127.0.0.1: the versioned
 * payload and its HMAC-SHA256 signature (checked with node:crypto, independently of the WebCrypto code),
 * each threshold once as TestClock moves, a failing receiver retried within the run and on the next run,
 * two runners sharing one store sending each notice once.
 */
import { createHmac } from "node:crypto"
import { X509CertificateParser } from "@certory/certificate-parser"
import {
  Certificate,
  CertificateStore,
  Ids,
  JobStore,
  Notifier,
  NotifyExpiring,
  Owner
} from "@certory/domain"
import { MemoryCertificateStore, MemoryJobStore } from "@certory/storage-memory"
import { Fixtures } from "@certory/testing"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { fixtures, server } from "./support.js"

const DAY = 86_400_000
const SECRET = "s3cret-for-tests"

interface Received {
  readonly body: string
  readonly headers: Record<string, string | string[] | undefined>
}

/** A receiver answering `status()` and keeping every request's body and headers. */
const receiver = (status: () => number) =>
  Effect.gen(function* () {
    const http = yield* server
    const received: Array<Received> = []
    http.route("/hook", (request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (c: Buffer) => chunks.push(c))
      request.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: request.headers })
        response.writeHead(status()).end()
      })
    })
    return { url: http.url("/hook"), received }
  })

const card = Ids.SmartCardRef.make({ id: "00000000-0000-4000-8000-000000000001" as Ids.Guid })

/** A smart card holding the certificate; returns its binding id. */
const bindCard = (certificate: Certificate.Certificate) =>
  Effect.gen(function* () {
    const store = yield* CertificateStore.CertificateStore
    yield* store.createOwner(
      Owner.Owner.make({ ref: card, displayName: "Card one", enabled: true, createdAt: 0, createdBy: "test" })
    )
    const [result] = yield* store.bind({
      owner: card,
      items: [
        {
          certificate,
          attributes: Certificate.BindingAttributes.make({}),
          certificateId: Ids.CertificateId.make(globalThis.crypto.randomUUID())
        }
      ],
      boundBy: "test",
      boundAt: certificate.notBefore
    })
    return result!.binding.certificateId
  })

const webhook = (url: string, retries = 0) =>
  Notifier.makeWebhook({ url, secret: SECRET, retries, backoff: "10 millis", timeout: "5 seconds" })

const run = (notifier: Notifier.Notifier["Type"], holder = "test") =>
  NotifyExpiring.notifyExpiring({ holder }).pipe(Effect.provideService(Notifier.Notifier, notifier))

const stores = () => Layer.merge(MemoryCertificateStore.layer, MemoryJobStore.layer)

layer(fixtures)("notifyExpiring with TestClock and a webhook receiver", (it) => {
  it.scoped("each threshold fires once, signed, with the documented payload", () =>
    Effect.gen(function* () {
      const rsa = (yield* Fixtures.Corpus).one("rsa")
      const id = yield* bindCard(rsa)
      const hook = yield* receiver(() => 204)
      const notifier = webhook(hook.url)
      for (const daysLeft of [100, 90, 60, 30, 29, 7, 6.5, 1, 0.25]) {
        yield* TestClock.setTime(rsa.notAfter - daysLeft * DAY)
        yield* run(notifier)
        yield* run(notifier)
      }
      const payloads = hook.received.map((r) => JSON.parse(r.body) as Notifier.PayloadV1)
      expect(payloads.map((p) => p.thresholdDays)).toEqual([90, 30, 7, 1])
      for (const r of hook.received) {
        const expected = `sha256=${createHmac("sha256", SECRET).update(r.body).digest("hex")}`
        expect(r.headers["x-certory-signature"]).toBe(expected)
        expect(r.headers["content-type"]).toBe("application/json")
        expect(r.headers["x-certory-event"]).toBe("certificate.expiring")
      }
      const first = JSON.parse(hook.received[0]!.body)
      expect(first).toEqual({
        version: 1,
        type: "certificate.expiring",
        id: `${id}/90`,
        sentAt: new Date(rsa.notAfter - 90 * DAY).toISOString(),
        thresholdDays: 90,
        daysLeft: 90,
        owner: { key: Ids.ownerKey(card), ref: { _tag: "SmartCard", id: card.id }, displayName: "Card one" },
        certificate: {
          certificateId: id,
          sha256: rsa.sha256,
          subject: rsa.subject.rfc4514,
          issuer: rsa.issuer.rfc4514,
          serialNumber: rsa.serial.hex,
          notBefore: new Date(rsa.notBefore).toISOString(),
          notAfter: new Date(rsa.notAfter).toISOString()
        }
      })
      expect(hook.received[0]!.headers["x-certory-delivery"]).toBe(`${id}/90`)
    }).pipe(Effect.provide(stores()))
  )

  it.scoped("a failing receiver: the failure is recorded, and the next run sends it", () =>
    Effect.gen(function* () {
      const rsa = (yield* Fixtures.Corpus).one("rsa")
      const id = yield* bindCard(rsa)
      let status = 503
      const hook = yield* receiver(() => status)
      yield* TestClock.setTime(rsa.notAfter - 10 * DAY)
      expect(yield* run(webhook(hook.url))).toMatchObject({ sent: 0, failed: 1 })
      const jobs = yield* JobStore.JobStore
      const [failed] = yield* jobs.listNotifications([id])
      expect(failed).toMatchObject({ status: "failed", attempts: 1, thresholdDays: 30 })
      expect(failed!.error).toMatch(/HTTP 503/)
      status = 200
      expect(yield* run(webhook(hook.url))).toMatchObject({ sent: 1, failed: 0 })
      expect(yield* run(webhook(hook.url))).toMatchObject({ sent: 0, alreadySent: 1 })
      const [sent] = yield* jobs.listNotifications([id])
      expect(sent).toMatchObject({ status: "sent", attempts: 2 })
      expect(hook.received).toHaveLength(2)
    }).pipe(Effect.provide(stores()))
  )

  it.scoped("two runners at once on one store send each notice once", () =>
    Effect.gen(function* () {
      const corpus = yield* Fixtures.Corpus
      const rsa = corpus.one("rsa")
      yield* bindCard(rsa)
      const hook = yield* receiver(() => 200)
      yield* TestClock.setTime(rsa.notAfter - 3 * DAY)
      const reports = yield* Effect.all([run(webhook(hook.url), "a"), run(webhook(hook.url), "b")], {
        concurrency: 2
      })
      yield* run(webhook(hook.url), "c")
      expect(hook.received).toHaveLength(1)
      expect(reports.map((r) => r.ran).sort()).toEqual([false, true])
    }).pipe(Effect.provide(stores()))
  )
})

layer(Layer.merge(fixtures, X509CertificateParser.layer), { excludeTestServices: true })(
  "the webhook notifier (live clock)",
  (it) => {
    it.scoped("retries with backoff within one call, then fails with the last status", () =>
      Effect.gen(function* () {
        const rsa = (yield* Fixtures.Corpus).one("rsa")
        const hook = yield* receiver(() => 500)
        const notice: Notifier.ExpiryNotice = {
          item: Certificate.OwnerCertificate.make({
            certificate: rsa,
            binding: Certificate.Binding.make({
              certificateId: Ids.CertificateId.make("b1"),
              owner: card,
              sha256: rsa.sha256,
              isKeyHistory: false,
              archivedOnCa: false,
              certificateType: 1,
              origin: "native",
              use: "signing",
              source: "upload",
              boundBy: "test",
              boundAt: 0
            })
          }),
          thresholdDays: 7,
          at: rsa.notAfter - 5 * DAY
        }
        const error = yield* Effect.flip(webhook(hook.url, 2).notify(notice))
        expect(error).toBeInstanceOf(Notifier.NotificationFailed)
        expect(error.status).toBe(500)
        expect(hook.received).toHaveLength(3)
        // Every attempt carries the same body and signature.
        expect(new Set(hook.received.map((r) => r.body)).size).toBe(1)
      })
    )
  }
)
