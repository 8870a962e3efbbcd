/**
 * The two DN printers: Java 17's X500Principal.getName() (RFC 2253) reproduced exactly, and the RFC 4514
 * string. Expected strings of real certificates are the Java / OpenSSL oracle values of the corpus.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { escapeRfc4514, javaEscape } from "../src/DistinguishedName.js"
import { type CertificateFacts, parseCertificates } from "../src/index.js"

const first = async (name: string): Promise<CertificateFacts> => {
  const outcome = await parseCertificates(
    new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)))
  )
  if (outcome._tag !== "Parsed") throw new Error(outcome.error.message)
  return outcome.certificates[0]!
}

describe("Java RFC 2253 printer", () => {
  it('escapes ,=+<>#;"\\ anywhere, NUL as \\00, and nothing else', () => {
    expect(javaEscape('a,b=c+d<e>f#g;h"i\\j')).toBe('a\\,b\\=c\\+d\\<e\\>f\\#g\\;h\\"i\\\\j')
    expect(javaEscape("x\u0000y")).toBe("x\\00y")
    expect(javaEscape("tab\there é")).toBe("tab\there é")
  })

  it("escapes leading and trailing spaces and carriage returns only", () => {
    expect(javaEscape("  a b  ")).toBe("\\ \\ a b\\ \\ ")
    expect(javaEscape("\ra\r")).toBe("\\\ra\\\r")
    expect(javaEscape("   ")).toBe("\\ \\ \\ ")
  })

  it("prints only the nine RFC 2253 keywords; other types as OID=#lowercase hex DER (sssd AD user)", async () => {
    const c = await first("sssd_test_certmap_test_cert2_der.der")
    expect(c.subject.rfc2253).toBe(
      "1.2.840.113549.1.9.1=#1616746573742e7573657240656d61696c2e646f6d61696e,CN=t u,CN=Users,DC=ad,DC=devel"
    )
  })

  it("escapes commas inside values (Verisign root)", async () => {
    const c = await first("cacert.pem.012_Verisign_Class_3_Public_Primary_Certification_Authority_-_G3.pem")
    expect(c.subject.rfc2253).toBe(
      "CN=VeriSign Class 3 Public Primary Certification Authority - G3,OU=(c) 1999 VeriSign\\, Inc. - For authorized use only,OU=VeriSign Trust Network,O=VeriSign\\, Inc.,C=US"
    )
  })

  it("reads a PrintableString holding UTF-8 bytes as Latin-1, as Java does", async () => {
    const c = await first("subject_printable_string_containing_utf8_client_cert.pem")
    expect(c.subject.rfc2253).toBe("CN=Foo@\\#_ ClÃ¯Ãªnt CÃ«rt,O=Blar,C=AU")
    expect(c.subject.rfc4514).toBe("CN=Foo@#_ ClÃ¯Ãªnt CÃ«rt,O=Blar,C=AU")
  })

  it("decodes BMPString values", async () => {
    const c = await first("subjectOUWrongEncoding.pem")
    expect(c.subject.rfc2253).toBe("OU=BMPString")
    expect(c.subject.rdns[0]?.[0]?.stringType).toBe("BMPString")
  })
})

describe("RFC 4514 printer", () => {
  it("escapes specials, a leading # or space, a trailing space and control characters", () => {
    expect(escapeRfc4514('a,b+c"d\\e<f>g;h')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h')
    expect(escapeRfc4514("#x")).toBe("\\#x")
    expect(escapeRfc4514("x#")).toBe("x#")
    expect(escapeRfc4514(" a ")).toBe("\\ a\\ ")
    expect(escapeRfc4514("a\nb\u007f")).toBe("a\\0Ab\\7F")
  })

  it("uses OpenSSL's short names and dumps unknown types as #hex (negative_serial.pem)", async () => {
    const c = await first("negative_serial.pem")
    expect(c.subject.rfc4514).toBe(
      "CN=gov.us,OU=Chaos,O=Extreme Discord,postalCode=30062,street=3210 Holly Mill Run,L=Tallahassee,ST=FL,C=US"
    )
    expect(c.subject.rfc2253).toBe(
      "CN=gov.us,OU=Chaos,O=Extreme Discord,2.5.4.17=#13053330303632,STREET=3210 Holly Mill Run,L=Tallahassee,ST=FL,C=US"
    )
  })
})
