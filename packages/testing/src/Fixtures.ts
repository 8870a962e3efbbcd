/**
 * Real certificates from the shared corpus (fixtures/README.md says which and why), readable without a
 * file system: the data comes from the generated module, so the contract suite also runs in workerd.
 * Node callers that want the files themselves use `url`.
 */
import { type Certificate as C, CertificateParser as Parser } from "@certory/domain"
import { Context, Effect, Either, Encoding, Layer } from "effect"
import { files } from "./fixtures.generated.js"

/** The named fixtures, by role. */
export const names = {
  rsa: "rsa-cryptography-io.pem",
  chain: "chain-cryptography-io.pem",
  pkcs7: "chain-cryptography-io.p7b",
  ec: "ec-root.pem",
  ed25519: "ed25519-server.pem",
  ed448: "ed448-server.pem",
  templateOid: "ms-template-oid.pem",
  templateName: "ms-template-name-dc.pem",
  adcsUserDer: "ms-adcs-user.der",
  adcsDcDer: "ms-adcs-dc-sid.der",
  expired: "letsencrypt-x3.pem",
  negativeSerial: "negative-serial.pem",
  rsaPss: "rsa-pss.pem",
  notYetValid: "not-yet-valid-ec.pem",
  adcsSerial: "microsoft-com-peer.pem",
  v1: "v1.pem",
  v4: "v4.pem",
  manyNames: "many-names.pem"
} as const
export type Name = keyof typeof names

/** The 62 distinct CA certificates under fixtures/cacert, in file order. */
export const cacertFiles: ReadonlyArray<string> = Object.keys(files)
  .filter((file) => file.startsWith("cacert/"))
  .sort()

/** Where the file lives, for callers with a file system. */
export const url = (file: string): URL => new URL(`../fixtures/${file}`, import.meta.url)

/** The file's content as a parser takes it: text for PEM / PKCS#7 PEM, bytes for DER. */
export const input = (file: string): string | Uint8Array => {
  const entry = files[file]
  if (entry === undefined) throw new Error(`no fixture ${file}`)
  if (!entry.binary) return entry.data
  return Either.getOrThrow(Encoding.decodeBase64(entry.data))
}

/** Every fixture parsed once: the certificates the contract suite and the use-case tests bind. */
export class Corpus extends Context.Tag("@certory/testing/Fixtures/Corpus")<
  Corpus,
  {
    /** Every certificate of a file, in order. */
    readonly all: (name: Name) => ReadonlyArray<C.Certificate>
    /** The first certificate of a file. */
    readonly one: (name: Name) => C.Certificate
    /** The 62 CA certificates, one per file. */
    readonly cacerts: ReadonlyArray<C.Certificate>
  }
>() {}

const parseFile = (parser: Parser.CertificateParser["Type"], file: string) =>
  parser.parse(input(file)).pipe(Effect.orDieWith((e) => new Error(`fixture ${file}: ${e.message}`)))

export const layerCorpus: Layer.Layer<Corpus, never, Parser.CertificateParser> = Layer.effect(
  Corpus,
  Effect.gen(function* () {
    const parser = yield* Parser.CertificateParser
    const byName = new Map<Name, ReadonlyArray<C.Certificate>>()
    for (const [name, file] of Object.entries(names) as ReadonlyArray<[Name, string]>) {
      byName.set(name, yield* parseFile(parser, file))
    }
    const cacerts = yield* Effect.forEach(cacertFiles, (file) =>
      parseFile(parser, file).pipe(Effect.map((certificates) => certificates[0]!))
    )
    const all = (name: Name) => byName.get(name)!
    return { all, one: (name: Name) => all(name)[0]!, cacerts }
  })
)
