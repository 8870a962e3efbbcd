/**
 * Child process of sqlite.test.ts: opens the store on the file named by argv[2] (migrating it if
 * needed), then creates and lists an owner. Exit 0 on success; any failure prints and exits 1.
 */
import { CertificateStore, Ids, Owner } from "@certory/domain"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { SqliteCertificateStore } from "../src/index.js"

const filename = process.argv[2]!
const ref = Ids.SmartCardRef.make({ id: Schema.decodeSync(Ids.Guid)(globalThis.crypto.randomUUID()) })

const program = Effect.gen(function* () {
  const store = yield* CertificateStore.CertificateStore
  yield* store.createOwner(new Owner.Owner({ ref, enabled: true, createdAt: 1, createdBy: "child" }))
  const page = yield* store.listOwners({ limit: 100 })
  if (!page.items.some((owner) => Ids.ownerKey(owner.ref) === Ids.ownerKey(ref))) {
    return yield* Effect.dieMessage("own owner not listed")
  }
}).pipe(Effect.provide(SqliteCertificateStore.layer({ filename })))

Effect.runPromise(program).then(
  () => process.exit(0),
  (error) => {
    console.error(String(error))
    process.exit(1)
  }
)
