/**
 * @certory/storage-sql: the CertificateStore, TokenStore and TemplateCatalog ports over @effect/sql,
 * shared by the SQLite, PostgreSQL and D1 adapters, and the versioned schema they all apply.
 */
export * as Batch from "./Batch.js"
export * as Migrations from "./Migrations.js"
export * as Rows from "./Rows.js"
export * as SqlCertificateStore from "./SqlCertificateStore.js"
export * as SqlJobStore from "./SqlJobStore.js"
export * as SqlStores from "./SqlStores.js"
export * as SqlTemplateCatalog from "./SqlTemplateCatalog.js"
export * as SqlTokenStore from "./SqlTokenStore.js"
