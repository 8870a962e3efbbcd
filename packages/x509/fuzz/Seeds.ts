/**
 * Fuzz seeds: real certificates as DER, from the package's fixtures (always) and from the shared
 * corpus (every certificate OpenSSL parses, see bench/Corpus.ts; CERTORY_CORPUS moves it).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { corpusDir, loadCorpus } from "../bench/Corpus.js"

export interface Seed {
  readonly name: string
  readonly der: Uint8Array
}

const PEM_BLOCK =
  /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g

/** Every certificate of the test fixtures (each PEM block, each .der file). */
export const fixtureSeeds = (): Seed[] => {
  const dir = fileURLToPath(new URL("../test/fixtures/", import.meta.url))
  const seeds: Seed[] = []
  for (const file of readdirSync(dir).sort()) {
    const bytes = readFileSync(join(dir, file))
    if (file.endsWith(".der")) seeds.push({ name: file, der: new Uint8Array(bytes) })
    if (!file.endsWith(".pem") || file.includes("p7b")) continue
    let i = 0
    for (const m of bytes.toString("latin1").matchAll(PEM_BLOCK)) {
      seeds.push({
        name: `${file}#${++i}`,
        der: new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"))
      })
    }
  }
  return seeds
}

/** The corpus certificates, or none when the corpus is not there. */
export const corpusSeeds = (): Seed[] => {
  if (!existsSync(join(corpusDir(), "oracles", "openssl3.jsonl"))) return []
  return loadCorpus().map((e) => ({ name: e.file, der: e.der }))
}
