/**
 * What the facts tests share: fixture loading, the bing.com chain's fingerprints, and unwrapping outcomes.
 */
import { readFileSync } from "node:fs"
import type { CertificateFacts, ParseOutcome } from "../src/index.js"

export const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)))
export const text = (name: string): string => new TextDecoder().decode(fixture(name))

export const BING_PEER_SHA1 = "08636F879638B7D5CFDA6B800A7298FB6301E777"
export const BING_INTERMEDIATE_SHA1 = "DA6D0400641B45AECC595D24E5037AA6BC09C358"

export const parsed = (outcome: ParseOutcome): ReadonlyArray<CertificateFacts> => {
  if (outcome._tag !== "Parsed") throw new Error(`expected Parsed, got ${JSON.stringify(outcome.error)}`)
  return outcome.certificates
}

export const failure = (outcome: ParseOutcome) => {
  if (outcome._tag !== "Failed")
    throw new Error(`expected Failed, got ${outcome.certificates.length} certificates`)
  return outcome.error
}
