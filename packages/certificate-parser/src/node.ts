/**
 * The CertificateParser for Node processes (the CLI, `certory serve`, the worker): the same parser with
 * `node:crypto`'s synchronous createHash instead of WebCrypto's asynchronous digest, which costs ~47 us a
 * call in Node against ~2 us (three hashes per certificate). Facts are identical (tested); workerd and
 * other runtimes use `X509CertificateParser.layer`.
 */
import { createHash } from "node:crypto"
import { CertificateParser as Parser } from "@certory/domain"
import type { DigestFunction } from "@certory/x509"
import { Layer } from "effect"
import { makeWith } from "./X509CertificateParser.js"

export const digest: DigestFunction = (algorithm, data) =>
  createHash(algorithm === "SHA-1" ? "sha1" : "sha256")
    .update(data)
    .digest()

export const make: Parser.CertificateParser["Type"] = makeWith({ digest })

export const layer: Layer.Layer<Parser.CertificateParser> = Layer.succeed(Parser.CertificateParser, make)
