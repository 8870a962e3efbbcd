/**
 * The TemplateCatalog contract suite against the in-memory catalog: the reference every other adapter
 * is compared with.
 */
import { MemoryTemplateCatalog } from "@certory/storage-memory"
import { TemplateCatalogContract } from "../src/index.js"

TemplateCatalogContract.suite("memory", MemoryTemplateCatalog.layer)
