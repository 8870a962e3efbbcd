/**
 * Proof of correctness: every file of the shared corpus is parsed and its first certificate compared
 * with what OpenSSL 3 and Java 17 said about it (oracles/openssl3.jsonl, oracles/java17.jsonl), and its
 * extensions with an independent implementation (@peculiar/x509, the oracles carry no extensions).
 * Every disagreement must be listed with its reason in known-differences.json; a new one fails, and
 * so does a listed one that no longer occurs.
 */
import "reflect-metadata"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import * as peculiar from "@peculiar/x509"
import { describe, expect, it } from "vitest"
import { type CertificateFacts, parseCertificates } from "../src/index.js"
import { keyUsageNames } from "../src/Oids.js"
import { utcMillis } from "../src/Time.js"

const corpusDir =
  process.env.CERTORY_CORPUS ?? fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url))
const knownPath = fileURLToPath(new URL("../known-differences.json", import.meta.url))

interface OpensslLine {
  file: string
  ok: boolean
  serial: string | null
  serial_dec: string | null
  sha1: string | null
  sha256: string | null
  notBeforeISO: string | null
  notAfterISO: string | null
  version: string | null
  sig_alg: string | null
  pem_blocks: number
  subject_utf8: string | null
  issuer_utf8: string | null
}

interface JavaLine {
  file: string
  ok: boolean
  serial_hex?: string
  serial_dec?: string
  sig?: string
  sig_oid?: string
  version?: number
  nb?: string
  na?: string
  subj2253?: string
}

/** One cause; `files` lists every file it explains (one entry per file + field is compared). */
interface KnownDifference {
  files: string[]
  field: string
  reason: string
}

/** OpenSSL's long names for signature algorithms, as `openssl x509 -text` prints them. */
const opensslSigNames: Record<string, string> = {
  "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.3.14.3.2.29": "sha1WithRSA",
  "1.2.840.10040.4.3": "dsaWithSHA1",
  "2.16.840.1.101.3.4.3.2": "dsa_with_SHA256",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.3.101.112": "ED25519",
  "1.3.101.113": "ED448",
  "1.2.643.2.2.3": "GOST R 34.11-94 with GOST R 34.10-2001"
}

/** ISO-8601 (as the oracles print it: any year, optional fraction) -> epoch ms, fraction truncated. */
const isoMillis = (iso: string): number => {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/.exec(iso)
  if (!m) throw new Error(`unexpected ISO time ${iso}`)
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0").slice(0, 3))
  return utcMillis(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms)
}

/** OpenSSL prints serials whole-byte padded ("01", "-04316693ED"); the facts drop leading zeros. */
const canonicalSerial = (s: string): string => {
  const neg = s.startsWith("-")
  const digits = (neg ? s.slice(1) : s).replace(/^0+(?=.)/, "")
  return neg ? `-${digits}` : digits
}

/** The extension facts as @peculiar/x509 reads them, in the shape of ours; undefined where it throws. */
const peculiarExtensions = (c: CertificateFacts): Record<string, unknown> | undefined => {
  let p: peculiar.X509Certificate
  let all: peculiar.Extension[]
  try {
    p = new peculiar.X509Certificate(c.der as Uint8Array<ArrayBuffer>)
    all = p.extensions
  } catch {
    return undefined
  }
  const get = <E extends peculiar.Extension>(type: new (raw: BufferSource) => E): E | undefined => {
    try {
      return p.getExtension(type) ?? undefined
    } catch {
      return undefined
    }
  }
  const ku = get(peculiar.KeyUsagesExtension)
  const bc = get(peculiar.BasicConstraintsExtension)
  const san = get(peculiar.SubjectAlternativeNameExtension)
  const simple = ["dns", "email", "url", "ip"]
  return {
    all: all.map((e) => [e.type, e.critical]),
    keyUsage: ku && keyUsageNames.filter((_, i) => ku.usages & (1 << i)),
    extendedKeyUsage: get(peculiar.ExtendedKeyUsageExtension)?.usages,
    basicConstraints: bc && { ca: bc.ca, pathLength: bc.pathLength },
    subjectKeyIdentifier: get(peculiar.SubjectKeyIdentifierExtension)?.keyId.toUpperCase(),
    authorityKeyIdentifier: get(peculiar.AuthorityKeyIdentifierExtension)?.keyId?.toUpperCase(),
    subjectAltNames: san?.names.items
      .filter((n) => simple.includes(n.type))
      .map((n) => [n.type === "url" ? "uri" : n.type, n.value])
  }
}

const ourExtensions = (c: CertificateFacts): Record<string, unknown> => {
  const e = c.extensions
  const simple = ["dns", "email", "uri", "ip"]
  return {
    all: e.all.map((x) => [x.oid, x.critical]),
    keyUsage: e.keyUsage,
    extendedKeyUsage: e.extendedKeyUsage,
    basicConstraints: e.basicConstraints,
    subjectKeyIdentifier: e.subjectKeyIdentifier,
    authorityKeyIdentifier: e.authorityKeyIdentifier,
    subjectAltNames: e.subjectAltNames?.filter((n) => simple.includes(n.type)).map((n) => [n.type, n.value])
  }
}

const walk = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name)
      return statSync(p).isDirectory() ? walk(p) : [p]
    })

const readJsonl = <A>(path: string): Map<string, A> =>
  new Map(
    readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        const v = JSON.parse(l) as A & { file: string }
        return [v.file, v] as const
      })
  )

describe("corpus agreement with OpenSSL 3 and Java 17", () => {
  it("finds the corpus (set CERTORY_CORPUS to move it)", () => {
    expect(existsSync(join(corpusDir, "oracles", "openssl3.jsonl")), `corpus missing at ${corpusDir}`).toBe(
      true
    )
  })

  it("agrees on every file, except the listed known differences", { timeout: 180_000 }, async () => {
    const openssl = readJsonl<OpensslLine>(join(corpusDir, "oracles", "openssl3.jsonl"))
    const java = readJsonl<JavaLine>(join(corpusDir, "oracles", "java17.jsonl"))
    const files = walk(corpusDir)
      .map((p) => relative(corpusDir, p))
      .filter((f) => !f.startsWith("oracles/") && f !== "SOURCES.md")
    expect(files.length).toBeGreaterThan(2000)

    const found = new Map<string, string>()
    const diff = (file: string, field: string, expected: unknown, actual: unknown) => {
      found.set(`${file}\t${field}`, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
    }
    let compared = 0
    let opensslOk = 0
    for (const file of files) {
      const o = openssl.get(file)
      expect(o, `${file} has no openssl oracle line`).toBeDefined()
      if (o === undefined) continue
      compared++
      const outcome = await parseCertificates(new Uint8Array(readFileSync(join(corpusDir, file))))
      if (!o.ok) {
        if (outcome._tag === "Parsed") diff(file, "openssl.rejects", "Failed", "Parsed")
        continue
      }
      opensslOk++
      if (outcome._tag === "Failed") {
        diff(file, "openssl.parses", "Parsed", outcome.error.message)
        continue
      }
      const c = outcome.certificates[0]!
      const check = (field: string, expected: unknown, actual: unknown) => {
        if (expected !== actual) diff(file, field, expected, actual)
      }
      if (o.pem_blocks > 0) check("openssl.pem_blocks", o.pem_blocks, outcome.certificates.length)
      check("openssl.serial", o.serial === null ? null : canonicalSerial(o.serial), c.serial.hex)
      check("openssl.serial_dec", o.serial_dec, c.serial.decimal)
      check("openssl.sha1", o.sha1, c.sha1)
      check("openssl.sha256", o.sha256, c.sha256)
      check("openssl.notBefore", o.notBeforeISO === null ? null : isoMillis(o.notBeforeISO), c.notBefore)
      check("openssl.notAfter", o.notAfterISO === null ? null : isoMillis(o.notAfterISO), c.notAfter)
      check("openssl.version", o.version === null ? null : Number(o.version), c.version)
      check(
        "openssl.sig_alg",
        o.sig_alg?.replace(/\s+\(INVALID PSS PARAMETERS\)$/, ""),
        opensslSigNames[c.signatureAlgorithm.oid] ?? c.signatureAlgorithm.oid
      )
      // The RFC 4514 strings follow OpenSSL's `-nameopt RFC2253,-esc_msb` spelling (short names, order).
      check("openssl.subject", o.subject_utf8, c.subject.rfc4514)
      check("openssl.issuer", o.issuer_utf8, c.issuer.rfc4514)

      const theirs = peculiarExtensions(c)
      if (theirs !== undefined) {
        const ours = ourExtensions(c)
        for (const [field, value] of Object.entries(theirs)) {
          // JSON drops undefined members, so "absent" and "undefined pathLength" compare equal.
          if (value !== undefined)
            check(`peculiar.${field}`, JSON.stringify(value), JSON.stringify(ours[field]))
        }
      }

      const j = java.get(file)
      if (j?.ok) {
        check("java.serial_hex", j.serial_hex, c.serial.hex)
        check("java.serial_dec", j.serial_dec, c.serial.decimal)
        check("java.sig", j.sig, c.signatureAlgorithm.name)
        check("java.sig_oid", j.sig_oid, c.signatureAlgorithm.oid)
        check("java.version", j.version, c.version)
        check("java.nb", j.nb === undefined ? undefined : isoMillis(j.nb), c.notBefore)
        check("java.na", j.na === undefined ? undefined : isoMillis(j.na), c.notAfter)
        check("java.subj2253", j.subj2253, c.subject.rfc2253)
      }
    }

    const causes = (JSON.parse(readFileSync(knownPath, "utf8")) as { differences: KnownDifference[] })
      .differences
    const known = causes.flatMap((k) => k.files.map((file) => `${file}\t${k.field}`))
    const knownKeys = new Set(known)
    const unexpected = [...found]
      .filter(([k]) => !knownKeys.has(k))
      .map(([k, v]) => `${k.replace("\t", " ")}: ${v}`)
    const vanished = known.filter((k) => !found.has(k)).map((k) => k.replace("\t", " "))
    if (process.env.CERTORY_CORPUS_REPORT) {
      console.log(
        `compared ${compared} files, openssl parses ${opensslOk}, differences ${found.size} (listed ${known.length}, ${causes.length} causes)`
      )
    }
    expect(unexpected, "new differences: fix them or list them in known-differences.json").toEqual([])
    expect(
      vanished,
      "listed differences that no longer occur: remove them from known-differences.json"
    ).toEqual([])
  })
})
