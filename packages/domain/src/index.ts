/**
 * @certory/domain: certificate inventory schemas, ports and use-cases. Depends on `effect` only, so it
 * embeds anywhere (Node, Cloudflare Workers, browsers).
 */
export * as Certificate from "./Certificate.js"
export * as CertificateParser from "./CertificateParser.js"
export * as CertificateStore from "./CertificateStore.js"
export * as Errors from "./Errors.js"
export * as Ids from "./Ids.js"
export * as Owner from "./Owner.js"
export * as Principal from "./Principal.js"
