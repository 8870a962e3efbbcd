/**
 * PKCS#7 / CMS certs-only bundles: only the container is decoded (it may be BER), by the package's own
 * walker; the certificates in it go through the strict DER reader. Every bundle here is the OpenSSL-made fixture
 * (bing.com.chain.p7b, see fixtures/README.md) or an encoding transform of it: no invented certificate.
 */
import { describe, expect, it } from "vitest"
import { readTlv, type Tlv } from "../src/Der.js"
import { type CertificateFacts, parseCertificates } from "../src/index.js"
import { BING_INTERMEDIATE_SHA1, BING_PEER_SHA1, derOf, failure, fixture, parsed, text } from "./support.js"

// --- DER / BER re-encoding helpers (over the fixture's real bytes) ---

const concat = (...parts: ReadonlyArray<Uint8Array | ReadonlyArray<number>>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const derLength = (n: number): number[] => {
  if (n < 0x80) return [n]
  const octets: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v & 0xff)
  return [0x80 | octets.length, ...octets]
}

/** Definite-length (DER) TLV. */
const der = (identifier: number, ...content: Uint8Array[]): Uint8Array =>
  concat([identifier], derLength(content.reduce((n, c) => n + c.length, 0)), ...content)

/** Indefinite-length (BER) TLV: 0x80 length, then the content, then end-of-contents. */
const ber = (identifier: number, ...content: Uint8Array[]): Uint8Array =>
  concat([identifier, 0x80], ...content, [0x00, 0x00])

const whole = (tlv: Tlv): Uint8Array => tlv.bytes.slice(tlv.start, tlv.end)

/** The children of a DER TLV, as TLVs over the same buffer. */
const kids = (tlv: Tlv): Tlv[] => {
  const out: Tlv[] = []
  for (let pos = tlv.contentStart; pos < tlv.end; pos = out.at(-1)!.end) {
    out.push(readTlv(tlv.bytes, pos, tlv.end, "test"))
  }
  return out
}

/** The fixture's layers: ContentInfo { contentType, [0] { SignedData { version, ..., [0] certs, ... } } }. */
const layers = (p7b: Uint8Array) => {
  const contentInfo = readTlv(p7b, 0, p7b.length, "ContentInfo")
  const [contentType, explicit] = kids(contentInfo) as [Tlv, Tlv]
  const [signedData] = kids(explicit) as [Tlv]
  const fields = kids(signedData)
  const certificates = fields.find((f) => f.bytes[f.start] === 0xa0)!
  return { contentType, signedData, fields, certificates, certs: kids(certificates) }
}

/** Rebuilds a ContentInfo around SignedData fields, with one TLV constructor per layer. */
const rebuild = (
  p7b: Uint8Array,
  wrap: (identifier: number, ...content: Uint8Array[]) => Uint8Array,
  certs: (certs: Tlv[]) => Uint8Array[] | undefined = (cs) => cs.map(whole)
): Uint8Array => {
  const l = layers(p7b)
  const fields = l.fields.flatMap((f) => {
    if (f !== l.certificates) return [whole(f)]
    const inner = certs(l.certs)
    return inner === undefined ? [] : [wrap(0xa0, ...inner)]
  })
  return wrap(0x30, whole(l.contentType), wrap(0xa0, wrap(0x30, ...fields)))
}

const DER_BUNDLE = fixture("bing.com.chain.p7b")
/** ContentInfo, [0] explicit, SignedData and the certificates [0] set with indefinite lengths. */
const BER_BUNDLE = rebuild(DER_BUNDLE, ber)

const pemOf = (label: string, bytes: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(bytes)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")}\n-----END ${label}-----\n`

/** The SHA-1 of each certificate, in order. */
const sha1s = (certs: ReadonlyArray<CertificateFacts>) => certs.map((c) => c.sha1)

describe("PKCS#7 bundles: happy paths", () => {
  it("the helpers rebuild the DER fixture byte for byte (so the transforms below only change lengths)", () => {
    expect(rebuild(DER_BUNDLE, der)).toEqual(DER_BUNDLE)
  })

  it("reads the DER bundle and its PEM form, with the facts of the loose certificates", async () => {
    const loose = parsed(
      await parseCertificates(text("bing.com.peer.3.pem") + text("bing.com.intermediate.1.pem"))
    )
    for (const input of [DER_BUNDLE, fixture("bing.com.chain.p7b.pem")]) {
      const certs = parsed(await parseCertificates(input))
      expect(sha1s(certs)).toEqual([BING_PEER_SHA1, BING_INTERMEDIATE_SHA1])
      expect(certs).toEqual(loose)
    }
  })

  it("reads a BER bundle with indefinite lengths and gets identical facts", async () => {
    // It really is BER: the strict DER reader alone refuses the container.
    expect(BER_BUNDLE.subarray(0, 2)).toEqual(Uint8Array.from([0x30, 0x80]))
    expect(() => readTlv(BER_BUNDLE, 0, BER_BUNDLE.length, "ContentInfo")).toThrow(/indefinite length/)
    const fromDer = parsed(await parseCertificates(DER_BUNDLE))
    const fromBer = parsed(await parseCertificates(BER_BUNDLE))
    expect(sha1s(fromBer)).toEqual([BING_PEER_SHA1, BING_INTERMEDIATE_SHA1])
    expect(fromBer).toEqual(fromDer)
    // Also as PEM and as bare base64.
    expect(parsed(await parseCertificates(pemOf("PKCS7", BER_BUNDLE)))).toEqual(fromDer)
    expect(parsed(await parseCertificates(Buffer.from(BER_BUNDLE).toString("base64")))).toEqual(fromDer)
  })

  it("accepts the PEM labels PKCS7, PKCS #7 SIGNED DATA and CMS", async () => {
    for (const label of ["PKCS7", "PKCS #7 SIGNED DATA", "CMS"]) {
      const pem = pemOf(label, DER_BUNDLE)
      expect(pem.startsWith(`-----BEGIN ${label}-----\n`)).toBe(true)
      expect(sha1s(parsed(await parseCertificates(pem)))).toEqual([BING_PEER_SHA1, BING_INTERMEDIATE_SHA1])
    }
  })

  it("reads a bundle of hundreds of certificates (beyond asn1js's default node limit)", async () => {
    const many = rebuild(DER_BUNDLE, der, (cs) => Array.from({ length: 300 }, (_, i) => whole(cs[i % 2]!)))
    const certs = parsed(await parseCertificates(many))
    expect(certs).toHaveLength(300)
    expect(certs[299]?.sha1).toBe(BING_INTERMEDIATE_SHA1)
    // pkijs builds a full Certificate per entry (~3 ms each): allow for a loaded CI machine.
  }, 30_000)

  it("skips an entry that is not an X.509 certificate, with a warning on the bundle's first certificate", async () => {
    // otherCertificateFormat [3] { OID, ANY }: here the real peer certificate under a private-arc OID.
    const otherFormat = (cert: Tlv) => der(0xa3, Uint8Array.from([0x06, 0x03, 0x2a, 0x03, 0x04]), whole(cert))
    const bundle = rebuild(DER_BUNDLE, der, (cs) => [otherFormat(cs[0]!), whole(cs[1]!)])
    const certs = parsed(await parseCertificates(bundle))
    expect(sha1s(certs)).toEqual([BING_INTERMEDIATE_SHA1])
    expect(certs[0]?.warnings).toContain(
      "PKCS#7: 1 non-X.509 entry skipped (entry 1: other certificate format ([3]))"
    )
    const only = rebuild(DER_BUNDLE, der, (cs) => [otherFormat(cs[0]!)])
    const error = failure(await parseCertificates(only))
    expect(error.code).toBe("NoCertificateFound")
    expect(error.message).toContain("no X.509 certificate (skipped entry 1: other certificate format ([3]))")
  })
})

describe("PKCS#7 bundles: only the container is decoded", () => {
  it("a certificate asn1js refuses (failed_signature_algorithm.pem) is read inside a bundle, as it is loose", async () => {
    // A universal tag above 36 in its signature parameters: asn1js refused it, so pkijs refused the bundle.
    const loose = parsed(await parseCertificates(fixture("failed_signature_algorithm.pem")))
    expect(loose).toHaveLength(1)
    const failedSig = readTlv(
      derOf("failed_signature_algorithm.pem"),
      0,
      derOf("failed_signature_algorithm.pem").length,
      "t"
    )
    for (const wrap of [der, ber]) {
      const bundle = rebuild(DER_BUNDLE, wrap, (cs) => [whole(cs[0]!), whole(failedSig), whole(cs[1]!)])
      const certs = parsed(await parseCertificates(bundle))
      expect(sha1s(certs)).toEqual([BING_PEER_SHA1, loose[0]!.sha1, BING_INTERMEDIATE_SHA1])
      expect(certs[1]).toEqual(loose[0])
    }
  })

  it("the fields around the certificates are checked for shape only: their contents are not decoded", async () => {
    // SignedData as OpenSSL wrote it, but with a crls field of NULLs (not CRLs): the certificates are read.
    const l = layers(DER_BUNDLE)
    const crls = der(0xa1, ...Array.from({ length: 1000 }, () => Uint8Array.from([0x05, 0x00])))
    const fields = l.fields.flatMap((f) => (f === l.certificates ? [whole(f), crls] : [whole(f)]))
    const bundle = der(0x30, whole(l.contentType), der(0xa0, der(0x30, ...fields)))
    expect(sha1s(parsed(await parseCertificates(bundle)))).toEqual([BING_PEER_SHA1, BING_INTERMEDIATE_SHA1])
    // A SignedData field of the wrong kind is still UnsupportedPkcs7, naming it.
    const noSignerInfos = der(
      0x30,
      whole(l.contentType),
      der(0xa0, der(0x30, ...l.fields.slice(0, -1).map(whole), der(0x30)))
    )
    expect(failure(await parseCertificates(noSignerInfos))).toEqual({
      code: "UnsupportedPkcs7",
      message: "malformed PKCS#7: SignedData.signerInfos: expected SET, found [16] (universal, constructed)"
    })
  })
})

describe("PKCS#7 bundles: where a certificate is", () => {
  it("errors name the PEM block (counting every BEGIN line) and the entry of the bundle", async () => {
    const garbage = text("cryptography.io.with_garbage.pem")
    const key = garbage.slice(
      garbage.indexOf("-----BEGIN PRIVATE KEY-----"),
      garbage.indexOf("-----END PRIVATE KEY-----") + 25
    )
    // The intermediate with its TBSCertificate tagged SET: a whole TLV, so the container is fine.
    const broken = (cert: Tlv) => {
      const bytes = whole(cert)
      bytes[4] = 0x31
      return bytes
    }
    // Entry 3 is broken; entry 1 is another CertificateChoices, and still counts.
    const bundle = rebuild(DER_BUNDLE, der, (cs) => [
      der(0xa2, Uint8Array.from([0x05, 0x00])),
      whole(cs[0]!),
      broken(cs[1]!)
    ])
    const error = failure(await parseCertificates(`${key}\n${pemOf("PKCS7", bundle)}`))
    expect(error.block).toBe(2)
    expect(error.message).toBe(
      "block 2: PKCS#7 certificate 3: not a certificate: Certificate.tbsCertificate: expected SEQUENCE, found SET"
    )
    expect(failure(await parseCertificates(bundle)).message).toMatch(
      /^PKCS#7 certificate 3: not a certificate: /
    )
  })

  it("a parsed input says where each certificate came from", async () => {
    const bundle = pemOf("PKCS7", DER_BUNDLE)
    const outcome = await parseCertificates(`${text("bing.com.peer.3.pem")}${bundle}`)
    expect(outcome._tag === "Parsed" && outcome.origins).toEqual([
      { block: 1, where: "block 1" },
      { block: 2, where: "block 2: PKCS#7 certificate 1" },
      { block: 2, where: "block 2: PKCS#7 certificate 2" }
    ])
    const binary = await parseCertificates(DER_BUNDLE)
    expect(binary._tag === "Parsed" && binary.origins.map((o) => o.where)).toEqual([
      "PKCS#7 certificate 1",
      "PKCS#7 certificate 2"
    ])
  })
})

describe("PKCS#7 bundles: errors", () => {
  it("a bundle with no certificate is NoCertificateFound, the certificates field absent or empty", async () => {
    for (const empty of [
      rebuild(DER_BUNDLE, der, () => undefined),
      rebuild(DER_BUNDLE, der, () => []),
      rebuild(DER_BUNDLE, ber, () => [])
    ]) {
      const error = failure(await parseCertificates(empty))
      expect(error).toEqual({ code: "NoCertificateFound", message: "PKCS#7 SignedData holds no certificate" })
      const pem = failure(await parseCertificates(pemOf("CMS", empty)))
      expect(pem.code).toBe("NoCertificateFound")
      expect(pem.message).toContain('"CMS" (block 1: PKCS#7 SignedData holds no certificate)')
    }
  })

  it("an empty bundle next to a certificate block is skipped like any non-certificate block", async () => {
    const empty = pemOf(
      "PKCS7",
      rebuild(DER_BUNDLE, der, () => [])
    )
    const certs = parsed(await parseCertificates(empty + text("bing.com.peer.3.pem")))
    expect(sha1s(certs)).toEqual([BING_PEER_SHA1])
  })

  it("a truncated bundle, DER or BER, is UnsupportedPkcs7", async () => {
    for (const bundle of [DER_BUNDLE, BER_BUNDLE]) {
      for (const cut of [5, 20, 100, 1000, bundle.length - 1]) {
        const error = failure(await parseCertificates(bundle.subarray(0, cut)))
        expect(error.code).toBe("UnsupportedPkcs7")
        expect(error.message).toMatch(/^malformed PKCS#7: /)
      }
    }
    // Cut inside the PEM too: the block number is given.
    const pem = pemOf("PKCS7", BER_BUNDLE.subarray(0, 2000))
    expect(failure(await parseCertificates(pem))).toMatchObject({ code: "UnsupportedPkcs7", block: 1 })
    // Before the content-type OID there is no telling a bundle from a certificate: still a typed error.
    expect(failure(await parseCertificates(DER_BUNDLE.subarray(0, 2))).code).toBe("NotACertificate")
  })

  it("bytes after the bundle are refused", async () => {
    const error = failure(await parseCertificates(concat(BER_BUNDLE, [0x05, 0x00])))
    expect(error).toEqual({ code: "UnsupportedPkcs7", message: "2 bytes after the PKCS#7 structure" })
  })

  it("a certificate inside the bundle that is not DER is refused like the same loose certificate", async () => {
    // The peer certificate with its outer SEQUENCE re-encoded with an indefinite length.
    const berCert = (cert: Tlv) => ber(0x30, ...kids(cert).map(whole))
    const bundle = rebuild(DER_BUNDLE, ber, (cs) => [berCert(cs[0]!), whole(cs[1]!)])
    const error = failure(await parseCertificates(bundle))
    expect(error.code).toBe("NotACertificate")
    expect(error.message).toBe(
      "PKCS#7 certificate 1: not a certificate: Certificate: indefinite length (BER, not DER) at offset 0"
    )
    const loose = failure(await parseCertificates(berCert(layers(DER_BUNDLE).certs[0]!)))
    expect(loose.code).toBe("NotACertificate")
    expect(loose.message).toContain("indefinite length (BER, not DER) at offset 0")
  })

  // Speed is the benchmarks' job (bench/hostile.ts); a hang or quadratic blow-up fails by the timeout.
  it("deeply nested BER inside a ContentInfo finishes with a typed error", { timeout: 20_000 }, async () => {
    const head = concat([0x30, 0x80], whole(layers(DER_BUNDLE).contentType))
    const nested = new Uint8Array(head.length + 2_000_000)
    nested.set(head)
    for (let i = head.length; i < nested.length; i += 2) {
      nested[i] = 0xa0
      nested[i + 1] = 0x80
    }
    const error = failure(await parseCertificates(nested))
    expect(error.code).toBe("UnsupportedPkcs7")
    expect(error.message).toMatch(/^malformed PKCS#7: /)
  })
})
