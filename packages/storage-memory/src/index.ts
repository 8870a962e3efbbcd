/**
 * @certory/storage-memory: the in-memory CertificateStore, TokenStore and TemplateCatalog, for tests and
 * embedding.
 */
export * as MemoryCertificateStore from "./MemoryCertificateStore.js"
export * as MemoryJobStore from "./MemoryJobStore.js"
export * as MemoryTemplateCatalog from "./MemoryTemplateCatalog.js"
export * as MemoryTokenStore from "./MemoryTokenStore.js"
