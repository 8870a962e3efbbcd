/**
 * The contract suite against the in-memory store: the reference every other adapter is compared with.
 */
import { MemoryCertificateStore } from "@certory/storage-memory"
import { CertificateStoreContract } from "../src/index.js"

CertificateStoreContract.suite("memory", MemoryCertificateStore.layer)
