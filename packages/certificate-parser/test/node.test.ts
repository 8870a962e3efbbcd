/**
 * The Node parser (`@certory/certificate-parser/node`): node:crypto's createHash instead of WebCrypto,
 * the same certificates out, and input errors the same.
 */
import { readFileSync } from "node:fs"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { X509CertificateParser } from "../src/index.js"
import * as NodeParser from "../src/node.js"

const bytes = (name: string): Uint8Array => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))

describe("the Node CertificateParser", () => {
  it("gives exactly the certificates the WebCrypto parser gives", async () => {
    const inputs = [
      bytes("bing.com.peer.3.pem"),
      bytes("certVersion4NoExtensions.pem"),
      // Both files in one input: two PEM blocks.
      new Uint8Array([...bytes("bing.com.peer.3.pem"), 0x0a, ...bytes("certVersion4NoExtensions.pem")])
    ]
    for (const input of inputs) {
      const [webCrypto, node] = await Promise.all([
        Effect.runPromise(X509CertificateParser.make.parse(input)),
        Effect.runPromise(NodeParser.make.parse(input))
      ])
      expect(node.length).toBeGreaterThan(0)
      expect(node).toEqual(webCrypto)
      expect(node.map((certificate) => certificate.sha256)).toEqual(
        webCrypto.map((certificate) => certificate.sha256)
      )
    }
  })

  it("refuses what is not a certificate as the WebCrypto parser does", async () => {
    const input = new TextEncoder().encode("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    const [webCrypto, node] = await Promise.all([
      Effect.runPromise(Effect.flip(X509CertificateParser.make.parse(input))),
      Effect.runPromise(Effect.flip(NodeParser.make.parse(input)))
    ])
    expect(node._tag).toBe("InvalidCertificate")
    expect(node).toEqual(webCrypto)
  })

  it("hashes with node:crypto: SHA-1 and SHA-256 as raw bytes", () => {
    const data = new TextEncoder().encode("abc")
    const hex = (value: Uint8Array | Promise<Uint8Array>) => Buffer.from(value as Uint8Array).toString("hex")
    expect(hex(NodeParser.digest("SHA-1", data))).toBe("a9993e364706816aba3e25717850c26c9cd0d89d")
    expect(hex(NodeParser.digest("SHA-256", data))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
  })
})
