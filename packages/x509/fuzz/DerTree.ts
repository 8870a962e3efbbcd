/**
 * DER building and editing for the fuzzer and the hostile-input tests: a real certificate is parsed
 * into a tree (descending into OCTET / BIT STRINGs that hold DER, such as extension values), one node
 * is replaced, and every enclosing length is re-encoded. Seeds are trusted, well-formed DER; this is
 * test tooling, not part of the package.
 */

export interface DerNode {
  /** Identifier octet (low tag numbers only, as in certificates). */
  readonly id: number
  readonly start: number
  readonly contentStart: number
  readonly end: number
  /** Children of a constructed node, or of a primitive OCTET / BIT STRING whose content is DER. */
  readonly children: ReadonlyArray<DerNode> | undefined
  /** For a BIT STRING holding DER: the unused-bits octet comes before the children. */
  readonly encapsulatedFrom: number | undefined
}

const concatAll = (parts: ReadonlyArray<Uint8Array | ReadonlyArray<number>>): Uint8Array => {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Many parts at once (no argument spreading: safe for hundreds of thousands of parts). */
export const join = (parts: ReadonlyArray<Uint8Array | ReadonlyArray<number>>): Uint8Array => concatAll(parts)

export const concat = (...parts: ReadonlyArray<Uint8Array | ReadonlyArray<number>>): Uint8Array =>
  concatAll(parts)

export const derLength = (n: number): number[] => {
  if (n < 0x80) return [n]
  const octets: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v & 0xff)
  return [0x80 | octets.length, ...octets]
}

/** A definite-length TLV (DER when the content is). */
export const tlv = (
  id: number,
  ...content: ReadonlyArray<Uint8Array | ReadonlyArray<number>>
): Uint8Array => {
  let n = 0
  for (const c of content) n += c.length
  return concatAll([[id], derLength(n), ...content])
}

/** An indefinite-length (BER) TLV: 0x80, the content, end-of-contents. */
export const berTlv = (
  id: number,
  ...content: ReadonlyArray<Uint8Array | ReadonlyArray<number>>
): Uint8Array => concatAll([[id, 0x80], ...content, [0, 0]])

/** Content octets of an OID arc (base 128, high bit on all but the last octet). */
export const oidArc = (value: number): number[] => {
  const out = [value & 0x7f]
  for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) out.unshift(0x80 | (v & 0x7f))
  return out
}

/** DER of an OID given as dotted text (small arcs). */
export const oid = (dotted: string): Uint8Array => {
  const [a, b, ...rest] = dotted.split(".").map(Number)
  return tlv(0x06, oidArc(a! * 40 + b!), ...rest.map(oidArc))
}

/** TLV header at `pos` (definite lengths only, as DER); undefined when malformed. */
export const header = (
  b: Uint8Array,
  pos: number,
  limit: number
): { id: number; contentStart: number; end: number } | undefined => {
  if (pos + 2 > limit) return undefined
  const id = b[pos]!
  if ((id & 0x1f) === 0x1f) return undefined
  let p = pos + 1
  const first = b[p++]!
  let length = first
  if (first === 0x80) return undefined
  if (first > 0x80) {
    const n = first & 0x7f
    if (n > 4 || p + n > limit) return undefined
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + b[p++]!
  }
  if (p + length > limit) return undefined
  return { id, contentStart: p, end: p + length }
}

const parseList = (b: Uint8Array, start: number, end: number, depth: number): DerNode[] | undefined => {
  if (depth > 40 || start >= end) return undefined
  const out: DerNode[] = []
  for (let pos = start; pos < end; ) {
    const node = parseNode(b, pos, end, depth)
    if (node === undefined) return undefined
    out.push(node)
    pos = node.end
  }
  return out
}

const parseNode = (b: Uint8Array, pos: number, limit: number, depth: number): DerNode | undefined => {
  const h = header(b, pos, limit)
  if (h === undefined) return undefined
  let children: DerNode[] | undefined
  let encapsulatedFrom: number | undefined
  if (h.id & 0x20) {
    children = parseList(b, h.contentStart, h.end, depth + 1) ?? []
    if (h.contentStart < h.end && children.length === 0) return undefined
  } else if (h.id === 0x04) {
    children = parseList(b, h.contentStart, h.end, depth + 1)
    if (children !== undefined) encapsulatedFrom = h.contentStart
  } else if (h.id === 0x03 && h.end - h.contentStart > 1 && b[h.contentStart] === 0) {
    children = parseList(b, h.contentStart + 1, h.end, depth + 1)
    if (children !== undefined) encapsulatedFrom = h.contentStart + 1
  }
  return { id: h.id, start: pos, contentStart: h.contentStart, end: h.end, children, encapsulatedFrom }
}

/** The tree of a well-formed DER value; undefined when it is not one. */
export const parseTree = (bytes: Uint8Array): DerNode | undefined => {
  const root = parseNode(bytes, 0, bytes.length, 0)
  return root !== undefined && root.end === bytes.length ? root : undefined
}

/** Every node, depth first, with its ancestors (root first). */
export const allNodes = (root: DerNode): Array<{ node: DerNode; path: ReadonlyArray<DerNode> }> => {
  const out: Array<{ node: DerNode; path: ReadonlyArray<DerNode> }> = []
  const stack: Array<{ node: DerNode; path: ReadonlyArray<DerNode> }> = [{ node: root, path: [] }]
  while (stack.length > 0) {
    const item = stack.pop()!
    out.push(item)
    const kids = item.node.children ?? []
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, path: [...item.path, item.node] })
  }
  return out
}

/**
 * The value with `node` replaced by `replacement` (a whole TLV, or any bytes), every ancestor's length
 * re-encoded in DER form. `path` is the node's ancestors, root first (from `allNodes`).
 */
export const replaceNode = (
  bytes: Uint8Array,
  path: ReadonlyArray<DerNode>,
  node: DerNode,
  replacement: Uint8Array
): Uint8Array => {
  let inner = replacement
  let child = node
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = path[i]!
    const contentFrom = parent.encapsulatedFrom ?? parent.contentStart
    const prefix = bytes.subarray(parent.contentStart, contentFrom)
    inner = tlv(
      parent.id,
      prefix,
      bytes.subarray(contentFrom, child.start),
      inner,
      bytes.subarray(child.end, parent.end)
    )
    child = parent
  }
  return inner
}

/** Whole TLV bytes of a node. */
export const bytesOf = (bytes: Uint8Array, node: DerNode): Uint8Array => bytes.subarray(node.start, node.end)

/** Content octets of a node. */
export const contentOf = (bytes: Uint8Array, node: DerNode): Uint8Array =>
  bytes.subarray(node.contentStart, node.end)

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

/** The certificate's named parts, found by position (RFC 5280 order). */
export const certificateParts = (der: Uint8Array) => {
  const root = parseTree(der)
  if (root === undefined) throw new Error("seed is not DER")
  const [tbs, signatureAlgorithm] = root.children!
  const fields = tbs!.children!
  const hasVersion = fields[0]!.id === 0xa0
  const at = (i: number) => fields[i + (hasVersion ? 1 : 0)]!
  const extensionsWrapper = fields.find((f) => f.id === 0xa3)
  const extensions = extensionsWrapper?.children?.[0]
  /** The extension SEQUENCE whose extnID is `dotted`, and its value's inner TLV. */
  const extension = (dotted: string) => {
    const id = oid(dotted)
    const ext = extensions?.children?.find((e) => sameBytes(bytesOf(der, e.children![0]!), id))
    const value = ext?.children?.at(-1)
    return ext === undefined ? undefined : { ext, value, inner: value?.children?.[0] }
  }
  return {
    root,
    tbs: tbs!,
    signatureAlgorithm: signatureAlgorithm!,
    version: hasVersion ? fields[0] : undefined,
    serial: at(0),
    signature: at(1),
    issuer: at(2),
    validity: at(3),
    subject: at(4),
    spki: at(5),
    extensionsWrapper,
    extensions,
    extension
  }
}

/**
 * The certificate with the extension `extnId` (a whole OID TLV) set to `value` (the extnValue content):
 * an extension with that OID is replaced (so it is the one read), otherwise one is appended.
 */
export const setExtension = (der: Uint8Array, extnId: Uint8Array, value: Uint8Array): Uint8Array => {
  const p = certificateParts(der)
  if (p.extensions === undefined) throw new Error("the certificate has no extensions")
  const ext = tlv(0x30, extnId, tlv(0x04, value))
  const existing = p.extensions.children?.find((e) => sameBytes(bytesOf(der, e.children![0]!), extnId))
  if (existing !== undefined) return replace(der, p.root, existing, ext)
  return replace(der, p.root, p.extensions, tlv(0x30, contentOf(der, p.extensions), ext))
}

/** The ancestors of `node` in `root` (root first), for `replaceNode`. */
export const pathTo = (root: DerNode, node: DerNode): ReadonlyArray<DerNode> => {
  const found = allNodes(root).find((n) => n.node === node)
  if (found === undefined) throw new Error("node not in tree")
  return found.path
}

/** `replaceNode` by node alone. */
export const replace = (der: Uint8Array, root: DerNode, node: DerNode, replacement: Uint8Array): Uint8Array =>
  replaceNode(der, pathTo(root, node), node, replacement)
