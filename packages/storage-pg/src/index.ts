/**
 * @certory/storage-pg: the CertificateStore in PostgreSQL.
 */
export * as PgCertificateStore from "./PgCertificateStore.js"
