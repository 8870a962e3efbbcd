/**
 * The TokenStore contract suite, unchanged, inside workerd against a D1 database the stores layer
 * migrates itself.
 */

import { env } from "cloudflare:test"
import { TokenStoreContract } from "@certory/testing"
import { D1CertificateStore } from "../src/index.js"

TokenStoreContract.suite("d1", D1CertificateStore.layerStores(env.DB))
