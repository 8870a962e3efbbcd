/**
 * The benchmark corpus: every certificate in ../shared/corpus that OpenSSL parses (per
 * oracles/openssl3.jsonl), as DER bytes, so every contender is fed exactly the same input.
 */
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export interface CorpusEntry {
  readonly file: string
  readonly der: Uint8Array<ArrayBuffer>
}

const PEM_BLOCK =
  /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/

/** `<repo root>/../shared/corpus`, or CERTORY_CORPUS. */
export const corpusDir = (): string =>
  process.env.CERTORY_CORPUS ??
  resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..", "..", "shared", "corpus")

/** The files OpenSSL parses, PEM converted to DER up front (openssl reads the first block only). */
export const loadCorpus = (dir: string = corpusDir()): ReadonlyArray<CorpusEntry> => {
  const oracle = join(dir, "oracles", "openssl3.jsonl")
  if (!existsSync(oracle)) throw new Error(`corpus oracle not found: ${oracle} (set CERTORY_CORPUS)`)
  const entries: Array<CorpusEntry> = []
  for (const line of readFileSync(oracle, "utf8").split("\n")) {
    if (line.trim() === "") continue
    const row = JSON.parse(line) as { file: string; ok: boolean; inform: string }
    if (!row.ok) continue
    const bytes = readFileSync(join(dir, row.file))
    if (row.inform === "PEM") {
      const block = PEM_BLOCK.exec(bytes.toString("latin1"))
      if (block === null) throw new Error(`no CERTIFICATE block in ${row.file}`)
      entries.push({
        file: row.file,
        der: new Uint8Array(Buffer.from(block[1]!.replace(/\s+/g, ""), "base64"))
      })
    } else {
      entries.push({ file: row.file, der: new Uint8Array(bytes) })
    }
  }
  return entries
}
