/**
 * Tunables of the domain rules. A Context.Reference, so use-cases work without it (the defaults are the
 * reference APIs' rules) and an embedder overrides it with `Layer.succeed(DomainConfig, { ... })`.
 */
import { Context } from "effect"

export interface Config {
  /** Certificates one external IdP may hold (Huawei IAM Identity Center allows 2). */
  readonly maxIdpCertificates: number
}

export class DomainConfig extends Context.Reference<DomainConfig>()("@certory/domain/DomainConfig", {
  defaultValue: (): Config => ({ maxIdpCertificates: 2 })
}) {}
