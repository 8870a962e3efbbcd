/**
 * @certory/storage-pg: the CertificateStore, TokenStore and TemplateCatalog in PostgreSQL.
 */
export * as PgCertificateStore from "./PgCertificateStore.js"
