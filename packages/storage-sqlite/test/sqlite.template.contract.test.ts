/**
 * The TemplateCatalog contract suite, unchanged, against a SQLite file in a temporary directory (the
 * stores layer: every store on one connection).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { TemplateCatalogContract } from "@certory/testing"
import { afterAll } from "vitest"
import { SqliteCertificateStore } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "certory-template-contract-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

TemplateCatalogContract.suite(
  "sqlite",
  SqliteCertificateStore.layerStores({ filename: join(dir, "certory.sqlite") })
)
