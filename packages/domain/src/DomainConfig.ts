/**
 * Tunables of the domain rules. A Context.Reference, so use-cases work without it (the defaults are the
 * reference APIs' rules) and an embedder overrides it with `Layer.succeed(DomainConfig, { ... })`.
 */
import { Context } from "effect"

export interface Config {
  /** Certificates one external IdP may hold (Huawei IAM Identity Center allows 2). */
  readonly maxIdpCertificates: number
  /** Certificates one import may carry (a larger bundle is refused whole). */
  readonly maxImportCertificates: number
  /**
   * How long a certificate must stay valid to count as an IdP's valid certificate when another one is
   * removed: one expiring in the next minute is no replacement. Milliseconds.
   */
  readonly validityGraceMillis: number
}

export const defaults: Config = {
  maxIdpCertificates: 2,
  maxImportCertificates: 1000,
  validityGraceMillis: 3_600_000
}

export class DomainConfig extends Context.Reference<DomainConfig>()("@certory/domain/DomainConfig", {
  defaultValue: (): Config => defaults
}) {}
