/**
 * Fixture loading and outcome assertions shared by the Node tests.
 */
import { X509Certificate } from "node:crypto"
import { readFileSync } from "node:fs"
import { expect } from "vitest"
import type { IdpMetadata, ParseOutcome, SamlError, SamlErrorCode } from "../src/index.js"

export const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")

export const FIXTURES = [
  "adfs.xml",
  "okta.xml",
  "onelogin-sign-and-encrypt.xml",
  "samltest-shibboleth.xml",
  "testshib-providers.xml",
  "multi-signing-certs.xml"
] as const

export const parsed = (outcome: ParseOutcome): IdpMetadata => {
  if (outcome._tag !== "Parsed")
    expect.fail(`expected Parsed, got ${outcome.error.code}: ${outcome.error.message}`)
  return outcome.metadata
}

export const failed = (outcome: ParseOutcome, code: SamlErrorCode): SamlError => {
  if (outcome._tag !== "Failed") expect.fail(`expected ${code}, got Parsed (${outcome.metadata.entityId})`)
  expect(outcome.error.code, outcome.error.message).toBe(code)
  expect(new TextEncoder().encode(outcome.error.message).length).toBeLessThan(1000)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: messages are one printable line
  expect(outcome.error.message).not.toMatch(/[\x00-\x1f]/)
  return outcome.error
}

/** Subject (one line) and serial of each DER certificate, read by Node's OpenSSL: an independent check of the bytes. */
export const describeCertificates = (certificates: ReadonlyArray<Uint8Array>): Array<string> =>
  certificates.map((der) => {
    const c = new X509Certificate(der)
    return `${c.subject.replace(/\n/g, ", ")} #${c.serialNumber}`
  })

/** The base64 texts of every ds:X509Certificate element of a file, by regex (an oracle independent of the parser). */
export const base64Certificates = (xml: string): Array<Uint8Array> =>
  [...xml.matchAll(/<(?:ds:)?X509Certificate>([^<]*)<\/(?:ds:)?X509Certificate>/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"))
  )
