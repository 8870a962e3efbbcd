/**
 * The JobStore contract suite, unchanged, inside workerd against a D1 database the stores layer
 * migrates itself.
 */

import { env } from "cloudflare:test"
import { JobStoreContract } from "@certory/testing"
import { D1CertificateStore } from "../src/index.js"

JobStoreContract.suite("d1", D1CertificateStore.layerStores(env.DB))
