/**
 * @certory/storage-sqlite: the CertificateStore, TokenStore and TemplateCatalog in one SQLite file, the
 * embedded default.
 */
export * as SqliteCertificateStore from "./SqliteCertificateStore.js"
