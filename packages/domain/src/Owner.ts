/**
 * Owners as stored: the reference plus what the inventory knows about the owner itself.
 */
import { Schema } from "effect"
import { EpochMillis } from "./Certificate.js"
import { OwnerRef } from "./Ids.js"

export class Owner extends Schema.Class<Owner>("Owner")({
  ref: OwnerRef,
  displayName: Schema.optional(Schema.String),
  /** External IdPs: where their SAML metadata is published (for the sync job). */
  metadataUrl: Schema.optional(Schema.String),
  /** External IdPs can be disabled; other owners are always enabled. */
  enabled: Schema.Boolean,
  createdAt: EpochMillis,
  createdBy: Schema.String
}) {}
