/**
 * The JobStore contract suite, unchanged, against the real PostgreSQL in a schema of its own (dropped
 * after), through the stores layer (the CertificateStore and the JobStore on one pool).
 */
import { JobStoreContract } from "@certory/testing"
import { PgCertificateStore } from "../src/index.js"
import { withFreshSchema } from "./database.js"

JobStoreContract.suite(
  "postgresql",
  withFreshSchema((url) => PgCertificateStore.layerStores({ url }))
)
