/**
 * The contract suite, unchanged, against the real PostgreSQL in a schema of its own (dropped after).
 */
import { CertificateStoreContract } from "@certory/testing"
import { PgCertificateStore } from "../src/index.js"
import { withFreshSchema } from "./database.js"

CertificateStoreContract.suite(
  "postgresql",
  withFreshSchema((url) => PgCertificateStore.layer({ url }))
)
