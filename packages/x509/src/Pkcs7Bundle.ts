/**
 * PKCS#7 / CMS certs-only bundles (.p7b). The container may legitimately be BER (indefinite lengths
 * from streaming encoders), so it is walked by a small BER reader of its own: headers only, definite
 * and indefinite lengths, nesting bounded by `Limits.maxNesting`, no recursion, each byte looked at a
 * bounded number of times. Only the skeleton is decoded (ContentInfo -> [0] EXPLICIT SignedData ->
 * certificates [0] IMPLICIT SET); each entry of that SET leaves this module as its exact byte range,
 * to be read by the strict DER reader like a loose certificate. Nothing inside a certificate, a CRL or
 * a SignerInfo is decoded here.
 */
import { DerError, decodeOid, TagClass, type Tlv } from "./Der.js"
import { Limits } from "./Limits.js"
import { Oid } from "./Oids.js"

export interface Pkcs7Bundle {
  readonly _tag: "Read"
  /**
   * The certificate entries of the certificates SET, in order: `ordinal` is the entry's 1-based place
   * in the SET (other entries count too), `bytes.subarray(start, end)` its exact encoding, not yet
   * checked to be DER. At most `Limits.maxCertificates + 1`: one more than can be read.
   */
  readonly certificates: ReadonlyArray<{
    readonly ordinal: number
    readonly start: number
    readonly end: number
  }>
  /** How many entries are other CertificateChoices (attribute certificates, ...), to be skipped. */
  readonly skipped: number
  /** The first few of them, as "entry 1: version 2 attribute certificate ([2])". */
  readonly skippedListed: ReadonlyArray<string>
  /** Offset just past the ContentInfo (anything after it is the caller's concern). */
  readonly end: number
}

export type Pkcs7Outcome = Pkcs7Bundle | { readonly _tag: "Unsupported"; readonly reason: string }

/** RFC 5652 CertificateChoices other than `certificate`, by context tag. */
const otherChoices: Readonly<Record<number, string>> = {
  0: "PKCS#6 extended certificate ([0])",
  1: "version 1 attribute certificate ([1])",
  2: "version 2 attribute certificate ([2])",
  3: "other certificate format ([3])"
}

/**
 * ContentInfo starts with its content-type OID, a certificate with a SEQUENCE. Only the headers are
 * looked at, in any BER length form (a bundle may use indefinite or non-minimal lengths).
 */
export const looksLikeContentInfo = (bytes: Uint8Array): boolean => {
  if (bytes.length < 3 || bytes[0] !== 0x30) return false
  const first = bytes[1]!
  const at = first <= 0x80 ? 2 : first <= 0x84 ? 2 + (first & 0x7f) : -1
  return at > 0 && bytes[at] === 0x06
}

const tooDeep = (path: string, at: number): DerError =>
  new DerError(path, `BER nesting deeper than ${Limits.maxNesting} levels at offset ${at} (limit)`)

const className = ["universal", "application", "context", "private"] as const

/**
 * BER headers of one input. The last header read is kept in `id`, `tag`, `contentStart` and `length`
 * (-1: indefinite) instead of a new object per element: a bundle may hold millions of tiny entries.
 * One instance per call, so nothing is shared between calls.
 */
class Ber {
  id = 0
  tag = 0
  contentStart = 0
  length = 0
  constructor(readonly bytes: Uint8Array) {}

  get cls(): TagClass {
    return (this.id >> 6) as TagClass
  }

  get constructed(): boolean {
    return (this.id & 0x20) !== 0
  }

  /** Whether the last header read has this class, tag and form. */
  is(cls: TagClass, tag: number, constructed: boolean): boolean {
    return this.id >> 6 === cls && this.tag === tag && ((this.id & 0x20) !== 0) === constructed
  }

  describe(): string {
    return `[${this.tag}] (${className[this.cls]}${this.constructed ? ", constructed" : ""})`
  }

  /** Reads the header at `pos`, within `limit`. Lenient where BER is (non-minimal lengths, high tag numbers). */
  header(pos: number, limit: number, path: string): void {
    const b = this.bytes
    if (pos >= limit) throw new DerError(path, `missing (end of data at offset ${pos})`)
    const id = b[pos]!
    let p = pos + 1
    let tag = id & 0x1f
    if (tag === 0x1f) {
      tag = 0
      for (let n = 0; ; n++) {
        if (p >= limit) throw new DerError(path, `truncated tag at offset ${pos}`)
        if (n === 4) throw new DerError(path, `tag number too large at offset ${pos}`)
        const x = b[p++]!
        tag = tag * 128 + (x & 0x7f)
        if ((x & 0x80) === 0) break
      }
    }
    if (p >= limit) throw new DerError(path, `truncated length at offset ${p}`)
    const first = b[p++]!
    let length: number
    if (first < 0x80) {
      length = first
    } else if (first === 0x80) {
      if ((id & 0x20) === 0)
        throw new DerError(path, `indefinite length on a primitive value at offset ${pos}`)
      length = -1
    } else {
      const n = first & 0x7f
      if (n > 4) throw new DerError(path, `length of ${n} octets is too large at offset ${pos}`)
      if (p + n > limit) throw new DerError(path, `truncated length at offset ${p}`)
      length = 0
      for (let i = 0; i < n; i++) length = length * 256 + b[p++]!
    }
    if (length > limit - p) {
      throw new DerError(path, `length ${length} at offset ${pos} runs past the end of its container`)
    }
    this.id = id
    this.tag = tag
    this.contentStart = p
    this.length = length
  }

  /**
   * The end of the element at `pos` (at nesting level `depth`). An indefinite-length element is walked
   * to its end-of-contents with a counter of open levels, not recursion; definite lengths are stepped over.
   */
  skip(pos: number, limit: number, depth: number, path: string): number {
    const b = this.bytes
    this.header(pos, limit, path)
    if (depth > Limits.maxNesting) throw tooDeep(path, pos)
    if (this.length >= 0) return this.contentStart + this.length
    let p = this.contentStart
    let open = 1
    for (;;) {
      if (p + 1 < limit && b[p] === 0 && b[p + 1] === 0) {
        p += 2
        if (--open === 0) return p
        continue
      }
      this.header(p, limit, path)
      if (this.cls === TagClass.Universal && this.tag === 0) {
        throw new DerError(path, `malformed end-of-contents at offset ${p}`)
      }
      if (this.length < 0) {
        if (depth + open > Limits.maxNesting) throw tooDeep(path, p)
        open++
        p = this.contentStart
      } else {
        p = this.contentStart + this.length
      }
    }
  }
}

/**
 * The children of one constructed element, read in order. An indefinite-length element's end is only
 * known once its end-of-contents is reached, so a level is closed with `finish()`, which returns it:
 * the skeleton is read in one pass, never walked once per level.
 */
class Level {
  pos: number
  private readonly contentEnd: number
  /** Where children must end: the content end, or for an indefinite element the enclosing definite limit. */
  readonly limit: number

  constructor(
    private readonly ber: Ber,
    contentStart: number,
    length: number,
    parentLimit: number,
    readonly depth: number,
    readonly path: string
  ) {
    if (depth > Limits.maxNesting) throw tooDeep(path, contentStart)
    this.pos = contentStart
    this.contentEnd = length >= 0 ? contentStart + length : -1
    this.limit = length >= 0 ? contentStart + length : parentLimit
  }

  get done(): boolean {
    if (this.contentEnd >= 0) return this.pos >= this.contentEnd
    const b = this.ber.bytes
    return this.pos + 1 < this.limit && b[this.pos] === 0 && b[this.pos + 1] === 0
  }

  /**
   * Reads the next child's header (into `ber`) and steps over it; returns its start. `name` is a field
   * name or an index; the path for a message is only built when there is a message.
   */
  next(name: string | number): number {
    const start = this.pos
    const ber = this.ber
    // Fast path for the common short form (a low tag, a length under 128, not end-of-contents): a
    // bundle may hold millions of tiny entries, and this is the loop over them.
    const b = ber.bytes
    const id = b[start]!
    const short = b[start + 1]!
    if (
      start + 1 < this.limit &&
      id !== 0 &&
      (id & 0x1f) !== 0x1f &&
      short < 0x80 &&
      start + 2 + short <= this.limit
    ) {
      ber.id = id
      ber.tag = id & 0x1f
      ber.contentStart = start + 2
      ber.length = short
      this.pos = start + 2 + short
      return start
    }
    try {
      if (this.done) throw new DerError("", "missing")
      ber.header(start, this.limit, "")
      if (ber.cls === TagClass.Universal && ber.tag === 0) {
        throw new DerError("", `unexpected end-of-contents at offset ${start}`)
      }
      if (ber.length >= 0) {
        this.pos = ber.contentStart + ber.length
        return start
      }
      this.pos = ber.skip(start, this.limit, this.depth + 1, "")
      // `skip` read the headers inside: leave the child's own in `ber` for the caller.
      ber.header(start, this.limit, "")
      return start
    } catch (e) {
      if (e instanceof DerError && e.path === "") throw new DerError(this.childPath(name), e.reason)
      throw e
    }
  }

  childPath(name: string | number): string {
    return typeof name === "number" ? `${this.path}[${name}]` : `${this.path}.${name}`
  }

  /** Next child, which must be constructed with the given class and tag; stepped over. */
  expect(cls: TagClass, tag: number, what: string, name: string): void {
    this.next(name)
    this.check(cls, tag, what, name)
  }

  /**
   * Next child, which must be constructed with the given class and tag: its children, as a Level
   * (named `path` in messages, by default this level's path and `name`).
   */
  enter(cls: TagClass, tag: number, what: string, name: string, path = `${this.path}.${name}`): Level {
    if (this.done) throw new DerError(path, `missing (expected ${what})`)
    this.ber.header(this.pos, this.limit, path)
    this.check(cls, tag, what, name)
    return new Level(this.ber, this.ber.contentStart, this.ber.length, this.limit, this.depth + 1, path)
  }

  /** Continues after a child level that has been read to its end. */
  close(child: Level): void {
    this.pos = child.finish()
  }

  peekIs(cls: TagClass, tag: number): boolean {
    if (this.done || this.pos >= this.limit) return false
    const id = this.ber.bytes[this.pos]!
    return id >> 6 === cls && (id & 0x1f) === tag
  }

  /** The end of this element; there must be nothing left in it. */
  finish(): number {
    if (!this.done) {
      throw new DerError(
        this.path,
        this.contentEnd >= 0
          ? `${this.contentEnd - this.pos} unexpected bytes after the last field`
          : `expected end-of-contents at offset ${this.pos}`
      )
    }
    return this.contentEnd >= 0 ? this.contentEnd : this.pos + 2
  }

  private check(cls: TagClass, tag: number, what: string, name: string): void {
    const ber = this.ber
    if (!ber.is(cls, tag, true)) {
      throw new DerError(`${this.path}.${name}`, `expected ${what}, found ${ber.describe()}`)
    }
  }
}

/** The OID at the next child of `level`: primitive, definite, strictly decoded. */
const nextOid = (level: Level, ber: Ber, name: string): string => {
  const start = level.next(name)
  const path = level.childPath(name)
  if (!ber.is(TagClass.Universal, 6, false)) {
    throw new DerError(path, `expected OBJECT IDENTIFIER, found ${ber.describe()}`)
  }
  const tlv: Tlv = {
    bytes: ber.bytes,
    cls: TagClass.Universal,
    constructed: false,
    tag: 6,
    start,
    contentStart: ber.contentStart,
    end: ber.contentStart + ber.length
  }
  return decodeOid(tlv, path)
}

const unsupported = (reason: string): Pkcs7Outcome => ({ _tag: "Unsupported", reason })

/**
 * Reads the container in one pass (so a truncated or malformed one fails before any certificate is
 * read) and checks its skeleton: ContentInfo { contentType, [0] { SignedData { version,
 * digestAlgorithms, encapContentInfo, [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos } } }.
 * Never throws.
 */
export const readPkcs7Bundle = (bytes: Uint8Array): Pkcs7Outcome => {
  try {
    const ber = new Ber(bytes)
    ber.header(0, bytes.length, "ContentInfo")
    if (ber.id !== 0x30) throw new DerError("ContentInfo", `expected SEQUENCE, found ${ber.describe()}`)
    const info = new Level(ber, ber.contentStart, ber.length, bytes.length, 1, "ContentInfo")
    const contentType = nextOid(info, ber, "contentType")
    if (contentType !== Oid.signedData) {
      return unsupported(`content type ${contentType} is not SignedData (${Oid.signedData})`)
    }
    const explicit = info.enter(TagClass.Context, 0, "[0] EXPLICIT content", "content")
    const signedData = explicit.enter(
      TagClass.Universal,
      16,
      "SignedData (SEQUENCE)",
      "SignedData",
      "SignedData"
    )

    const version = signedData.next("version")
    if (!ber.is(TagClass.Universal, 2, false)) {
      throw new DerError(
        "SignedData.version",
        `expected INTEGER at offset ${version}, found ${ber.describe()}`
      )
    }
    signedData.expect(TagClass.Universal, 17, "SET", "digestAlgorithms")
    const encap = signedData.enter(TagClass.Universal, 16, "SEQUENCE", "encapContentInfo")
    nextOid(encap, ber, "eContentType")
    if (!encap.done) encap.next("eContent")
    signedData.close(encap)

    const certificates: Array<{ ordinal: number; start: number; end: number }> = []
    const skippedListed: string[] = []
    let skipped = 0
    if (signedData.peekIs(TagClass.Context, 0)) {
      const set = signedData.enter(TagClass.Context, 0, "[0] certificates", "certificates")
      for (let ordinal = 1; !set.done; ordinal++) {
        const start = set.next(ordinal - 1)
        if (ber.is(TagClass.Universal, 16, true)) {
          if (certificates.length <= Limits.maxCertificates)
            certificates.push({ ordinal, start, end: set.pos })
          continue
        }
        const kind = ber.cls === TagClass.Context ? otherChoices[ber.tag] : undefined
        if (kind === undefined) {
          throw new DerError(
            `SignedData.certificates[${ordinal - 1}]`,
            `expected a certificate or another CertificateChoices, found ${ber.describe()} at offset ${start}`
          )
        }
        if (skipped++ < Limits.maxListed) skippedListed.push(`entry ${ordinal}: ${kind}`)
      }
      signedData.close(set)
    }
    if (signedData.peekIs(TagClass.Context, 1)) signedData.expect(TagClass.Context, 1, "[1] crls", "crls")
    signedData.expect(TagClass.Universal, 17, "SET", "signerInfos")
    explicit.close(signedData)
    info.close(explicit)
    const end = info.finish()
    return { _tag: "Read", certificates, skipped, skippedListed, end }
  } catch (e) {
    if (e instanceof DerError) return unsupported(`malformed PKCS#7: ${e.message}`)
    throw e
  }
}
