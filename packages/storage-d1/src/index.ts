/**
 * @certory/storage-d1: the CertificateStore and TokenStore in Cloudflare D1.
 */
export * as D1CertificateStore from "./D1CertificateStore.js"
