/**
 * The TokenStore contract suite, unchanged, against the real PostgreSQL in a schema of its own (dropped
 * after), through the stores layer (the CertificateStore and the TokenStore on one pool).
 */
import { TokenStoreContract } from "@certory/testing"
import { PgCertificateStore } from "../src/index.js"
import { withFreshSchema } from "./database.js"

TokenStoreContract.suite(
  "postgresql",
  withFreshSchema((url) => PgCertificateStore.layerStores({ url }))
)
