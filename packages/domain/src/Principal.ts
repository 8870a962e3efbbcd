/**
 * The calling principal and its grants. Every use-case takes one; authorization lives in the domain so
 * every surface (HTTP, CLI, worker, embedders) enforces the same rules.
 */
import { Schema } from "effect"
import { IdentityStoreId, OwnerRef } from "./Ids.js"
import { Text } from "./Inputs.js"

/** May do everything. */
export class Administrator extends Schema.TaggedClass<Administrator>()("Administrator", {}) {}
/** May administer one identity store: the store and its external IdPs, nothing else. */
export class DelegatedAdministrator extends Schema.TaggedClass<DelegatedAdministrator>()(
  "DelegatedAdministrator",
  {
    identityStoreId: IdentityStoreId
  }
) {}
/** May read, import and unbind certificates of the listed owners. */
export class OwnerOperator extends Schema.TaggedClass<OwnerOperator>()("OwnerOperator", {
  owners: Schema.Array(OwnerRef)
}) {}
/** May read certificates of the listed owners. */
export class OwnerReader extends Schema.TaggedClass<OwnerReader>()("OwnerReader", {
  owners: Schema.Array(OwnerRef)
}) {}

export const Grant = Schema.Union(Administrator, DelegatedAdministrator, OwnerOperator, OwnerReader)
export type Grant = typeof Grant.Type

export class Principal extends Schema.Class<Principal>("Principal")({
  /** Recorded as `createdBy` / `boundBy`. */
  id: Text(256).pipe(Schema.minLength(1)),
  grants: Schema.Array(Grant)
}) {}
