/**
 * CRL distribution points, Authority Information Access and the OpenSSL names of extensions, extended
 * key usages and access methods, on real certificates copied from the shared corpus (see
 * fixtures/README.md). Every expected value is what `openssl x509 -noout -text` (OpenSSL 3.0.19)
 * prints for the same file, quoted in the comments: its headings with " critical", its EKU line, its
 * "Full Name:" entries and its "METHOD - URI:..." lines. OpenSSL prints a directoryName in its own
 * "C = US, O = ..." order; the facts hold RFC 4514 (most specific first), so those are reversed here.
 */
import { describe, expect, it } from "vitest"
import { oid, setExtension, tlv } from "../fuzz/DerTree.js"
import { repeat, shapes } from "../fuzz/Shapes.js"
import {
  accessMethodName,
  type CertificateFacts,
  extendedKeyUsageName,
  extensionName,
  Limits,
  parseCertificates
} from "../src/index.js"
import { derOf, fixture, parsed } from "./support.js"

const read = async (name: string): Promise<CertificateFacts> => {
  const [c] = parsed(await parseCertificates(fixture(name)))
  if (c === undefined) throw new Error(`${name}: no certificate`)
  return c
}

/** The extension headings as `openssl x509 -text` prints them, in order. */
const headings = (c: CertificateFacts): string[] =>
  c.extensions.all.map((e) => `${extensionName(e.oid)}:${e.critical ? " critical" : ""}`)

/** The EKU line as `openssl x509 -text` prints it. */
const ekuLine = (c: CertificateFacts): string | undefined =>
  c.extensions.extendedKeyUsage?.map(extendedKeyUsageName).join(", ")

/** The AIA lines as `openssl x509 -text` prints them for URIs ("OCSP - URI:http://..."). */
const aiaLines = (c: CertificateFacts): string[] | undefined =>
  c.extensions.authorityInfoAccess?.map(
    (a) =>
      `${accessMethodName(a.method)} - ${a.location.type === "uri" ? "URI" : a.location.type}:${a.location.value}`
  )

describe("CRL distribution points and Authority Information Access, as openssl prints them", () => {
  it("an AD CS user certificate: an LDAP CDP, an LDAP CA Issuers, Microsoft EKUs (cli's ms-template-user.der)", async () => {
    const c = await read("sssd_test_certmap_test_cert2_der.der")
    expect(c.extensions.crlDistributionPoints).toEqual([
      {
        type: "uri",
        value:
          "ldap:///CN=ad-AD-SERVER-CA,CN=ad-server,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=ad,DC=devel?certificateRevocationList?base?objectClass=cRLDistributionPoint"
      }
    ])
    expect(aiaLines(c)).toEqual([
      "CA Issuers - URI:ldap:///CN=ad-AD-SERVER-CA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=ad,DC=devel?cACertificate?base?objectClass=certificationAuthority"
    ])
    expect(c.extensions.authorityInfoAccess?.[0]?.method).toBe("1.3.6.1.5.5.7.48.2")
    expect(ekuLine(c)).toBe(
      "TLS Web Client Authentication, E-mail Protection, Microsoft Encrypted File System"
    )
    expect(headings(c)).toEqual([
      "1.3.6.1.4.1.311.21.7:",
      "X509v3 Extended Key Usage:",
      "X509v3 Key Usage: critical",
      "1.3.6.1.4.1.311.21.10:",
      "S/MIME Capabilities:",
      "X509v3 Subject Key Identifier:",
      "X509v3 Authority Key Identifier:",
      "X509v3 CRL Distribution Points:",
      "Authority Information Access:",
      "X509v3 Subject Alternative Name:"
    ])
    expect(c.warnings).toEqual([])
  })

  it("a FreeIPA certificate: the fullName of a point with a cRLIssuer (left out), and OCSP", async () => {
    // Full Name: URI:http://ipa-ca.ipa.devel/ipa/crl/MasterCRL.bin; CRL Issuer: DirName:O = ipaca, CN = ...
    const c = await read("sssd_test_certmap_test_cert_der.der")
    expect(c.extensions.crlDistributionPoints).toEqual([
      { type: "uri", value: "http://ipa-ca.ipa.devel/ipa/crl/MasterCRL.bin" }
    ])
    expect(aiaLines(c)).toEqual(["OCSP - URI:http://ipa-ca.ipa.devel/ca/ocsp"])
    expect(c.extensions.authorityInfoAccess?.[0]?.method).toBe("1.3.6.1.5.5.7.48.1")
    expect(ekuLine(c)).toBe("TLS Web Server Authentication, TLS Web Client Authentication")
    expect(headings(c)).toEqual([
      "X509v3 Authority Key Identifier:",
      "Authority Information Access:",
      "X509v3 Key Usage: critical",
      "X509v3 Extended Key Usage:",
      "X509v3 CRL Distribution Points:",
      "X509v3 Subject Key Identifier:"
    ])
  })

  it("two distribution points, a directoryName and a URI, in order (Entrust.net root)", async () => {
    const c = await read("cacert.pem.014_Entrust.net_Secure_Server_CA.pem")
    // Full Name: DirName:C = US, O = Entrust.net, OU = www.entrust.net/CPS incorp. by ref. (limits liab.),
    //   OU = (c) 1999 Entrust.net Limited, CN = Entrust.net Secure Server Certification Authority, CN = CRL1
    // Full Name: URI:http://www.entrust.net/CRL/net1.crl
    expect(c.extensions.crlDistributionPoints).toEqual([
      {
        type: "directoryName",
        value:
          "CN=CRL1,CN=Entrust.net Secure Server Certification Authority,OU=(c) 1999 Entrust.net Limited,OU=www.entrust.net/CPS incorp. by ref. (limits liab.),O=Entrust.net,C=US"
      },
      { type: "uri", value: "http://www.entrust.net/CRL/net1.crl" }
    ])
    expect(c.extensions.authorityInfoAccess).toBeUndefined()
    expect(headings(c)).toEqual([
      "Netscape Cert Type:",
      "X509v3 CRL Distribution Points:",
      "X509v3 Private Key Usage Period:",
      "X509v3 Key Usage:",
      "X509v3 Authority Key Identifier:",
      "X509v3 Subject Key Identifier:",
      "X509v3 Basic Constraints:",
      "1.2.840.113533.7.65.0:"
    ])
  })

  it("one point with two URIs, and OCSP before CA Issuers (Microsec e-Szigno root)", async () => {
    const c = await read("cacert.pem.078_Microsec_e-Szigno_Root_CA.pem")
    expect(c.extensions.crlDistributionPoints).toEqual([
      { type: "uri", value: "http://www.e-szigno.hu/RootCA.crl" },
      {
        type: "uri",
        value:
          "ldap://ldap.e-szigno.hu/CN=Microsec%20e-Szigno%20Root%20CA,OU=e-Szigno%20CA,O=Microsec%20Ltd.,L=Budapest,C=HU?certificateRevocationList;binary"
      }
    ])
    expect(aiaLines(c)).toEqual([
      "OCSP - URI:https://rca.e-szigno.hu/ocsp",
      "CA Issuers - URI:http://www.e-szigno.hu/RootCA.crt"
    ])
    expect(headings(c)).toEqual([
      "Authority Information Access:",
      "X509v3 Basic Constraints: critical",
      "X509v3 Certificate Policies:",
      "X509v3 CRL Distribution Points:",
      "X509v3 Key Usage: critical",
      "X509v3 Subject Alternative Name:",
      "X509v3 Authority Key Identifier:",
      "X509v3 Subject Key Identifier:"
    ])
  })

  it("a point named relative to its CRL issuer contributes no name (PKITS 4.14.4)", async () => {
    // openssl: "Relative Name: CN = CRL1 of distributionPoint1 CA": not a GeneralName, left out.
    const c = await read("ValiddistributionPointTest4EE.crt")
    expect(c.extensions.all.map((e) => e.oid)).toContain("2.5.29.31")
    expect(c.extensions.crlDistributionPoints).toEqual([])
    expect(c.warnings).toEqual([])
  })

  it("a malformed CRL DP or AIA value (an empty OCTET STRING, critical) is a warning, not a failure (zlint)", async () => {
    // openssl prints "X509v3 CRL Distribution Points: critical" / "Authority Information Access: critical"
    // with an empty body, and the rest of the certificate.
    const dp = await read("subCAcrlDistNoURL.pem")
    expect(dp.extensions.crlDistributionPoints).toBeUndefined()
    expect(dp.warnings).toEqual([
      "extension cRLDistributionPoints (2.5.29.31): missing (end of data) (ignored)"
    ])
    expect(headings(dp).at(-1)).toBe("X509v3 CRL Distribution Points: critical")
    expect(ekuLine(dp)).toBe("TLS Web Server Authentication, TLS Web Client Authentication")

    const aia = await read("subCAWNoURL.pem")
    expect(aia.extensions.authorityInfoAccess).toBeUndefined()
    expect(aia.warnings).toEqual([
      "extension authorityInfoAccess (1.3.6.1.5.5.7.1.1): missing (end of data) (ignored)"
    ])
    expect(headings(aia).at(-1)).toBe("Authority Information Access: critical")
    expect(aia.extensions.subjectAltNames).toEqual([
      { type: "dns", value: "*.gov.us" },
      { type: "dns", value: "gov.us" }
    ])
  })
})

describe("OpenSSL names", () => {
  it("names the EKU of a smart card logon certificate (PKINIT, AD CS / FreeIPA test vector)", async () => {
    const c = await read("sssd_test_certmap_test_cert3_der.der")
    expect(c.extensions.extendedKeyUsage).toEqual(["1.3.6.1.5.2.3.4"])
    expect(ekuLine(c)).toBe("PKINIT Client Auth")
  })

  it("gives the OID itself when OpenSSL has no name, as openssl does", () => {
    // Printed as OIDs by `openssl x509 -text` in the corpus (zlint, BoringSSL, AD CS certificates).
    expect(extendedKeyUsageName("1.3.6.1.5.5.7.3.14")).toBe("1.3.6.1.5.5.7.3.14")
    expect(extendedKeyUsageName("1.2.840.113635.100.4.3")).toBe("1.2.840.113635.100.4.3")
    expect(accessMethodName("2.23.140.1.2.1")).toBe("2.23.140.1.2.1")
    expect(extensionName("1.3.6.1.4.1.311.21.7")).toBe("1.3.6.1.4.1.311.21.7")
    expect(extensionName("1.3.6.1.4.1.311.20.2")).toBe("1.3.6.1.4.1.311.20.2")
    // Not an object's property: a lookup never reaches Object.prototype.
    expect(extensionName("constructor")).toBe("constructor")
  })

  it("names what a user meets as OpenSSL 3.0 does", () => {
    // `echo asn1=OID:X > c; openssl asn1parse -genconf c` prints the same long name as x509 -text.
    expect(extendedKeyUsageName("1.3.6.1.4.1.311.20.2.2")).toBe("Microsoft Smartcard Login")
    expect(extendedKeyUsageName("1.3.6.1.5.5.7.3.3")).toBe("Code Signing")
    expect(extendedKeyUsageName("1.3.6.1.5.5.7.3.8")).toBe("Time Stamping")
    expect(extendedKeyUsageName("1.3.6.1.5.5.7.3.9")).toBe("OCSP Signing")
    expect(extendedKeyUsageName("2.5.29.37.0")).toBe("Any Extended Key Usage")
    expect(extensionName("1.3.6.1.4.1.11129.2.4.2")).toBe("CT Precertificate SCTs")
    expect(extensionName("2.5.29.32")).toBe("X509v3 Certificate Policies")
    expect(accessMethodName("1.3.6.1.5.5.7.48.5")).toBe("CA Repository")
  })
})

describe("bounded: the caps of SAN and EKU hold for CRL DP and AIA (a real certificate, one extension made hostile)", () => {
  const SEED = derOf("bing.com.peer.3.pem")
  const CRL_DP = oid("2.5.29.31")
  const tooMany = new RegExp(`more than ${Limits.maxNamesPerExtension} entries \\(limit\\) \\(ignored\\)$`)
  /** A DistributionPoint whose fullName holds `n` URIs "a". */
  const point = (n: number): Uint8Array => tlv(0x30, tlv(0xa0, tlv(0xa0, repeat([0x86, 1, 0x61], n))))

  it("at 1 MiB, more points, names or access descriptions than the cap: left out with a warning", async () => {
    // The seed has both extensions (openssl: one point of two URIs; CA Issuers twice, then OCSP); the
    // shape replaces one, the other is still read.
    const seed = parsed(await parseCertificates(SEED))[0]!
    expect(seed.extensions.crlDistributionPoints?.map((n) => n.value)).toEqual([
      "http://www.microsoft.com/pkiops/crl/partition/Microsoft%20TLS%20G2%20RSA%20CA%20OCSP%2004_Partition00053.crl",
      "http://crl2.microsoft.com/pkiops/crl/partition/Microsoft%20TLS%20G2%20RSA%20CA%20OCSP%2004_Partition00053.crl"
    ])
    expect(aiaLines(seed)).toEqual([
      "CA Issuers - URI:http://www.microsoft.com/pkiops/certs/Microsoft%20TLS%20G2%20RSA%20CA%20OCSP%2004.crt",
      "CA Issuers - URI:http://caissuers.microsoft.com/pkiops/certs/Microsoft%20TLS%20G2%20RSA%20CA%20OCSP%2004.crt",
      "OCSP - URI:http://oneocsp.microsoft.com/ocsp"
    ])
    for (const [name, fact] of [
      ["crldp-many-points", "crlDistributionPoints"],
      ["crldp-many-names", "crlDistributionPoints"],
      ["aia-many", "authorityInfoAccess"]
    ] as const) {
      const shape = shapes.find((s) => s.name === name)
      if (shape === undefined) throw new Error(`no shape ${name}`)
      const [c] = parsed(await parseCertificates(shape.build(SEED, 1024 * 1024)))
      expect(c?.extensions[fact]).toBeUndefined()
      const other = fact === "crlDistributionPoints" ? "authorityInfoAccess" : "crlDistributionPoints"
      expect(c?.extensions[other]).toEqual(seed.extensions[other])
      expect(c?.warnings.at(-1)).toMatch(tooMany)
    }
  })

  it("the cap counts the names of all points together: exactly the cap is read, one more is not", async () => {
    const half = Limits.maxNamesPerExtension / 2
    const atCap = setExtension(SEED, CRL_DP, tlv(0x30, point(half), point(half)))
    const [c] = parsed(await parseCertificates(atCap))
    expect(c?.extensions.crlDistributionPoints).toHaveLength(Limits.maxNamesPerExtension)
    const over = setExtension(SEED, CRL_DP, tlv(0x30, point(half), point(half + 1)))
    const [d] = parsed(await parseCertificates(over))
    expect(d?.extensions.crlDistributionPoints).toBeUndefined()
    expect(d?.warnings.at(-1)).toBe(
      `extension cRLDistributionPoints (2.5.29.31)[1].fullName: more than ${Limits.maxNamesPerExtension} entries (limit) (ignored)`
    )
  })

  it("a distributionPoint that is neither fullName nor a relative name is a warning naming it", async () => {
    const bad = setExtension(SEED, CRL_DP, tlv(0x30, tlv(0x30, tlv(0xa0, tlv(0xa2)))))
    const [c] = parsed(await parseCertificates(bad))
    expect(c?.extensions.crlDistributionPoints).toBeUndefined()
    expect(c?.warnings.at(-1)).toBe(
      "extension cRLDistributionPoints (2.5.29.31)[0].distributionPoint: expected fullName [0] or nameRelativeToCRLIssuer [1], found [2] (context, constructed) (ignored)"
    )
  })
})
