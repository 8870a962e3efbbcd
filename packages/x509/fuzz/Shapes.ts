/**
 * Hostile input shapes, each built around a real seed certificate at a chosen size: the inputs that
 * once took seconds to minutes, gigabytes, or escaped as exceptions (issue 6), and their relatives.
 * Used by the hostile-shapes benchmark (full 4 MiB), the tests (sizes that blew the old code's time
 * budget) and the fuzzer (a fraction of its inputs, at random sizes).
 */
import {
  berTlv,
  certificateParts,
  concat,
  contentOf,
  join,
  oid,
  oidArc,
  replace,
  setExtension,
  tlv
} from "./DerTree.js"

export interface Shape {
  readonly name: string
  /** What it is and what it once did, for the benchmark's table. */
  readonly description: string
  /** The input, about `size` bytes, around the seed certificate (DER). */
  readonly build: (seed: Uint8Array, size: number) => Uint8Array | string
}

const SEQ = 0x30
const SET = 0x31

/** An OID with one arc of `octets` octets (2.999.<huge>). */
export const giantArcOid = (octets: number): Uint8Array => {
  const arc = new Uint8Array(Math.max(1, octets)).fill(0xff)
  arc[arc.length - 1] = 0x7f
  return tlv(0x06, oidArc(2 * 40 + 999), arc)
}

/** An OID of `octets` one-octet arcs (1.2.1.1.1...). */
export const longOid = (octets: number): Uint8Array => {
  const arcs = new Uint8Array(Math.max(1, octets)).fill(1)
  arcs[0] = 0x2a
  return tlv(0x06, arcs)
}

/** A positive INTEGER of `octets` octets. */
export const giantInteger = (octets: number): Uint8Array => {
  const content = new Uint8Array(Math.max(1, octets))
  content[0] = 0x01
  return tlv(0x02, content)
}

/** The seed with `extension` appended to its extensions (which it must have). */
const withExtensions = (seed: Uint8Array, extensions: ReadonlyArray<Uint8Array>): Uint8Array => {
  const p = certificateParts(seed)
  if (p.extensions === undefined) throw new Error("the seed has no extensions")
  return replace(seed, p.root, p.extensions, tlv(SEQ, contentOf(seed, p.extensions), join(extensions)))
}

const extension = (extnId: Uint8Array, value: Uint8Array): Uint8Array => tlv(SEQ, extnId, tlv(0x04, value))

/** `count` distinct extension OIDs 1.3.9999.<i>. */
const distinctExtensions = (count: number): Uint8Array[] =>
  Array.from({ length: count }, (_, i) =>
    extension(tlv(0x06, [0x2b, 0xce, 0x0f, ...oidArc(i)]), new Uint8Array())
  )

/** How many items of `itemSize` bytes fill `size` around a seed of `seedSize`. */
const fill = (size: number, seedSize: number, itemSize: number): number =>
  Math.max(1, Math.floor((size - seedSize - 16) / itemSize))

/** A SignedData ContentInfo with the given certificate entries (and optional crls / signerInfos content). */
export const bundle = (
  entries: ReadonlyArray<Uint8Array>,
  options: { readonly crls?: Uint8Array; readonly signerInfos?: Uint8Array; readonly ber?: boolean } = {}
): Uint8Array => {
  const wrap = options.ber === true ? berTlv : tlv
  const fields = [
    tlv(0x02, [1]),
    tlv(SET),
    tlv(SEQ, oid("1.2.840.113549.1.7.1")),
    wrap(0xa0, join(entries)),
    ...(options.crls === undefined ? [] : [wrap(0xa1, options.crls)]),
    wrap(SET, options.signerInfos ?? new Uint8Array())
  ]
  return wrap(SEQ, oid("1.2.840.113549.1.7.2"), wrap(0xa0, wrap(SEQ, ...fields)))
}

/** `count` copies of `unit`. */
export const repeat = (unit: ReadonlyArray<number> | Uint8Array, count: number): Uint8Array => {
  const out = new Uint8Array(unit.length * count)
  for (let i = 0; i < count; i++) out.set(unit, i * unit.length)
  return out
}

const pem = (label: string, der: Uint8Array): string => {
  let b64 = ""
  const chunk = 3 * 1024
  for (let i = 0; i < der.length; i += chunk) b64 += btoa(String.fromCharCode(...der.subarray(i, i + chunk)))
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, "$1\n")}\n-----END ${label}-----\n`
}

/**
 * A minimal certificate: the smallest shape the reader accepts (serial 1, empty names, an unknown
 * key algorithm, an empty signature), built for the many-certificates shapes, never a fixture.
 */
export const minimalCertificate = (serial: number): Uint8Array => {
  const alg = tlv(SEQ, tlv(0x06, [0x2a]))
  const time = tlv(0x17, [...new TextEncoder().encode("700101000000Z")])
  const tbs = tlv(
    SEQ,
    tlv(0x02, serial < 0x80 ? [serial] : [0, serial & 0xff]),
    alg,
    tlv(SEQ),
    tlv(SEQ, time, time),
    tlv(SEQ),
    tlv(SEQ, alg, tlv(0x03, [0]))
  )
  return tlv(SEQ, tbs, alg, tlv(0x03, [0]))
}

export const shapes: ReadonlyArray<Shape> = [
  {
    name: "oid-arc-signature",
    description: "Certificate.signatureAlgorithm with one giant OID arc (was a BigInt shift per byte)",
    build: (seed, size) => {
      const p = certificateParts(seed)
      return replace(seed, p.root, p.signatureAlgorithm, tlv(SEQ, giantArcOid(size - seed.length)))
    }
  },
  {
    name: "oid-arc-extension",
    description: "an extension whose extnID has one giant arc",
    build: (seed, size) =>
      withExtensions(seed, [extension(giantArcOid(size - seed.length), new Uint8Array())])
  },
  {
    name: "oid-arc-rdn",
    description: "a subject attribute type with one giant arc",
    build: (seed, size) => {
      const p = certificateParts(seed)
      const ava = tlv(SEQ, giantArcOid(size - seed.length), tlv(0x0c, [0x41]))
      return replace(seed, p.root, p.subject, tlv(SEQ, tlv(SET, ava)))
    }
  },
  {
    name: "oid-many-arcs",
    description: "an extension OID of millions of one-octet arcs",
    build: (seed, size) => withExtensions(seed, [extension(longOid(size - seed.length), new Uint8Array())])
  },
  {
    name: "extensions-distinct",
    description: "hundreds of thousands of distinct extensions (was a quadratic duplicate check)",
    build: (seed, size) => withExtensions(seed, distinctExtensions(fill(size, seed.length, 13)))
  },
  {
    name: "extensions-duplicate",
    description: "the same extension repeated (one warning each, before the cap)",
    build: (seed, size) =>
      withExtensions(
        seed,
        Array.from({ length: fill(size, seed.length, 9) }, () => extension(oid("2.5.29.9"), new Uint8Array()))
      )
  },
  {
    name: "version-integer",
    description: "a 4 MB INTEGER as the version (its decimal form once went into a 10 MB message)",
    build: (seed, size) => {
      const p = certificateParts(seed)
      if (p.version === undefined) throw new Error("the seed has no explicit version")
      return replace(seed, p.root, p.version, tlv(0xa0, giantInteger(size - seed.length)))
    }
  },
  {
    name: "pathlen-integer",
    description: "a 4 MB INTEGER as basicConstraints.pathLenConstraint",
    build: (seed, size) =>
      setExtension(seed, oid("2.5.29.19"), tlv(SEQ, tlv(0x01, [0xff]), giantInteger(size - seed.length)))
  },
  {
    name: "template-version-integer",
    description: "a 4 MB INTEGER as the AD CS template major version (200 bytes once became Infinity)",
    build: (seed, size) =>
      setExtension(
        seed,
        oid("1.3.6.1.4.1.311.21.7"),
        tlv(SEQ, oid("1.2.3.4"), giantInteger(size - seed.length), tlv(0x02, [1]))
      )
  },
  {
    name: "serial-integer",
    description: "a 4 MB serial number",
    build: (seed, size) => {
      const p = certificateParts(seed)
      return replace(seed, p.root, p.serial, giantInteger(size - seed.length))
    }
  },
  {
    name: "time-giant",
    description: "a 4 MB GeneralizedTime (digits) as notBefore",
    build: (seed, size) => {
      const p = certificateParts(seed)
      const digits = repeat([0x30 + 1], size - seed.length)
      return replace(seed, p.root, p.validity.children![0]!, tlv(0x18, digits))
    }
  },
  {
    name: "rdn-many",
    description: "a subject of hundreds of thousands of RDNs",
    build: (seed, size) => {
      const p = certificateParts(seed)
      const rdn = tlv(SET, tlv(SEQ, oid("2.5.4.3"), tlv(0x0c, [0x41])))
      return replace(seed, p.root, p.subject, tlv(SEQ, repeat(rdn, fill(size, seed.length, rdn.length))))
    }
  },
  {
    name: "rdn-empty-many",
    description: "a subject of millions of empty RDNs (a warning each, before the cap)",
    build: (seed, size) => {
      const p = certificateParts(seed)
      return replace(seed, p.root, p.subject, tlv(SEQ, repeat([SET, 0], fill(size, seed.length, 2))))
    }
  },
  {
    name: "attribute-value-giant",
    description: "one 4 MB common name (UTF8String of escapable characters)",
    build: (seed, size) => {
      const p = certificateParts(seed)
      const value = repeat([0x2c, 0x20], Math.floor((size - seed.length) / 2))
      return replace(seed, p.root, p.subject, tlv(SEQ, tlv(SET, tlv(SEQ, oid("2.5.4.3"), tlv(0x0c, value)))))
    }
  },
  {
    name: "san-many",
    description: "a subjectAltName of millions of empty dNSNames",
    build: (seed, size) =>
      setExtension(seed, oid("2.5.29.17"), tlv(SEQ, repeat([0x82, 0], fill(size, seed.length, 2))))
  },
  {
    name: "san-many-directory-names",
    description: "a subjectAltName of directoryNames, each a Name with one attribute",
    build: (seed, size) => {
      const name = tlv(0xa4, tlv(SEQ, tlv(SET, tlv(SEQ, oid("2.5.4.3"), tlv(0x0c, [0x41])))))
      return setExtension(
        seed,
        oid("2.5.29.17"),
        tlv(SEQ, repeat(name, fill(size, seed.length, name.length)))
      )
    }
  },
  {
    name: "eku-many",
    description: "an extKeyUsage of hundreds of thousands of purposes",
    build: (seed, size) => {
      const purpose = oid("1.3.6.1.5.5.7.3.1")
      return setExtension(
        seed,
        oid("2.5.29.37"),
        tlv(SEQ, repeat(purpose, fill(size, seed.length, purpose.length)))
      )
    }
  },
  {
    name: "crldp-many-points",
    description: "a cRLDistributionPoints of millions of empty DistributionPoints",
    build: (seed, size) =>
      setExtension(seed, oid("2.5.29.31"), tlv(SEQ, repeat([SEQ, 0], fill(size, seed.length, 2))))
  },
  {
    name: "crldp-many-names",
    description:
      "a cRLDistributionPoints of hundreds of thousands of points, each a fullName of one empty URI",
    build: (seed, size) => {
      const point = tlv(SEQ, tlv(0xa0, tlv(0xa0, [0x86, 0])))
      return setExtension(
        seed,
        oid("2.5.29.31"),
        tlv(SEQ, repeat(point, fill(size, seed.length, point.length)))
      )
    }
  },
  {
    name: "aia-many",
    description: "an authorityInfoAccess of hundreds of thousands of OCSP access descriptions",
    build: (seed, size) => {
      const description = tlv(SEQ, oid("1.3.6.1.5.5.7.48.1"), [0x86, 0])
      return setExtension(
        seed,
        oid("1.3.6.1.5.5.7.1.1"),
        tlv(SEQ, repeat(description, fill(size, seed.length, description.length)))
      )
    }
  },
  {
    name: "der-nested-indefinite",
    description: "BER 30 80 nested a million times where a certificate is expected",
    build: (_, size) => repeat([0x30, 0x80], Math.floor(size / 2))
  },
  {
    name: "pkcs7-nulls",
    description: "a PKCS#7 whose certificates SET is 4 MB of NULLs (was 63 s and 1.8 GB in asn1js)",
    build: (_, size) => bundle([repeat([0x05, 0x00], Math.floor((size - 64) / 2))])
  },
  {
    name: "pkcs7-nulls-elsewhere",
    description: "a PKCS#7 with one real certificate and 4 MB of NULLs in crls and signerInfos",
    build: (seed, size) => {
      const nulls = repeat([0x05, 0x00], Math.floor((size - seed.length - 64) / 4))
      return bundle([seed], { crls: nulls, signerInfos: nulls })
    }
  },
  {
    name: "pkcs7-tiny-skipped",
    description: "two million empty [0] entries, then a real certificate (was pkijs objects per entry)",
    build: (seed, size) => bundle([repeat([0xa0, 0x00], Math.floor((size - seed.length - 64) / 2)), seed])
  },
  {
    name: "pkcs7-tiny-certificates",
    description: "two million empty SEQUENCE entries",
    build: (_, size) => bundle([repeat([0x30, 0x00], Math.floor((size - 64) / 2))])
  },
  {
    name: "pkcs7-nested-indefinite",
    description: "a ContentInfo, then [0] 80 nested a million times (asn1js once overflowed the stack)",
    build: (_, size) =>
      concat([0x30, 0x80], oid("1.2.840.113549.1.7.2"), repeat([0xa0, 0x80], Math.floor((size - 16) / 2)))
  },
  {
    name: "pkcs7-ber-deep-valid",
    description: "a BER bundle whose signerInfos nest indefinite SEQUENCEs 60 deep, 60,000 times over",
    build: (seed, size) => {
      let nest: Uint8Array = tlv(0x05)
      for (let i = 0; i < 55; i++) nest = berTlv(SEQ, nest)
      return bundle([seed], { ber: true, signerInfos: repeat(nest, fill(size, seed.length, nest.length)) })
    }
  },
  {
    name: "pkcs7-many-real",
    description:
      "a bundle of as many copies of the real certificate as fit (valid: the legitimate worst case)",
    build: (seed, size) => bundle(Array.from({ length: fill(size, 0, seed.length + 1) }, () => seed))
  },
  {
    name: "pem-many-real",
    description: "PEM blocks of the real certificate, as many as fit (valid)",
    build: (seed, size) => {
      const block = pem("CERTIFICATE", seed)
      return block.repeat(Math.floor(size / block.length))
    }
  },
  {
    name: "der-many-minimal",
    description: "concatenated minimal DER certificates, as many as fit (stops at the certificate cap)",
    build: (_, size) => {
      const one = minimalCertificate(1)
      return repeat(one, Math.floor(size / one.length))
    }
  },
  {
    name: "pem-many-skipped",
    description:
      "hundreds of thousands of empty non-certificate PEM blocks (once a message of all their labels)",
    build: (_, size) => {
      const block = "-----BEGIN X-----\n-----END X-----\n"
      return block.repeat(Math.floor(size / block.length))
    }
  },
  {
    name: "pem-begin-noise",
    description: "'-----BEGIN ' repeated, never a valid label",
    build: (_, size) => "-----BEGIN -".repeat(Math.floor(size / 12))
  },
  {
    name: "base64-garbage",
    description: "4 MB of base64 that decodes to a SEQUENCE of garbage",
    build: (_, size) => `MII${"A".repeat(size - 4)}`
  },
  {
    name: "emoji-text",
    description: "a string of astral characters (4 UTF-8 bytes each) right at the size cap",
    build: (_, size) => "\u{1F600}".repeat(Math.floor(size / 4))
  }
]
