/**
 * The JobStore contract suite against the in-memory stores: the reference every other adapter is
 * compared with.
 */
import { MemoryCertificateStore, MemoryJobStore } from "@certory/storage-memory"
import { Layer } from "effect"
import { JobStoreContract } from "../src/index.js"

JobStoreContract.suite("memory", Layer.merge(MemoryCertificateStore.layer, MemoryJobStore.layer))
