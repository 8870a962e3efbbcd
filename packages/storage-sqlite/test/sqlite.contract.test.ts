/**
 * The contract suite, unchanged, against a SQLite file in a temporary directory.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { CertificateStoreContract } from "@certory/testing"
import { afterAll } from "vitest"
import { SqliteCertificateStore } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "certory-contract-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

CertificateStoreContract.suite(
  "sqlite",
  SqliteCertificateStore.layer({ filename: join(dir, "certory.sqlite") })
)
