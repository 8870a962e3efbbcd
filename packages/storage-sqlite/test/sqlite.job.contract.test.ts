/**
 * The JobStore contract suite, unchanged, against a SQLite file in a temporary directory (the stores
 * layer: the CertificateStore and the JobStore on one connection).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { JobStoreContract } from "@certory/testing"
import { afterAll } from "vitest"
import { SqliteCertificateStore } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "certory-job-contract-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

JobStoreContract.suite(
  "sqlite",
  SqliteCertificateStore.layerStores({ filename: join(dir, "certory.sqlite") })
)
