/**
 * @certory/testing: the contract suite every CertificateStore adapter runs, and the real-certificate
 * fixtures it binds. Nothing here needs node: or a file system at run time (the D1 adapter runs the
 * suite inside workerd).
 */
export * as CertificateStoreContract from "./CertificateStoreContract.js"
export * as Fixtures from "./Fixtures.js"
