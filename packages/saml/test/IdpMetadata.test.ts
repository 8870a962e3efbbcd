/**
 * What `parseIdpMetadata` reads from real metadata (test/fixtures, see its README), and the schema-level
 * rules around it, on variants built from those files. Certificate bytes are checked against Node's
 * OpenSSL and against a regex extraction of the raw file, never against the parser itself.
 */
import { describe, expect, it } from "vitest"
import { Bindings, parseIdpMetadata } from "../src/index.js"
import { base64Certificates, describeCertificates, FIXTURES, failed, fixture, parsed } from "./support.js"

const POST = Bindings.HttpPost
const REDIRECT = Bindings.HttpRedirect
const SOAP = "urn:oasis:names:tc:SAML:2.0:bindings:SOAP"

describe("real metadata", () => {
  it("AD FS: the IDPSSODescriptor's keys, not the Signature's, RoleDescriptors' or SPSSODescriptor's", () => {
    const m = parsed(parseIdpMetadata(fixture("adfs.xml")))
    expect(m.entityId).toBe("http://adfs.server.url/adfs/services/trust")
    expect(m.singleSignOnServices).toEqual([
      { binding: REDIRECT, location: "https://adfs.server.url/adfs/ls/" },
      { binding: POST, location: "https://adfs.server.url/adfs/ls/" }
    ])
    expect(m.loginUrl).toBe("https://adfs.server.url/adfs/ls/")
    expect(m.wantAuthnRequestsSigned).toBe(false)
    expect(describeCertificates(m.signingCertificates)).toEqual([
      "CN=ADFS Signing - sts.unilever.com #52901E4C1AFBE8AC4E3990733C8863BA"
    ])
    expect(describeCertificates(m.encryptionCertificates)).toEqual([
      "CN=ADFS Encryption - sts.unilever.com #5D87004378D990BF4993D77B7F1FB106"
    ])
    expect(m.validUntil).toBeUndefined()
    expect(m.cacheDuration).toBeUndefined()
  })

  it("Okta: md: prefix, wrapped certificate, HTTP-Redirect preferred over an earlier HTTP-POST", () => {
    const xml = fixture("okta.xml")
    const m = parsed(parseIdpMetadata(xml))
    expect(m.entityId).toBe("http://www.okta.com/exkppsa1qwuFV4D7z0h7")
    const location =
      "https://dev-513394.oktapreview.com/app/rstudioincdev513394_dev_1/exkppsa1qwuFV4D7z0h7/sso/saml"
    expect(m.singleSignOnServices).toEqual([
      { binding: POST, location },
      { binding: REDIRECT, location }
    ])
    expect(m.loginUrl).toBe(location)
    expect(m.signingCertificates).toEqual(base64Certificates(xml))
    expect(describeCertificates(m.signingCertificates)).toEqual([
      "C=US, ST=California, L=San Francisco, O=Okta, OU=SSOProvider, CN=dev-513394, emailAddress=info@okta.com #0165B4743510"
    ])
    expect(m.encryptionCertificates).toEqual([])
  })

  it("OneLogin: a signing and a different encryption certificate", () => {
    const xml = fixture("onelogin-sign-and-encrypt.xml")
    const m = parsed(parseIdpMetadata(xml))
    expect(m.entityId).toBe("https://app.onelogin.com/saml/metadata/383123")
    expect(m.singleSignOnServices.map((s) => s.binding)).toEqual([REDIRECT, POST, SOAP])
    expect(m.loginUrl).toBe("https://app.onelogin.com/trust/saml2/http-post/sso/383123")
    const [sign, encrypt] = base64Certificates(xml)
    expect(m.signingCertificates).toEqual([sign])
    expect(m.encryptionCertificates).toEqual([encrypt])
    expect(describeCertificates(m.signingCertificates)).toEqual([
      "C=US, ST=California, L=Santa Monica, O=OneLogin, CN=app.onelogin.com #01"
    ])
  })

  it("SAMLtest (Shibboleth): two signing certificates in order, validUntil, comments ignored", () => {
    const xml = fixture("samltest-shibboleth.xml")
    const m = parsed(parseIdpMetadata(xml))
    expect(m.entityId).toBe("https://samltest.id/saml/idp")
    expect(m.singleSignOnServices).toHaveLength(5)
    expect(m.loginUrl).toBe("https://samltest.id/idp/profile/SAML2/Redirect/SSO")
    expect(describeCertificates(m.signingCertificates)).toEqual([
      "CN=samltest.id #651A4386434A979796B49AA4D01BB50604D36AB8",
      "CN=samltest.id #C102435B6382169F9B93B158387D87065FC6D856"
    ])
    const all = base64Certificates(xml)
    expect(m.signingCertificates).toEqual(all.slice(0, 2))
    expect(m.encryptionCertificates).toEqual([all[2]])
    expect(m.validUntil).toBe("2100-01-01T00:00:42Z")
  })

  it("TestShib aggregate: the one IdP entity of an EntitiesDescriptor; a KeyDescriptor without use signs", () => {
    const m = parsed(parseIdpMetadata(fixture("testshib-providers.xml")))
    expect(m.entityId).toBe("https://idp.testshib.org/idp/shibboleth")
    expect(m.loginUrl).toBe("https://idp.testshib.org/idp/profile/SAML2/Redirect/SSO")
    expect(describeCertificates(m.signingCertificates)).toEqual([
      "CN=idp.testshib.org #F5F41BA2EEA179CA4B432E7A2D34EA65520576EF"
    ])
    expect(m.encryptionCertificates).toEqual([])
  })

  it("rollover: three signing KeyDescriptors, the repeated certificate once, in first-seen order", () => {
    const xml = fixture("multi-signing-certs.xml")
    const m = parsed(parseIdpMetadata(xml))
    const all = base64Certificates(xml)
    expect(all).toHaveLength(3)
    expect(all[2]).toEqual(all[0])
    expect(m.signingCertificates).toEqual([all[0], all[1]])
  })

  it("every fixture parses the same way twice, and nothing is shared between calls", () => {
    for (const name of FIXTURES) {
      const a = parseIdpMetadata(fixture(name))
      const b = parseIdpMetadata(fixture(name))
      expect(a).toEqual(b)
      const m = parsed(a)
      expect(m.signingCertificates.length).toBeGreaterThan(0)
      parsed(b).signingCertificates[0]![0] = 0
      expect(m.signingCertificates[0]![0]).toBe(0x30)
    }
  })
})

describe("aggregates and options.entityId", () => {
  const strip = (xml: string) => xml.replace(/^<\?xml[^>]*\?>\s*/, "")
  const aggregate = (attributes: string, ...entities: string[]) =>
    `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"${attributes}>${entities.map(strip).join("\n")}</md:EntitiesDescriptor>`
  const two = aggregate("", fixture("okta.xml"), fixture("onelogin-sign-and-encrypt.xml"))

  it("several IdP entities are AmbiguousIdp naming how many and which", () => {
    const e = failed(parseIdpMetadata(two), "AmbiguousIdp")
    expect(e.message).toContain("2 IdP entities")
    expect(e.message).toContain("http://www.okta.com/exkppsa1qwuFV4D7z0h7")
  })

  it("options.entityId chooses one, and only that one is decoded", () => {
    const broken = two.replace("MIIEHjCCAwagAwIBAgIBATANBgkq", "MIIEHjCC!!!!AwIBAgIBATANBgkq")
    const m = parsed(parseIdpMetadata(broken, { entityId: "http://www.okta.com/exkppsa1qwuFV4D7z0h7" }))
    expect(m.entityId).toBe("http://www.okta.com/exkppsa1qwuFV4D7z0h7")
    failed(
      parseIdpMetadata(broken, { entityId: "https://app.onelogin.com/saml/metadata/383123" }),
      "InvalidBase64"
    )
  })

  it("an unknown entityId is EntityNotFound; an SP's entityId is NoIdpDescriptor", () => {
    failed(parseIdpMetadata(two, { entityId: "https://nowhere.example/" }), "EntityNotFound")
    failed(parseIdpMetadata(fixture("okta.xml"), { entityId: "https://nowhere.example/" }), "EntityNotFound")
    const testshib = fixture("testshib-providers.xml")
    expect(
      parsed(parseIdpMetadata(testshib, { entityId: "https://idp.testshib.org/idp/shibboleth" })).entityId
    ).toBe("https://idp.testshib.org/idp/shibboleth")
    const e = failed(
      parseIdpMetadata(testshib, { entityId: "https://sp.testshib.org/shibboleth-sp" }),
      "NoIdpDescriptor"
    )
    expect(e.message).toContain("sp.testshib.org")
  })

  it("no IdP entity at all, and an empty aggregate, are typed errors", () => {
    const sp = fixture("testshib-providers.xml").replace(
      /<EntityDescriptor entityID="https:\/\/idp[\s\S]*?<\/EntityDescriptor>/,
      ""
    )
    expect(failed(parseIdpMetadata(sp), "NoIdpDescriptor").message).toContain("sp.testshib.org")
    const twoSps = sp.replace(
      /<EntityDescriptor entityID="https:\/\/sp/,
      '<EntityDescriptor entityID="https://a.example/"/>$&'
    )
    expect(failed(parseIdpMetadata(twoSps), "NoIdpDescriptor").message).toContain("2 entities")
    failed(parseIdpMetadata(aggregate("")), "NoEntityDescriptor")
  })

  it("validUntil and cacheDuration are inherited from the nearest EntitiesDescriptor unless the entity has its own", () => {
    const okta = fixture("okta.xml")
    const outer = aggregate(' validUntil="2031-01-01T00:00:00Z" cacheDuration="PT6H"', okta)
    expect(parsed(parseIdpMetadata(outer))).toMatchObject({
      validUntil: "2031-01-01T00:00:00Z",
      cacheDuration: "PT6H"
    })
    const own = aggregate(
      ' validUntil="2031-01-01T00:00:00Z"',
      okta.replace(
        "<md:EntityDescriptor ",
        '<md:EntityDescriptor validUntil="2030-06-01T00:00:00Z" cacheDuration="P1D" '
      )
    )
    expect(parsed(parseIdpMetadata(own))).toMatchObject({
      validUntil: "2030-06-01T00:00:00Z",
      cacheDuration: "P1D"
    })
    const nested = aggregate(' cacheDuration="PT1H"', aggregate(' validUntil="2032-01-01T00:00:00Z"', okta))
    expect(parsed(parseIdpMetadata(nested))).toMatchObject({
      validUntil: "2032-01-01T00:00:00Z",
      cacheDuration: "PT1H"
    })
  })
})

describe("namespaces are matched by URI, never by prefix", () => {
  const okta = fixture("okta.xml")
  /** Renames a prefix in tags and declarations; `to` "" makes it the default namespace. */
  const rename = (xml: string, from: string, to: string) =>
    xml
      .replace(new RegExp(`(</?)${from}:`, "g"), to === "" ? "$1" : `$1${to}:`)
      .replace(new RegExp(`xmlns:${from}=`, "g"), to === "" ? "xmlns=" : `xmlns:${to}=`)
  const expected = parsed(parseIdpMetadata(okta))

  it("saml2:/dsig: prefixes, default namespaces and ns0:-style prefixes all read the same", () => {
    const variants = [
      rename(rename(okta, "md", "saml2"), "ds", "dsig"),
      rename(rename(okta, "md", ""), "ds", ""),
      rename(rename(okta, "md", "ns0"), "ds", "ns1"),
      // The same prefix bound to the other namespace further down.
      rename(okta, "ds", "md")
    ]
    for (const xml of variants) expect(parsed(parseIdpMetadata(xml))).toEqual(expected)
  })

  it("the right local names in another namespace are not SAML metadata", () => {
    const wrongMd = okta.replace(
      "urn:oasis:names:tc:SAML:2.0:metadata",
      "urn:oasis:names:tc:SAML:2.0:assertion"
    )
    expect(failed(parseIdpMetadata(wrongMd), "NoEntityDescriptor").message).toContain("assertion")
    const noNamespace = rename(okta, "md", "").replace(/ xmlns="urn:oasis[^"]*"/, "")
    failed(parseIdpMetadata(noNamespace), "NoEntityDescriptor")
    // A certificate outside the XML-DSig namespace (samlify's idpmeta_rollingcert.xml has this mistake).
    const wrongDs = okta.replace("http://www.w3.org/2000/09/xmldsig#", "http://www.w3.org/2000/09/xmldsig")
    failed(parseIdpMetadata(wrongDs), "NoSigningCertificate")
  })

  it("a prefixed entityID attribute is not the entityID", () => {
    const xml = okta.replace(' entityID="', ' md:entityID="')
    failed(parseIdpMetadata(xml), "InvalidMetadata")
  })
})

describe("what is read from the IDPSSODescriptor", () => {
  const okta = fixture("okta.xml")
  const onelogin = fixture("onelogin-sign-and-encrypt.xml")

  it("loginUrl: HTTP-Redirect, else HTTP-POST, else the first service", () => {
    const postOnly = onelogin.replace(/<SingleSignOnService Binding="[^"]*HTTP-Redirect"[^>]*>/, "")
    expect(parsed(parseIdpMetadata(postOnly)).loginUrl).toBe(
      "https://app.onelogin.com/trust/saml2/http-post/sso/383123"
    )
    const soapOnly = postOnly.replace(/<SingleSignOnService Binding="[^"]*HTTP-POST"[^>]*>/, "")
    expect(parsed(parseIdpMetadata(soapOnly)).loginUrl).toBe(
      "https://app.onelogin.com/trust/saml2/soap/sso/383123"
    )
  })

  it("WantAuthnRequestsSigned is an xs:boolean, false when absent", () => {
    const want = (v: string) =>
      okta.replace('WantAuthnRequestsSigned="false"', `WantAuthnRequestsSigned="${v}"`)
    expect(parsed(parseIdpMetadata(want("true"))).wantAuthnRequestsSigned).toBe(true)
    expect(parsed(parseIdpMetadata(want(" 1 "))).wantAuthnRequestsSigned).toBe(true)
    expect(parsed(parseIdpMetadata(want("0"))).wantAuthnRequestsSigned).toBe(false)
    expect(parsed(parseIdpMetadata(onelogin)).wantAuthnRequestsSigned).toBe(false)
    failed(parseIdpMetadata(want("yes")), "InvalidMetadata")
  })

  it("encryption-only keys are no signing certificate; an unknown use is refused", () => {
    const encryptionOnly = okta.replace('use="signing"', 'use="encryption"')
    const e = failed(parseIdpMetadata(encryptionOnly), "NoSigningCertificate")
    expect(e.message).toContain("1 encryption-only")
    failed(parseIdpMetadata(okta.replace('use="signing"', 'use="verification"')), "InvalidMetadata")
    expect(parsed(parseIdpMetadata(okta.replace(' use="signing"', ""))).signingCertificates).toHaveLength(1)
  })

  it("a KeyDescriptor without an X509Certificate (KeyName only) adds nothing", () => {
    const keyName = okta.replace(/<ds:X509Data>[\s\S]*<\/ds:X509Data>/, "<ds:KeyName>idp</ds:KeyName>")
    failed(parseIdpMetadata(keyName), "NoSigningCertificate")
  })

  it("certificate text may be split by comments, CDATA and character references", () => {
    const [b64] = okta.match(/(?<=<ds:X509Certificate>)[^<]*/)!
    const text = b64!.trim()
    const split = `${text.slice(0, 10)}<!-- x -->${text.slice(10, 20)}<![CDATA[${text.slice(20, 30)}]]>&#13;&#x0A;${text.slice(30)}`
    const m = parsed(parseIdpMetadata(okta.replace(b64!, split)))
    expect(m.signingCertificates).toEqual(base64Certificates(okta))
  })

  it("an element inside ds:X509Certificate is InvalidMetadata, not a shorter certificate", () => {
    const [b64] = okta.match(/(?<=<ds:X509Certificate>)[^<]*/)!
    const xml = okta.replace(
      b64!,
      `${b64!.slice(0, 40)}<ds:X509Certificate>${b64!.slice(40)}</ds:X509Certificate>`
    )
    failed(parseIdpMetadata(xml), "InvalidMetadata")
  })

  it("SingleSignOnService without Location or Binding, or none at all, is InvalidMetadata", () => {
    failed(parseIdpMetadata(okta.replace(/ Location="[^"]*"/, "")), "InvalidMetadata")
    failed(parseIdpMetadata(okta.replace(/ Binding="[^"]*"/, "")), "InvalidMetadata")
    failed(parseIdpMetadata(okta.replace(/<md:SingleSignOnService[^>]*>/g, "")), "InvalidMetadata")
    failed(parseIdpMetadata(okta.replace(/ entityID="[^"]*"/, "")), "InvalidMetadata")
  })

  it("an IDPSSODescriptor without the SAML 2.0 protocol (SAML 1.x only) is not usable", () => {
    const saml1 = okta.replace(
      'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"',
      'protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol"'
    )
    expect(failed(parseIdpMetadata(saml1), "NoIdpDescriptor").message).toContain("1 for other protocols")
    failed(parseIdpMetadata(okta.replace(/IDPSSODescriptor/g, "SPSSODescriptor")), "NoIdpDescriptor")
  })

  it("leading whitespace and a byte order mark before the XML declaration are accepted", () => {
    const m = parsed(parseIdpMetadata(`\n\n  ${onelogin}`))
    expect(m.entityId).toBe("https://app.onelogin.com/saml/metadata/383123")
    expect(parsed(parseIdpMetadata(`\ufeff${onelogin}`)).entityId).toBe(m.entityId)
  })

  it("processing instructions other than the XML declaration are ignored", () => {
    const xml = onelogin.replace(
      "?>",
      '?>\n<?xml-stylesheet type="text/xsl" href="https://evil.example/x.xsl"?>'
    )
    expect(parsed(parseIdpMetadata(xml)).entityId).toBe("https://app.onelogin.com/saml/metadata/383123")
  })
})
