/**
 * What the SQL JobStore adds to the contract (the memory store cannot see the inventory): records go with
 * what they belong to. Removing an IdP removes its sync record; unbinding a certificate removes that
 * binding's notification records; a record for an owner or binding that is gone is not stored.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, CertificateStore, Ids, JobStore, Owner } from "@certory/domain"
import { Fixtures } from "@certory/testing"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { afterAll } from "vitest"
import { SqliteCertificateStore } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "certory-jobs-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const stores = SqliteCertificateStore.layerStores({ filename: join(dir, "certory.sqlite") })
const fixtures = Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer)

const idp = Ids.IdpRef.make({
  identityStoreId: Ids.IdentityStoreId.make("d-3333333333"),
  idpId: Ids.IdpId.make("idp-c")
})
const owner = (ref: Ids.OwnerRef) => Owner.Owner.make({ ref, enabled: true, createdAt: 0, createdBy: "test" })

layer(Layer.merge(stores, fixtures))(
  "SqlJobStore on SQLite: records go with their owner and binding",
  (it) => {
    it.effect("remove the IdP: its sync record and its bindings' notification records are gone", () =>
      Effect.gen(function* () {
        const store = yield* CertificateStore.CertificateStore
        const jobs = yield* JobStore.JobStore
        const corpus = yield* Fixtures.Corpus
        yield* store.createOwner(owner(Ids.IdentityStoreRef.make({ id: idp.identityStoreId })))
        yield* store.createOwner(owner(idp))
        const [bound] = yield* store.bind({
          owner: idp,
          items: [
            {
              certificate: corpus.one("ec"),
              attributes: Certificate.BindingAttributes.make({}),
              certificateId: Ids.CertificateId.make(globalThis.crypto.randomUUID())
            }
          ],
          boundBy: "test",
          boundAt: 0
        })
        const id = bound!.binding.certificateId
        const sync = JobStore.IdpSync.make({
          owner: idp,
          metadataUrl: "https://idp.example/m",
          at: 1,
          outcome: "synced",
          added: [],
          refused: [],
          nextAt: 2
        })
        const record = JobStore.NotificationRecord.make({
          certificateId: id,
          owner: idp,
          thresholdDays: 30,
          status: "sent",
          attempts: 1,
          at: 1
        })
        yield* jobs.putIdpSync(sync)
        yield* jobs.putNotification(record)
        expect(Option.isSome(yield* jobs.getIdpSync(idp))).toBe(true)
        expect(yield* jobs.listNotifications([id])).toHaveLength(1)
        // Unbinding takes the binding's records.
        yield* store.unbind({ owner: idp, certificateId: id })
        expect(yield* jobs.listNotifications([id])).toEqual([])
        // A record for a binding that is gone is not stored.
        yield* jobs.putNotification(record)
        expect(yield* jobs.listNotifications([id])).toEqual([])
        // Removing the IdP takes its sync record; a record for it afterwards is not stored.
        yield* store.removeOwner(idp)
        expect(Option.isNone(yield* jobs.getIdpSync(idp))).toBe(true)
        yield* jobs.putIdpSync(sync)
        expect(Option.isNone(yield* jobs.getIdpSync(idp))).toBe(true)
      })
    )
  }
)
