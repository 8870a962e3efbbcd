/**
 * getIdpSync: the recorded sync of an IdP for those who may read it; none before the first sync.
 */
import { Errors, GetIdpSync, JobStore } from "@certory/domain"
import { MemoryJobStore } from "@certory/storage-memory"
import { expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { admin, createOwners, delegate, fresh, identityStore, idp, nobody, shared } from "../support.js"

const withJobs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  fresh(Effect.provide(effect, MemoryJobStore.layer))

layer(shared)("getIdpSync", (it) => {
  it.effect("none before the first sync, the record after; readers of the IdP only", () =>
    withJobs(
      Effect.gen(function* () {
        const ref = idp("d-1111111111", "idp-1")
        yield* createOwners(identityStore("d-1111111111"), ref)
        expect(Option.isNone(yield* GetIdpSync.getIdpSync(admin, ref))).toBe(true)
        const record = JobStore.IdpSync.make({
          owner: ref,
          metadataUrl: "https://idp.example/metadata",
          at: 1_000,
          outcome: "failed",
          httpStatus: 500,
          added: [],
          refused: [],
          error: "HTTP 500",
          nextAt: 301_000
        })
        yield* Effect.flatMap(JobStore.JobStore, (jobs) => jobs.putIdpSync(record))
        expect(yield* GetIdpSync.getIdpSync(admin, ref)).toEqual(Option.some(record))
        expect(yield* GetIdpSync.getIdpSync(delegate("d-1111111111"), ref)).toEqual(Option.some(record))
        expect(yield* Effect.flip(GetIdpSync.getIdpSync(delegate("d-2222222222"), ref))).toBeInstanceOf(
          Errors.AccessDenied
        )
        expect(yield* Effect.flip(GetIdpSync.getIdpSync(nobody, ref))).toBeInstanceOf(Errors.AccessDenied)
        expect(
          yield* Effect.flip(GetIdpSync.getIdpSync(admin, idp("d-1111111111", "idp-none")))
        ).toBeInstanceOf(Errors.OwnerNotFound)
      })
    )
  )
})
