/**
 * The domain's MetadataReader over @certory/saml's `parseIdpMetadata`: the signing certificates of the
 * IDPSSODescriptor (no `use` = signing), `validUntil` and `cacheDuration` as written. Runtime-neutral
 * (no `node:` import), so the Cloudflare Worker's `scheduled` handler can use it as it is.
 */
import { MetadataReader } from "@certory/domain"
import { parseIdpMetadata } from "@certory/saml"
import { Effect, Layer } from "effect"

export interface Options {
  /** The largest document read, in bytes of UTF-8. Default the SAML parser's (1 MiB). */
  readonly maxInputBytes?: number
}

export const make = (options: Options = {}): MetadataReader.MetadataReader["Type"] =>
  MetadataReader.MetadataReader.of({
    read: (xml, { entityId }) =>
      Effect.suspend(() => {
        const outcome = parseIdpMetadata(xml, {
          ...(entityId === undefined ? {} : { entityId }),
          ...(options.maxInputBytes === undefined ? {} : { maxInputBytes: options.maxInputBytes })
        })
        if (outcome._tag === "Failed") {
          return Effect.fail(
            new MetadataReader.MetadataInvalid({ message: `${outcome.error.code}: ${outcome.error.message}` })
          )
        }
        const m = outcome.metadata
        return Effect.succeed({
          entityId: m.entityId,
          signingCertificates: m.signingCertificates,
          ...(m.validUntil === undefined ? {} : { validUntil: m.validUntil }),
          ...(m.cacheDuration === undefined ? {} : { cacheDuration: m.cacheDuration })
        })
      })
  })

export const layer = (options: Options = {}): Layer.Layer<MetadataReader.MetadataReader> =>
  Layer.succeed(MetadataReader.MetadataReader, make(options))
