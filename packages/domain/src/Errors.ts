/**
 * The failures callers can act on, each stating a fact. Infrastructure failures nobody can act on are
 * defects, not errors. The HTTP edge maps each `_tag` to a status in one exhaustive table.
 */
import { Schema } from "effect"

export class AccessDenied extends Schema.TaggedError<AccessDenied>()("AccessDenied", {
  message: Schema.String
}) {}

export class OwnerNotFound extends Schema.TaggedError<OwnerNotFound>()("OwnerNotFound", {
  owner: Schema.String
}) {
  override get message() {
    return `owner ${this.owner} does not exist`
  }
}

export class OwnerAlreadyExists extends Schema.TaggedError<OwnerAlreadyExists>()("OwnerAlreadyExists", {
  owner: Schema.String
}) {
  override get message() {
    return `owner ${this.owner} already exists`
  }
}

export class CertificateNotFound extends Schema.TaggedError<CertificateNotFound>()("CertificateNotFound", {
  owner: Schema.String,
  certificateId: Schema.String
}) {
  override get message() {
    return `owner ${this.owner} has no certificate ${this.certificateId}`
  }
}

/** The input held no certificate, or something in it is not one; `block` is 1-based when known. */
export class InvalidCertificate extends Schema.TaggedError<InvalidCertificate>()("InvalidCertificate", {
  message: Schema.String,
  block: Schema.optional(Schema.Number)
}) {}

/** A request the domain refuses as stated (a limit out of range, a non-signing certificate for an IdP, ...). */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  message: Schema.String
}) {}

/** A fingerprint or serial that is none in any spelling we know. */
export class InvalidLookup extends Schema.TaggedError<InvalidLookup>()("InvalidLookup", {
  input: Schema.String,
  message: Schema.String
}) {}

export class InvalidCursor extends Schema.TaggedError<InvalidCursor>()("InvalidCursor", {
  message: Schema.String
}) {}

/** The owner already holds the most certificates it may (2 per external IdP by default). */
export class CertificateLimitReached extends Schema.TaggedError<CertificateLimitReached>()(
  "CertificateLimitReached",
  { owner: Schema.String, limit: Schema.Number }
) {
  override get message() {
    return `owner ${this.owner} already holds the maximum of ${this.limit} certificates`
  }
}

/** Removing this certificate would leave an external IdP without a valid signing certificate. */
export class LastValidCertificate extends Schema.TaggedError<LastValidCertificate>()("LastValidCertificate", {
  owner: Schema.String,
  certificateId: Schema.String
}) {
  override get message() {
    return `certificate ${this.certificateId} is the last valid certificate of ${this.owner}`
  }
}

/**
 * A write lost to concurrent writes more times than the store retries it (PostgreSQL serialization
 * failures and deadlocks, SQLite's lock wait running out). Nothing was written; trying again is safe.
 */
export class WriteConflict extends Schema.TaggedError<WriteConflict>()("WriteConflict", {
  message: Schema.String
}) {}

/** No credential, or one that is unknown, revoked or expired (the same answer for each). */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {
  message: Schema.String
}) {}

export class TokenNotFound extends Schema.TaggedError<TokenNotFound>()("TokenNotFound", {
  tokenId: Schema.String
}) {
  override get message() {
    return `no token ${this.tokenId}`
  }
}

export class TokenAlreadyExists extends Schema.TaggedError<TokenAlreadyExists>()("TokenAlreadyExists", {
  tokenId: Schema.String
}) {
  override get message() {
    return `token ${this.tokenId} already exists`
  }
}

export class TemplateNotFound extends Schema.TaggedError<TemplateNotFound>()("TemplateNotFound", {
  oid: Schema.String
}) {
  override get message() {
    return `no template name is registered for ${this.oid}`
  }
}

/** Every error a use-case can fail with. */
export type DomainError =
  | AccessDenied
  | OwnerNotFound
  | OwnerAlreadyExists
  | CertificateNotFound
  | InvalidCertificate
  | InvalidLookup
  | InvalidCursor
  | InvalidRequest
  | CertificateLimitReached
  | LastValidCertificate
  | WriteConflict
  | Unauthenticated
  | TokenNotFound
  | TokenAlreadyExists
  | TemplateNotFound
