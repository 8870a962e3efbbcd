/**
 * The TemplateCatalog contract suite, unchanged, against the real PostgreSQL in a schema of its own
 * (dropped after), through the stores layer (every store on one pool).
 */
import { TemplateCatalogContract } from "@certory/testing"
import { PgCertificateStore } from "../src/index.js"
import { withFreshSchema } from "./database.js"

TemplateCatalogContract.suite(
  "postgresql",
  withFreshSchema((url) => PgCertificateStore.layerStores({ url }))
)
