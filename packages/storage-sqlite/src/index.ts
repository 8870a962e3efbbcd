/**
 * @certory/storage-sqlite: the CertificateStore and TokenStore in one SQLite file, the embedded default.
 */
export * as SqliteCertificateStore from "./SqliteCertificateStore.js"
