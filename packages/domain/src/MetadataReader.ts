/**
 * The port that reads an IdP's SAML metadata document for the sync job: the entity's signing
 * certificates (DER) and its `validUntil` / `cacheDuration`. The domain stays free of XML; the adapter
 * over @certory/saml's `parseIdpMetadata` is composed by the runner (apps/worker, the Worker).
 */
import { Context, type Effect, Schema } from "effect"

export interface IdpMetadata {
  readonly entityId: string
  /** Never empty: a document without a signing certificate is `MetadataInvalid`. */
  readonly signingCertificates: ReadonlyArray<Uint8Array>
  /** As written (xs:dateTime). */
  readonly validUntil?: string
  /** As written (xs:duration). */
  readonly cacheDuration?: string
}

/** The document is not usable metadata (malformed XML, no IdP, no signing certificate, too large, ...). */
export class MetadataInvalid extends Schema.TaggedError<MetadataInvalid>()("MetadataInvalid", {
  message: Schema.String
}) {}

export class MetadataReader extends Context.Tag("@certory/domain/MetadataReader")<
  MetadataReader,
  {
    /** `entityId` picks the entity of an aggregate and is checked against a lone one. */
    readonly read: (
      xml: string,
      options: { readonly entityId?: string }
    ) => Effect.Effect<IdpMetadata, MetadataInvalid>
  }
>() {}

const DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/**
 * An xs:duration (`PT6H`, `P1D`, `P1Y2M`) in milliseconds; a year counts 365 days and a month 30, which
 * is what a cache lifetime needs. Undefined when it is not one or is negative.
 */
export const durationMillis = (text: string): number | undefined => {
  const m = DURATION.exec(text.trim())
  if (m === null || text.trim().endsWith("T") || text.trim() === "P" || m[1] === "-") return undefined
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]))
  const day = 86_400_000
  const millis =
    n(2) * 365 * day + n(3) * 30 * day + n(4) * day + n(5) * 3_600_000 + n(6) * 60_000 + n(7) * 1000
  return Number.isFinite(millis) ? Math.round(millis) : undefined
}

/** An xs:dateTime in epoch milliseconds (no zone: UTC); undefined when it is not one. */
export const dateTimeMillis = (text: string): number | undefined => {
  const t = text.trim()
  if (!/^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t)) return undefined
  const millis = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(t) ? t : `${t}Z`)
  return Number.isNaN(millis) ? undefined : millis
}
