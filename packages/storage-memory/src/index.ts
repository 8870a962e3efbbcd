/**
 * @certory/storage-memory: the in-memory CertificateStore, for tests and embedding.
 */
export * as MemoryCertificateStore from "./MemoryCertificateStore.js"
