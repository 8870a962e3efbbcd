/**
 * @certory/storage-pg: the CertificateStore and TokenStore in PostgreSQL.
 */
export * as PgCertificateStore from "./PgCertificateStore.js"
