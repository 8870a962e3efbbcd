/**
 * @certory/api: the HTTP API (`createApp`) and its runtime type. Entrypoints: node.ts (Node), later
 * worker.ts (Cloudflare Workers).
 */
export * as App from "./App.js"
export * as Runtime from "./Runtime.js"
