/**
 * @certory/storage-memory: the in-memory CertificateStore and TokenStore, for tests and embedding.
 */
export * as MemoryCertificateStore from "./MemoryCertificateStore.js"
export * as MemoryTokenStore from "./MemoryTokenStore.js"
