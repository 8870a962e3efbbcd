/**
 * What the facts tests share: fixture loading, the bing.com chain's fingerprints, and unwrapping outcomes.
 */
import { readFileSync } from "node:fs"
import type { CertificateFacts, ParseOutcome } from "../src/index.js"

export const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)))
export const text = (name: string): string => new TextDecoder().decode(fixture(name))

/** The DER of the first PEM block of a fixture. */
export const derOf = (name: string): Uint8Array => {
  const pem = text(name)
  const bodyStart = pem.indexOf("-----", pem.indexOf("-----BEGIN ") + 11) + 5
  const body = pem.slice(bodyStart, pem.indexOf("-----END", bodyStart))
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ""), "base64"))
}

/** UTF-8 size of a message. */
export const bytes = (message: string): number => Buffer.byteLength(message, "utf8")

/** Every number anywhere in a value (facts are plain data), for "no Infinity, no unsafe integer". */
export const numbersIn = (value: unknown): number[] => {
  const out: number[] = []
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === "number") out.push(v)
    else if (v instanceof Uint8Array) continue
    else if (Array.isArray(v)) stack.push(...v)
    else if (typeof v === "object" && v !== null) stack.push(...Object.values(v))
  }
  return out
}

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
