/**
 * @certory/saml: SAML 2.0 metadata XML (untrusted) -> the entity ID, single sign-on endpoints and
 * signing certificates (DER, for @certory/x509) of an external IdP. No `node:` imports, so it runs
 * unchanged in Node and in Cloudflare workerd.
 */
export type { IdpMetadata, ParseOptions, ParseOutcome, SingleSignOnService } from "./IdpMetadata.js"
export { Bindings, MetadataNamespace, parseIdpMetadata, XmlDsigNamespace } from "./IdpMetadata.js"
export type { Limit } from "./Limits.js"
export { Limits } from "./Limits.js"
export type { SamlError, SamlErrorCode } from "./SamlError.js"
