/**
 * `node --import tsx bench/CorpusMaxima.ts`: the largest of each capped quantity over the shared corpus
 * (every PEM block and DER file), the evidence for the caps in src/Limits.ts: the caps must sit far
 * above these. OIDs and nesting are measured on the raw DER, descending into OCTET / BIT STRINGs whose
 * content is itself well-formed DER (extension values, keys).
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { header } from "../fuzz/DerTree.js"
import { parseCertificates } from "../src/index.js"
import { corpusDir } from "./Corpus.js"

interface Max {
  value: number
  file: string
}
const maxima = new Map<string, Max>()
const record = (name: string, value: number, file: string): void => {
  const m = maxima.get(name)
  if (m === undefined || value > m.value) maxima.set(name, { value, file })
}

/** True when [start, end) is a sequence of well-formed TLVs, all the way down. */
const wellFormed = (b: Uint8Array, start: number, end: number, depth: number): boolean => {
  if (depth > 64) return false
  for (let pos = start; pos < end; ) {
    const h = header(b, pos, end)
    if (h === undefined) return false
    if (h.id & 0x20 && !wellFormed(b, h.contentStart, h.end, depth + 1)) return false
    pos = h.end
  }
  return start < end
}

const walk = (b: Uint8Array, start: number, end: number, depth: number, file: string): void => {
  record("nesting depth (DER, incl. encapsulated)", depth, file)
  for (let pos = start; pos < end; ) {
    const h = header(b, pos, end)
    if (h === undefined) return
    const len = h.end - h.contentStart
    if (h.id === 0x06) {
      record("OID content bytes", len, file)
      let arc = 0
      for (let i = h.contentStart; i < h.end; i++) {
        arc++
        if ((b[i]! & 0x80) === 0) {
          record("OID arc bytes", arc, file)
          arc = 0
        }
      }
    }
    if (h.id === 0x02) record("INTEGER content bytes", len, file)
    if (h.id === 0x17 || h.id === 0x18) record("UTCTime / GeneralizedTime octets", len, file)
    if (h.id & 0x20) walk(b, h.contentStart, h.end, depth + 1, file)
    else if ((h.id === 0x04 || h.id === 0x03) && len > 1) {
      const s = h.id === 0x03 ? h.contentStart + 1 : h.contentStart
      if (wellFormed(b, s, h.end, 0)) walk(b, s, h.end, depth + 1, file)
    }
    pos = h.end
  }
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name === "oracles") return []
    return statSync(path).isDirectory() ? files(path) : name.endsWith(".md") ? [] : [path]
  })

const dir = corpusDir()
let certificates = 0
for (const path of files(dir)) {
  const file = relative(dir, path)
  const outcome = await parseCertificates(new Uint8Array(readFileSync(path)))
  if (outcome._tag !== "Parsed") continue
  record("certificates per file", outcome.certificates.length, file)
  for (const c of outcome.certificates) {
    certificates++
    walk(c.der, 0, c.der.length, 0, file)
    record("certificate DER bytes", c.der.length, file)
    record("extensions per certificate", c.extensions.all.length, file)
    record("names per subjectAltName", c.extensions.subjectAltNames?.length ?? 0, file)
    record("EKU purposes", c.extensions.extendedKeyUsage?.length ?? 0, file)
    for (const name of [c.subject, c.issuer]) {
      record("RDNs per Name", name.rdns.length, file)
      record(
        "attributes per Name",
        name.rdns.reduce((n, r) => n + r.length, 0),
        file
      )
      record("attributes per RDN", Math.max(0, ...name.rdns.map((r) => r.length)), file)
      for (const rdn of name.rdns) for (const a of rdn) record("attribute value chars", a.value.length, file)
    }
    record("warnings per certificate", c.warnings.length, file)
    record("key bits", c.publicKey.size ?? 0, file)
    record("serial octets", c.serial.windows.length / 2, file)
    record(
      "attribute value chars in all names",
      [c.subject, c.issuer].reduce(
        (n, name) => n + name.rdns.flat().reduce((m, a) => m + a.value.length, 0),
        0
      ),
      file
    )
  }
}
console.log(`${certificates} certificates in ${dir}`)
console.table([...maxima].map(([quantity, m]) => ({ quantity, max: m.value, file: m.file.slice(-70) })))
