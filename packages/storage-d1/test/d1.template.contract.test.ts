/**
 * The TemplateCatalog contract suite, unchanged, inside workerd against a D1 database the stores layer
 * migrates itself.
 */

import { env } from "cloudflare:test"
import { TemplateCatalogContract } from "@certory/testing"
import { D1CertificateStore } from "../src/index.js"

TemplateCatalogContract.suite("d1", D1CertificateStore.layerStores(env.DB))
