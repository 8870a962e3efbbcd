/**
 * @certory/testing: the contract suites every CertificateStore, TokenStore and TemplateCatalog adapter
 * runs, and the real-certificate fixtures they bind. Nothing here needs node: or a file system at run
 * time (the D1 adapter runs the suites inside workerd).
 */
export * as CertificateStoreContract from "./CertificateStoreContract.js"
export * as Fixtures from "./Fixtures.js"
export * as JobStoreContract from "./JobStoreContract.js"
export * as TemplateCatalogContract from "./TemplateCatalogContract.js"
export * as TokenStoreContract from "./TokenStoreContract.js"
