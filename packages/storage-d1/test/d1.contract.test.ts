/**
 * The contract suite, unchanged, inside workerd against a D1 database the layer migrates itself.
 */

import { env } from "cloudflare:test"
import { CertificateStoreContract } from "@certory/testing"
import { D1CertificateStore } from "../src/index.js"

CertificateStoreContract.suite("d1", D1CertificateStore.layer(env.DB))
