/**
 * @certory/storage-sqlite: the CertificateStore in one SQLite file, the embedded default.
 */
export * as SqliteCertificateStore from "./SqliteCertificateStore.js"
