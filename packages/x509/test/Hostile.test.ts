/**
 * Untrusted input (issue 6): every reproduction from the report, as a real certificate with one part
 * made hostile (fuzz/Shapes.ts), at sizes where the old code ran for tens of seconds to minutes (a
 * BigInt shift per OID byte, a quadratic duplicate-extension check, asn1js sized to the input) or
 * escaped as an exception. The tests assert the outcome, never the time: vitest's 5 s timeout is what
 * would catch a return of the old behaviour; `pnpm bench:hostile` measures the time and heap.
 */
import { describe, expect, it } from "vitest"
import {
  certificateParts,
  concat,
  derLength,
  join,
  oid,
  replace,
  setExtension,
  tlv
} from "../fuzz/DerTree.js"
import { bundle, giantArcOid, giantInteger, repeat, shapes } from "../fuzz/Shapes.js"
import { Limits, type ParseOutcome, parseCertificates } from "../src/index.js"
import { bytes, derOf, failure, numbersIn, parsed } from "./support.js"

const SEED = derOf("bing.com.peer.3.pem")
const MiB = 1024 * 1024

/** Everything a caller may print stays small and every number is a safe integer. */
const wellBehaved = (outcome: ParseOutcome): void => {
  if (outcome._tag === "Failed") {
    expect(outcome.error.code).not.toBe("InternalError")
    expect(bytes(outcome.error.message)).toBeLessThan(1024)
    expect(outcome.error.message).not.toMatch(/[\r\n]/)
    return
  }
  for (const facts of outcome.certificates) {
    for (const warning of facts.warnings) expect(bytes(warning)).toBeLessThan(1024)
    for (const n of numbersIn({ ...facts, der: undefined })) expect(Number.isSafeInteger(n)).toBe(true)
  }
}

/** The seed with the extension set (replacing one with the same OID, so it is the one read). */
const withExtension = (extnId: Uint8Array, value: Uint8Array): Uint8Array => setExtension(SEED, extnId, value)

describe("giant OBJECT IDENTIFIERs (one 200 KB arc took 221 s)", () => {
  it("in the signature algorithm, an extension and an RDN: LimitExceeded naming the field", async () => {
    const p = certificateParts(SEED)
    const arc = giantArcOid(200_000)
    const cases = [
      [
        replace(SEED, p.root, p.signatureAlgorithm, tlv(0x30, arc)),
        "Certificate.signatureAlgorithm.algorithm"
      ],
      [withExtension(arc, new Uint8Array()), "TBSCertificate.extensions[12].extnID"],
      [
        replace(SEED, p.root, p.subject, tlv(0x30, tlv(0x31, tlv(0x30, arc, tlv(0x0c, [0x41]))))),
        "TBSCertificate.subject.rdn[0][0].type"
      ]
    ] as const
    for (const [input, path] of cases) {
      const error = failure(await parseCertificates(input))
      expect(error).toEqual({
        code: "LimitExceeded",
        // 2 octets for "2.999", then the arc.
        message: `${path}: OBJECT IDENTIFIER of 200002 octets (limit ${Limits.maxOidBytes})`
      })
    }
  })

  it("an arc over 32 octets in a short OID is refused; a 128-bit UUID arc (2.25.x) is read", async () => {
    const long = tlv(0x06, [0x2a, ...new Array(32).fill(0x81), 0x01])
    const error = failure(await parseCertificates(withExtension(long, new Uint8Array())))
    expect(error.code).toBe("LimitExceeded")
    expect(error.message).toContain(`arc of 33 octets (limit ${Limits.maxOidArcBytes})`)
    // 2.25.329800735698586629295641978511506172918 (RFC 4122 section 4.1.2's example UUID as an arc).
    const uuid = 329800735698586629295641978511506172918n
    const groups: number[] = []
    for (let v = uuid; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | (groups.length > 0 ? 0x80 : 0))
    const [c] = parsed(await parseCertificates(withExtension(tlv(0x06, [0x69, ...groups]), new Uint8Array())))
    expect(c?.extensions.all.at(-1)?.oid).toBe(`2.25.${uuid}`)
  })
})

describe("many extensions (40k took 30 s: a quadratic duplicate check)", () => {
  it("40,000 distinct extensions are LimitExceeded", async () => {
    const shape = shapes.find((s) => s.name === "extensions-distinct")!
    const input = shape.build(SEED, 40_000 * 13) as Uint8Array
    const error = failure(await parseCertificates(input))
    expect(error).toEqual({
      code: "LimitExceeded",
      message: `TBSCertificate.extensions: more than ${Limits.maxExtensions} extensions (limit)`
    })
  })

  it("up to the cap, duplicates are found in one pass and the first occurrence is the fact", async () => {
    const p = certificateParts(SEED)
    const keyUsage = p.extension("2.5.29.15")!.ext
    const copies = Limits.maxExtensions - p.extensions!.children!.length
    const input = replace(
      SEED,
      p.root,
      p.extensions!,
      tlv(
        0x30,
        SEED.subarray(p.extensions!.contentStart, p.extensions!.end),
        repeat(SEED.subarray(keyUsage.start, keyUsage.end), copies)
      )
    )
    const [c] = parsed(await parseCertificates(input))
    expect(c?.extensions.all).toHaveLength(Limits.maxExtensions)
    // One warning each, of which the first 99 are kept and the rest counted.
    expect(c?.warnings).toHaveLength(Limits.maxWarnings)
    expect(c?.warnings.slice(0, -1).every((w) => w.endsWith("duplicate extension 2.5.29.15"))).toBe(true)
    expect(c?.warnings.at(-1)).toBe(`${copies - (Limits.maxWarnings - 1)} more warnings not listed`)
    expect(c?.extensions.keyUsage).toEqual(parsed(await parseCertificates(SEED))[0]?.extensions.keyUsage)
  })
})

describe("giant INTEGERs (a 4 MiB version once became a 10 MB message)", () => {
  it("as the version: NotACertificate with a short message", async () => {
    const input = shapes.find((s) => s.name === "version-integer")!.build(SEED, 4 * MiB - 256)
    const error = failure(await parseCertificates(input))
    expect(error.code).toBe("NotACertificate")
    expect(error.message).toMatch(
      /^not a certificate: TBSCertificate\.version: invalid version \(INTEGER of \d+ octets\)$/
    )
  })

  it("as pathLenConstraint: the certificate is read, cA kept, the length dropped with a short warning", async () => {
    const input = shapes.find((s) => s.name === "pathlen-integer")!.build(SEED, 4 * MiB - 256) as Uint8Array
    const outcome = await parseCertificates(input)
    wellBehaved(outcome)
    const [c] = parsed(outcome)
    expect(c?.extensions.basicConstraints).toEqual({ ca: true, pathLength: undefined })
    expect(c?.warnings).toContainEqual(
      expect.stringMatching(/pathLenConstraint: INTEGER of \d+ octets out of range \(path length ignored\)$/)
    )
  })

  it("as an AD CS template version: 200 octets (once Infinity, stored as null) and 4 MiB are dropped with a warning", async () => {
    for (const octets of [200, 4 * MiB - 4096]) {
      const value = tlv(0x30, oid("1.2.3.4"), giantInteger(octets), tlv(0x02, [7]))
      const outcome = await parseCertificates(withExtension(oid("1.3.6.1.4.1.311.21.7"), value))
      wellBehaved(outcome)
      const [c] = parsed(outcome)
      expect(c?.extensions.microsoftTemplate).toEqual({
        oid: "1.2.3.4",
        majorVersion: undefined,
        minorVersion: 7,
        name: undefined
      })
      expect(c?.warnings.join("\n")).toContain("not a 32-bit unsigned template version (ignored)")
    }
  })

  it("template versions are 32-bit unsigned: 4294967295 is kept, 4294967296 and -1 are dropped", async () => {
    const version = (content: number[]) =>
      withExtension(oid("1.3.6.1.4.1.311.21.7"), tlv(0x30, oid("1.2.3.4"), tlv(0x02, content)))
    const read = async (content: number[]) =>
      parsed(await parseCertificates(version(content)))[0]?.extensions.microsoftTemplate?.majorVersion
    expect(await read([0x00, 0xff, 0xff, 0xff, 0xff])).toBe(4294967295)
    expect(await read([0x01, 0x00, 0x00, 0x00, 0x00])).toBeUndefined()
    expect(await read([0xff])).toBeUndefined()
  })
})

describe("key sizes", () => {
  it("an RSA modulus beyond 2^20 bits is read, its size not reported (the domain holds up to 2^20)", async () => {
    const p = certificateParts(SEED)
    const key = p.spki.children![1]!
    const rsa = tlv(0x03, [0], tlv(0x30, giantInteger(200_000), tlv(0x02, [1, 0, 1])))
    const outcome = await parseCertificates(replace(SEED, p.root, key, rsa))
    wellBehaved(outcome)
    const [c] = parsed(outcome)
    expect(c?.publicKey.size).toBeUndefined()
    expect(c?.warnings).toContain(
      `TBSCertificate.subjectPublicKeyInfo (RSA): key of 1599993 bits, more than ${Limits.maxKeyBits} (key size not reported)`
    )
  })
})

describe("PKCS#7 containers (a 4 MB bundle of NULLs took 63 s and 1.8 GB)", () => {
  it("a certificates SET of 4 MB of NULLs is UnsupportedPkcs7, naming the first entry", async () => {
    const error = failure(await parseCertificates(bundle([repeat([0x05, 0x00], 2 * MiB - 64)])))
    expect(error).toEqual({
      code: "UnsupportedPkcs7",
      message:
        "malformed PKCS#7: SignedData.certificates[0]: expected a certificate or another CertificateChoices, found [5] (universal) at offset 49"
    })
  })

  it("4 MB of NULLs in crls and signerInfos are stepped over: the certificate is read", async () => {
    const nulls = repeat([0x05, 0x00], MiB / 2)
    const certs = parsed(await parseCertificates(bundle([SEED], { crls: nulls, signerInfos: nulls })))
    expect(certs.map((c) => c.sha256)).toEqual(parsed(await parseCertificates(SEED)).map((c) => c.sha256))
  })

  it("two million tiny entries before a certificate: read, with a warning that lists five and counts the rest", async () => {
    const input = bundle([repeat([0xa1, 0x00], 2 * MiB - 4096), SEED])
    const outcome = await parseCertificates(input)
    wellBehaved(outcome)
    const [c] = parsed(outcome)
    expect(c?.warnings.at(-1)).toBe(
      "PKCS#7: 2093056 non-X.509 entries skipped (entry 1: version 1 attribute certificate ([1]); entry 2: version 1 attribute certificate ([1]); " +
        "entry 3: version 1 attribute certificate ([1]); entry 4: version 1 attribute certificate ([1]); entry 5: version 1 attribute certificate ([1]); and 2093051 more)"
    )
  })

  it("the 7-byte input that escaped as an asn1js exception is a typed error, as base64 and as bytes", async () => {
    for (const input of ["MAUGABgBQQ==", new Uint8Array(Buffer.from("MAUGABgBQQ==", "base64"))]) {
      expect(failure(await parseCertificates(input))).toEqual({
        code: "UnsupportedPkcs7",
        message: "malformed PKCS#7: ContentInfo.contentType: empty OBJECT IDENTIFIER"
      })
    }
  })

  it("definite-length nesting 100,000 deep (asn1js overflowed the stack) is stepped over without recursion", async () => {
    // Built inside out in one buffer (wrapping 100,000 times would copy gigabytes).
    const headers: number[][] = []
    let length = 2
    for (let i = 0; i < 100_000; i++) {
      const header = [0x30, ...derLength(length)]
      headers.push(header)
      length += header.length
    }
    const deep = join([...headers.reverse(), [0x05, 0x00]])
    const certs = parsed(await parseCertificates(bundle([SEED], { signerInfos: deep })))
    expect(certs).toHaveLength(1)
    // Indefinite-length nesting is walked, so it has a cap.
    let ber: Uint8Array = tlv(0x05)
    for (let i = 0; i < Limits.maxNesting; i++) ber = concat([0x30, 0x80], ber, [0, 0])
    const error = failure(await parseCertificates(bundle([SEED], { signerInfos: ber, ber: true })))
    expect(error.code).toBe("UnsupportedPkcs7")
    expect(error.message).toMatch(
      /^malformed PKCS#7: SignedData\.signerInfos: BER nesting deeper than 64 levels at offset \d+ \(limit\)$/
    )
  })
})

describe("names", () => {
  it("more attributes in a Name than the cap is LimitExceeded", async () => {
    const input = shapes.find((s) => s.name === "rdn-many")!.build(SEED, MiB)
    expect(failure(await parseCertificates(input))).toEqual({
      code: "LimitExceeded",
      message: `TBSCertificate.subject: more than ${Limits.maxNameAttributes} attributes (limit)`
    })
  })

  it("more than 256 KiB of attribute values in one certificate's names is LimitExceeded", async () => {
    const p = certificateParts(SEED)
    const withCn = (octets: number) =>
      replace(
        SEED,
        p.root,
        p.subject,
        tlv(0x30, tlv(0x31, tlv(0x30, oid("2.5.4.3"), tlv(0x0c, repeat([0x2c, 0x20], octets / 2)))))
      )
    // The issuer's values count too: what is left for the subject is a little under the cap.
    const [c] = parsed(await parseCertificates(withCn(200_000)))
    // "CN=", then "\\, " for each ", ", and the trailing space escaped too.
    expect(c?.subject.rfc4514).toHaveLength(300_004)
    expect(failure(await parseCertificates(withCn(Limits.maxNameBytes)))).toEqual({
      code: "LimitExceeded",
      message: `TBSCertificate.subject: names with more than ${Limits.maxNameBytes} octets of attribute values in one certificate (limit)`
    })
  })

  it("a SAN or EKU with more entries than the cap is left out with a warning; the certificate is read", async () => {
    for (const name of ["san-many", "eku-many"]) {
      const outcome = await parseCertificates(shapes.find((s) => s.name === name)!.build(SEED, MiB))
      wellBehaved(outcome)
      const [c] = parsed(outcome)
      expect(c?.warnings.at(-1)).toMatch(
        new RegExp(`more than ${Limits.maxNamesPerExtension} entries \\(limit\\) \\(ignored\\)$`)
      )
    }
  })
})

describe("every hostile shape at 1 MiB: a typed outcome, short messages, safe numbers", () => {
  for (const shape of shapes) {
    it(shape.name, async () => {
      const outcome = await parseCertificates(shape.build(SEED, MiB))
      wellBehaved(outcome)
    })
  }
})

describe("the input size cap counts UTF-8 bytes", () => {
  it("an astral character (emoji) is 4 bytes, not 5", async () => {
    const emoji = "\u{1F600}".repeat(1000)
    expect(bytes(emoji)).toBe(4000)
    expect(failure(await parseCertificates(emoji, { maxInputBytes: 4000 })).code).toBe("NoCertificateFound")
    expect(failure(await parseCertificates(emoji, { maxInputBytes: 3999 })).code).toBe("InputTooLarge")
    // A lone surrogate is written as U+FFFD: 3 bytes.
    expect(failure(await parseCertificates("\uD800".repeat(10), { maxInputBytes: 30 })).code).toBe(
      "NoCertificateFound"
    )
  })
})

describe("the certificate cap is checked before any certificate is read", () => {
  it("one certificate more than the cap fails at once, as PEM, DER and PKCS#7", async () => {
    const pem = parsed(await parseCertificates(SEED))[0]!.pem
    const n = Limits.maxCertificates + 1
    for (const input of [pem.repeat(n), repeat(SEED, n), bundle(new Array<Uint8Array>(n).fill(SEED))]) {
      expect(failure(await parseCertificates(input, { maxInputBytes: 64 * MiB }))).toMatchObject({
        code: "LimitExceeded",
        message: `more than ${Limits.maxCertificates} certificates in one input (limit)`
      })
    }
  })
})
