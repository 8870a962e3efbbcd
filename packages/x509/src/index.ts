/**
 * @certory/x509: certificates in any common encoding -> plain CertificateFacts, and a normaliser for
 * fingerprint / serial look-ups. No `node:` imports and no global crypto engine, so it runs unchanged
 * in Node and in Cloudflare workerd.
 */
export type * from "./CertificateFacts.js"
export { Limits } from "./Limits.js"
export type { LookupCandidate, LookupError, LookupKind, LookupOutcome } from "./NormalizeLookup.js"
export { normalizeLookup } from "./NormalizeLookup.js"
export { Oid } from "./Oids.js"
export { accessMethodName, extendedKeyUsageName, extensionName } from "./OpensslNames.js"
export type {
  BlockwiseOutcome,
  CertificateOrigin,
  DigestFunction,
  ParseOptions,
  ParseOutcome
} from "./ParseCertificates.js"
export {
  DEFAULT_MAX_INPUT_BYTES,
  parseCertificates,
  parseCertificatesBlockwise
} from "./ParseCertificates.js"
export type { X509Error, X509ErrorCode } from "./X509Error.js"
