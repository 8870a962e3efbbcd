/**
 * parseCertificates: every input form, the facts of real AD CS / public certificates (expected values
 * come from the OpenSSL and Java oracles of the shared corpus), and the typed errors for bad input.
 */
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { parseCertificates } from "../src/index.js"
import { BING_INTERMEDIATE_SHA1, BING_PEER_SHA1, failure, fixture, parsed, text } from "./support.js"

/** The base64 body of the first PEM block of a real file. */
const pemBody = (pem: string): string =>
  pem
    .slice(pem.indexOf("-----\n", pem.indexOf("-----BEGIN")) + 6, pem.indexOf("-----END"))
    .replace(/\s+/g, "")

describe("input forms", () => {
  it("reads a single PEM certificate with text around it", async () => {
    const [c] = parsed(await parseCertificates(text("bing.com.peer.3.pem")))
    expect(c?.sha1).toBe(BING_PEER_SHA1)
  })

  it("reads DER bytes", async () => {
    const certs = parsed(await parseCertificates(fixture("sssd_test_certmap_TEST_CERT_WITH_SID_EXT.der")))
    expect(certs.map((c) => c.sha1)).toEqual(["2CF2D66FC305BD941D784DB6F45BACA574057D53"])
  })

  it("reads base64 DER without armour, as a string and as bytes, wrapped or not", async () => {
    const body = pemBody(text("bing.com.peer.3.pem"))
    const wrapped = body.replace(/(.{64})/g, "$1\r\n")
    for (const input of [body, wrapped, new TextEncoder().encode(`\uFEFF  ${wrapped}\n`)]) {
      expect(parsed(await parseCertificates(input)).map((c) => c.sha1)).toEqual([BING_PEER_SHA1])
    }
  })

  it("reads every block of a multi-block PEM with CRLF line ends and text between, in order", async () => {
    const peer = text("bing.com.peer.3.pem")
    const intermediate = text("bing.com.intermediate.1.pem")
    const bundle =
      `Subject: www.bing.com\r\n${peer}\r\nnext one:\r\n\r\n${intermediate}\ntrailing words`.replace(
        /\r?\n/g,
        "\r\n"
      )
    const certs = parsed(await parseCertificates(bundle))
    expect(certs.map((c) => c.sha1)).toEqual([BING_PEER_SHA1, BING_INTERMEDIATE_SHA1])
  })

  it("reads the old 'X509 CERTIFICATE' label", async () => {
    const certs = parsed(await parseCertificates(fixture("cryptography.io.old_header.pem")))
    expect(certs).toHaveLength(1)
    expect(certs[0]?.subject.rfc4514).toContain("CN=www.cryptography.io")
  })

  it("reads OpenSSL's TRUSTED CERTIFICATE and ignores the trust settings after the certificate", async () => {
    const certs = parsed(await parseCertificates(fixture("bing.com.peer.3.trusted.pem")))
    expect(certs.map((c) => c.sha1)).toEqual([BING_PEER_SHA1])
    expect(certs[0]?.warnings.some((w) => w.includes("bytes after"))).toBe(false)
  })

  it("reads a PKCS#7 certs-only bundle as PEM and as DER", async () => {
    for (const name of ["bing.com.chain.p7b.pem", "bing.com.chain.p7b"]) {
      const certs = parsed(await parseCertificates(fixture(name)))
      expect(certs.map((c) => c.sha1)).toEqual([BING_PEER_SHA1, BING_INTERMEDIATE_SHA1])
    }
  })

  it("skips PEM blocks that are not certificates (private keys) without error", async () => {
    const certs = parsed(await parseCertificates(fixture("cryptography.io.with_garbage.pem")))
    expect(certs.map((c) => c.sha1)).toEqual(["973CEBA25EF865F9D802B0E727555B9C4FC65188"])
  })

  it("names the certificate of concatenated DER that is broken, and where each one came from", async () => {
    const a = fixture("sssd_test_certmap_TEST_CERT_WITH_SID_EXT.der")
    const b = fixture("sssd_test_certmap_test_cert2_der.der")
    // The second with its TBSCertificate tagged SET: still a whole TLV after the first.
    const broken = new Uint8Array(a.length + b.length)
    broken.set(a)
    broken.set(b, a.length)
    broken[a.length + 4] = 0x31
    expect(failure(await parseCertificates(broken))).toEqual({
      code: "NotACertificate",
      message: "certificate 2: not a certificate: Certificate.tbsCertificate: expected SEQUENCE, found SET"
    })
    const both = new Uint8Array(a.length + b.length)
    both.set(a)
    both.set(b, a.length)
    const outcome = await parseCertificates(both)
    expect(outcome._tag === "Parsed" && outcome.origins).toEqual([
      { block: undefined, where: "certificate 1" },
      { block: undefined, where: "certificate 2" }
    ])
  })

  it("reads concatenated DER certificates", async () => {
    const a = fixture("sssd_test_certmap_TEST_CERT_WITH_SID_EXT.der")
    const b = fixture("sssd_test_certmap_test_cert2_der.der")
    const both = new Uint8Array(a.length + b.length)
    both.set(a)
    both.set(b, a.length)
    expect(parsed(await parseCertificates(both)).map((c) => c.serial.decimal)).toEqual([
      "2542284952643746380935607059347236636835446786",
      "458706592575796350550694"
    ])
  })

  it("uses a crypto passed in options instead of the global one", async () => {
    let calls = 0
    const crypto = {
      subtle: {
        digest: (alg: AlgorithmIdentifier, data: BufferSource) => {
          calls++
          return globalThis.crypto.subtle.digest(alg, data)
        }
      }
    } as unknown as Crypto
    parsed(await parseCertificates(fixture("ms-certificate-template.pem"), { crypto }))
    expect(calls).toBe(3)
  })
})

describe("facts", () => {
  it("gives the serial three ways, the digests, dates and names of an AD CS-issued certificate", async () => {
    const [c] = parsed(await parseCertificates(text("bing.com.peer.3.pem")))
    expect(c?.serial).toEqual({
      windows: "430003A5985B1D66D63B2B202700000003A598",
      hex: "430003A5985B1D66D63B2B202700000003A598",
      decimal: "1494151169262348969023802101054464982343984536"
    })
    expect(c?.sha256).toBe("576E9B9518BDA1E243D9937D96CAB7F0371412CFBA36E976D30B6A7CEEC16B0F")
    expect(new Date(c!.notBefore).toISOString()).toBe("2026-02-02T19:13:44.000Z")
    expect(new Date(c!.notAfter).toISOString()).toBe("2026-08-01T19:13:44.000Z")
    expect(c?.subject.rfc2253).toBe("CN=www.bing.com,O=Microsoft Corporation,L=Redmond,ST=WA,C=US")
    expect(c?.signatureAlgorithm).toEqual({ oid: "1.2.840.113549.1.1.12", name: "SHA384withRSA" })
    expect(c?.version).toBe(3)
    expect(c?.subject.rdns.at(-1)).toEqual([
      { oid: "2.5.4.3", shortName: "CN", value: "www.bing.com", stringType: "PrintableString" }
    ])
  })

  it("keeps the sign byte in the Windows serial and a '-' in hex and decimal for negative serials", async () => {
    const [c] = parsed(await parseCertificates(fixture("negative_serial.pem")))
    expect(c?.serial).toEqual({ windows: "FBCE996C13", hex: "-4316693ED", decimal: "-18008675309" })
    expect(c?.warnings).toContain("TBSCertificate.serialNumber: negative")
  })

  it("keeps the 00 sign byte of a positive serial with the high bit set in the Windows form only", async () => {
    const pem = text("cacert.pem.012_Verisign_Class_3_Public_Primary_Certification_Authority_-_G3.pem")
    const [c] = parsed(await parseCertificates(pem))
    // Expected hex and decimal are the OpenSSL oracle's.
    expect(c?.serial).toEqual({
      windows: "009B7E0649A33E62B9D5EE90487129EF57",
      hex: "9B7E0649A33E62B9D5EE90487129EF57",
      decimal: "206684696279472310254277870180966723415"
    })
  })

  it("reads the public key, SPKI digest and canonical PEM", async () => {
    const [c] = parsed(await parseCertificates(text("bing.com.peer.3.pem")))
    expect(c?.publicKey.algorithm).toBe("RSA")
    expect(c?.publicKey.size).toBeGreaterThanOrEqual(2048)
    expect(c?.publicKey.pem.startsWith("-----BEGIN PUBLIC KEY-----\n")).toBe(true)
    expect(c?.spkiSha256).toMatch(/^[0-9A-F]{64}$/)
    expect(c?.pem).toMatch(
      /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/
    )
    // The canonical PEM re-reads to the same certificate.
    expect(parsed(await parseCertificates(c!.pem))[0]?.sha1).toBe(BING_PEER_SHA1)
    const [ec] = parsed(await parseCertificates(fixture("ms-certificate-template.pem")))
    expect(ec?.publicKey).toMatchObject({ algorithm: "EC", curve: "P-256", size: 256 })
  })

  it("copies the DER so a fact never pins the input buffer", async () => {
    const input = fixture("sssd_test_certmap_TEST_CERT_WITH_SID_EXT.der")
    const padded = new Uint8Array(input.length + 1_000_000)
    padded.set(input)
    const [c] = parsed(await parseCertificates(padded.subarray(0, input.length)))
    expect(c?.der.buffer.byteLength).toBe(input.length)
    expect(c?.der.buffer).not.toBe(padded.buffer)
  })

  it("reads SAN, key usage, EKU, basic constraints, SKI, AKI and lists every extension", async () => {
    const [c] = parsed(await parseCertificates(text("bing.com.peer.3.pem")))
    const e = c!.extensions
    expect(e.subjectAltNames).toContainEqual({ type: "dns", value: "www.bing.com" })
    expect(e.keyUsage).toEqual(expect.arrayContaining(["digitalSignature"]))
    expect(e.extendedKeyUsage).toContain("1.3.6.1.5.5.7.3.1")
    expect(e.basicConstraints).toEqual({ ca: false, pathLength: undefined })
    expect(e.subjectKeyIdentifier).toMatch(/^[0-9A-F]{40}$/)
    expect(e.authorityKeyIdentifier).toMatch(/^[0-9A-F]{40}$/)
    expect(e.all.map((x) => x.oid)).toContain("1.3.6.1.4.1.311.21.7")
    expect(e.all.find((x) => x.oid === "2.5.29.15")?.critical).toBe(true)
  })
})

describe("Microsoft certificate template extensions", () => {
  it("reads 1.3.6.1.4.1.311.21.7 (template OID, major, minor) from a real AD CS certificate", async () => {
    const [c] = parsed(await parseCertificates(text("bing.com.peer.3.pem")))
    expect(c?.extensions.microsoftTemplate).toEqual({
      oid: "1.3.6.1.4.1.311.21.8.15690651.3798470.4214446.239628.16526621.93.8020455.5050828",
      majorVersion: 100,
      minorVersion: 32,
      name: undefined
    })
  })

  it("reads 21.7 from an AD CS user certificate (DER) with major 100, minor 2", async () => {
    const [c] = parsed(await parseCertificates(fixture("sssd_test_certmap_test_cert2_der.der")))
    expect(c?.extensions.microsoftTemplate).toEqual({
      oid: "1.3.6.1.4.1.311.21.8.14766243.9574694.6770337.5575451.13163831.144.10644098.1410980",
      majorVersion: 100,
      minorVersion: 2,
      name: undefined
    })
  })

  it("reads 21.7 without a minor version (pyca vector)", async () => {
    const [c] = parsed(await parseCertificates(fixture("ms-certificate-template.pem")))
    expect(c?.extensions.microsoftTemplate).toEqual({
      oid: "1.2.3.4.5.6.7.8.9.0",
      majorVersion: 1,
      minorVersion: undefined,
      name: undefined
    })
  })

  it("reads the 1.3.6.1.4.1.311.20.2 template name written as a bare BMPString", async () => {
    const [dc] = parsed(await parseCertificates(fixture("sssd_test_certmap_TEST_CERT_WITH_SID_EXT.der")))
    expect(dc?.extensions.microsoftTemplate?.name).toBe("DomainController")
    const [msf] = parsed(await parseCertificates(fixture("metasploit_channel_binding_spec_peer_cert.pem")))
    expect(msf?.extensions.microsoftTemplate?.name).toBe("DomainController")
    const [subCa] = parsed(await parseCertificates(text("bing.com.intermediate.1.pem")))
    expect(subCa?.extensions.microsoftTemplate).toEqual({
      oid: undefined,
      majorVersion: undefined,
      minorVersion: undefined,
      name: "SubCA"
    })
  })
})

describe("lenient encodings are accepted with a warning", () => {
  it("UTCTime with an offset, and an explicit v1 version", async () => {
    const [c] = parsed(await parseCertificates(fixture("v1_explicit_version.pem")))
    expect(new Date(c!.notBefore).toISOString()).toBe("1999-06-29T14:00:00.000Z")
    expect(c?.version).toBe(1)
    expect(c?.warnings).toEqual(
      expect.arrayContaining([
        "TBSCertificate.version: v1 encoded explicitly (DER omits the default)",
        "TBSCertificate.validity.notBefore: UTCTime with offset +1000"
      ])
    )
  })

  it("UTCTime without seconds", async () => {
    const [c] = parsed(await parseCertificates(fixture("bad_validity.pem")))
    expect(new Date(c!.notAfter).toISOString()).toBe("2024-08-08T01:00:00.000Z")
    expect(c?.warnings).toContain("TBSCertificate.validity.notAfter: UTCTime without seconds")
  })
})

describe("bad input gives a typed error, never an exception", () => {
  it("empty input", async () => {
    expect(failure(await parseCertificates("")).code).toBe("NoCertificateFound")
    expect(failure(await parseCertificates(new Uint8Array())).code).toBe("NoCertificateFound")
    expect(failure(await parseCertificates(" \r\n\t ")).code).toBe("NoCertificateFound")
  })

  it("garbage text and garbage bytes", async () => {
    expect(failure(await parseCertificates("hello, this is not a certificate!")).code).toBe(
      "NoCertificateFound"
    )
    const bytes = new Uint8Array(256).map((_, i) => (i * 37 + 11) & 0xff)
    expect(["NoCertificateFound", "NotACertificate"]).toContain(failure(await parseCertificates(bytes)).code)
  })

  it("a PEM file holding only non-certificate blocks names what it found", async () => {
    const pem = text("cryptography.io.with_garbage.pem")
    const keyOnly = pem.slice(0, pem.indexOf("-----END PRIVATE KEY-----") + 25)
    const error = failure(await parseCertificates(keyOnly))
    expect(error.code).toBe("NoCertificateFound")
    expect(error.message).toContain('"PRIVATE KEY"')
  })

  it("plain text made only of base64 letters is named as neither PEM nor DER, not as broken base64", async () => {
    const error = failure(await parseCertificates("not a certificate\n"))
    expect(error.code).toBe("NotACertificate")
    expect(error.message).toBe("neither PEM nor DER, and read as base64 it is not DER either (no SEQUENCE)")
  })

  it("truncated DER says where it broke", async () => {
    const der = fixture("sssd_test_certmap_TEST_CERT_WITH_SID_EXT.der")
    for (const cut of [1, 2, 10, 200, der.length - 1]) {
      const error = failure(await parseCertificates(der.subarray(0, cut)))
      expect(error.code).toBe("NotACertificate")
      expect(error.message).toMatch(/Certificate/)
    }
  })

  it("a corrupted certificate in block 2 is reported with the block number and the field", async () => {
    const peer = text("bing.com.peer.3.pem")
    const body = pemBody(text("bing.com.intermediate.1.pem"))
    // Cut the DER inside the TBSCertificate: the base64 still decodes, the ASN.1 does not.
    const broken = `-----BEGIN CERTIFICATE-----\n${body.slice(0, 400)}\n-----END CERTIFICATE-----\n`
    const error = failure(await parseCertificates(peer + broken))
    expect(error.block).toBe(2)
    expect(error.code).toBe("NotACertificate")
    expect(error.message).toMatch(/^block 2: not a certificate: /)
  })

  it("invalid base64 inside a PEM block, and BEGIN without END", async () => {
    const peer = text("bing.com.peer.3.pem")
    const bad = peer.replace(/(-----BEGIN CERTIFICATE-----\n.{10})./, "$1!")
    const error = failure(await parseCertificates(bad))
    expect(error).toMatchObject({ code: "InvalidPem", block: 1 })
    const unterminated = peer.slice(0, peer.indexOf("-----END"))
    expect(failure(await parseCertificates(unterminated)).code).toBe("InvalidPem")
  })

  it("invalid bare base64", async () => {
    const body = pemBody(text("bing.com.peer.3.pem"))
    expect(failure(await parseCertificates(`${body}A`)).code).toBe("InvalidBase64")
  })

  it("inputs above maxInputBytes are refused before parsing", async () => {
    const pem = text("bing.com.peer.3.pem")
    const error = failure(await parseCertificates(pem, { maxInputBytes: 1000 }))
    expect(error.code).toBe("InputTooLarge")
    const big = new Uint8Array(4 * 1024 * 1024 + 1)
    expect(failure(await parseCertificates(big)).code).toBe("InputTooLarge")
  })

  it("no WebCrypto gives CryptoUnavailable", async () => {
    const error = failure(await parseCertificates(text("bing.com.peer.3.pem"), { crypto: {} as Crypto }))
    expect(error.code).toBe("CryptoUnavailable")
  })

  it("options.digest hashes instead of WebCrypto (even with none), with the same facts", async () => {
    const calls: Array<string> = []
    const digest = (algorithm: "SHA-1" | "SHA-256", data: Uint8Array) => {
      calls.push(algorithm)
      return new Uint8Array(
        createHash(algorithm === "SHA-1" ? "sha1" : "sha256")
          .update(data)
          .digest()
      )
    }
    for (const input of [text("bing.com.chain.p7b.pem"), fixture("bing.com.chain.p7b")]) {
      calls.length = 0
      const viaWebCrypto = parsed(await parseCertificates(input))
      const viaOption = parsed(await parseCertificates(input, { digest, crypto: {} as Crypto }))
      expect(viaOption).toEqual(viaWebCrypto)
      // SHA-1 and SHA-256 of the certificate, SHA-256 of its public key: three per certificate.
      expect(calls).toHaveLength(3 * viaWebCrypto.length)
    }
    const broken = () => {
      throw new Error("no hash today")
    }
    const error = failure(await parseCertificates(text("bing.com.peer.3.pem"), { digest: broken }))
    expect(error).toMatchObject({ code: "CryptoUnavailable" })
    expect(error.message).toContain("no hash today")
  })

  it("a PKCS#7 that is not SignedData is unsupported", async () => {
    const p7 = fixture("bing.com.chain.p7b")
    // Change the content type OID's last arc (1.2.840.113549.1.7.2 -> .1, "data").
    const copy = p7.slice()
    const oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]
    const at = copy.findIndex((_, i) => oid.every((b, j) => copy[i + j] === b))
    copy[at + 8] = 0x01
    const error = failure(await parseCertificates(copy))
    expect(error.code).toBe("UnsupportedPkcs7")
  })

  it("an input just under the 4 MiB limit of real certificates is read in bounded time", {
    timeout: 20_000
  }, async () => {
    const peer = text("bing.com.peer.3.pem")
    const copies = Math.floor((4 * 1024 * 1024) / peer.length)
    const certs = parsed(await parseCertificates(peer.repeat(copies)))
    expect(certs).toHaveLength(copies)
  })

  // Speed is the benchmarks' job (bench/hostile.ts); a hang or quadratic blow-up fails by the timeout.
  it("deeply nested or huge-length DER finishes with an error", { timeout: 20_000 }, async () => {
    const nested = new Uint8Array(200_000)
    for (let i = 0; i < nested.length; i += 2) {
      nested[i] = 0x30
      nested[i + 1] = 0x80
    }
    expect(failure(await parseCertificates(nested)).code).toBe("NotACertificate")
    const hugeLength = Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00])
    expect(failure(await parseCertificates(hugeLength)).code).toBe("NotACertificate")
  })
})
