/**
 * @certory/storage-d1: the CertificateStore, TokenStore and TemplateCatalog in Cloudflare D1.
 */
export * as D1CertificateStore from "./D1CertificateStore.js"
