/**
 * Owners as stored: the reference plus what the inventory knows about the owner itself.
 */
import { Schema } from "effect"
import { EpochMillis } from "./Certificate.js"
import { OwnerRef } from "./Ids.js"
import { EntityId, LoginUrl } from "./Inputs.js"

/** An external IdP's SAML configuration, as its metadata states it or an administrator sets it. */
export class SamlConfig extends Schema.Class<SamlConfig>("SamlConfig")({
  entityId: EntityId,
  /** Where sign-in starts (the SingleSignOnService Location). */
  loginUrl: LoginUrl,
  /** The IdP wants signed authentication requests (metadata's WantAuthnRequestsSigned). */
  wantRequestSigned: Schema.Boolean
}) {}

export class Owner extends Schema.Class<Owner>("Owner")({
  ref: OwnerRef,
  displayName: Schema.optional(Schema.String),
  /** External IdPs: where their SAML metadata is published (for the sync job). */
  metadataUrl: Schema.optional(Schema.String),
  /** External IdPs only: entity ID, login URL, signed requests. */
  saml: Schema.optional(SamlConfig),
  /** External IdPs can be disabled; other owners are always enabled. */
  enabled: Schema.Boolean,
  createdAt: EpochMillis,
  createdBy: Schema.String
}) {}
