/**
 * The TokenStore contract suite against the in-memory store: the reference every other adapter is
 * compared with.
 */
import { MemoryTokenStore } from "@certory/storage-memory"
import { TokenStoreContract } from "../src/index.js"

TokenStoreContract.suite("memory", MemoryTokenStore.layer)
