/**
 * @certory/worker: the background jobs' runner for Node (`certory worker`): the metadata sync and the
 * expiry notifications of @certory/domain, on a schedule or once, with their configuration.
 */
export * as Runner from "./Runner.js"
export * as SamlMetadataReader from "./SamlMetadataReader.js"
export * as Scheduled from "./Scheduled.js"
export * as WorkerConfig from "./WorkerConfig.js"
