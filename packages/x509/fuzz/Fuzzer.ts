/**
 * The fuzzer: inputs derived from real certificates by byte mutations (bit flips, interesting bytes,
 * insertions, deletions, duplications, truncations, splices), structure-aware edits (length tampering,
 * tag swaps, giant or boundary OIDs and INTEGERs, repeated nodes up to and past the caps, deep definite
 * and indefinite nesting), containers (PKCS#7 DER / BER bundles with other CertificateChoices and junk,
 * concatenated DER), text forms (PEM label and header variants, CRLF, missing END, several blocks,
 * bare base64, URL-safe alphabet, BOM, emoji) and, for a small share, the hostile shapes of Shapes.ts
 * at random sizes up to the input cap. Input `i` of seed `s` is a pure function of (s, i): any input of
 * a campaign can be rebuilt alone (`FUZZ_ONLY=i`).
 *
 * An escape is a rejected promise, a thrown exception or an `InternalError`; a bad outcome is a message
 * or warning of 1 KB or more, or on several lines, or a fact that is not a safe integer where one is due.
 */

import { DEFAULT_MAX_INPUT_BYTES, type ParseOutcome, parseCertificates } from "../src/index.js"
import {
  allNodes,
  berTlv,
  bytesOf,
  certificateParts,
  concat,
  type DerNode,
  oid,
  parseTree,
  replaceNode,
  tlv
} from "./DerTree.js"
import type { Seed } from "./Seeds.js"
import { bundle, giantInteger, repeat, shapes } from "./Shapes.js"

/** A seeded generator (mulberry32): fast, and the same sequence for the same seed everywhere. */
export class Random {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<A>(xs: ReadonlyArray<A>): A {
    return xs[this.int(xs.length)]!
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.int(256)
    return out
  }
}

/** The generator of input `index` of a campaign: independent of every other input. */
export const randomFor = (seed: number, index: number): Random => {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  return new Random(h ^ (h >>> 15))
}

/** A seed with its tree, parsed once per campaign. */
interface PreparedSeed {
  readonly name: string
  readonly der: Uint8Array
  /** Every node, depth first, and the index of each one's parent (-1 for the root): no path arrays. */
  readonly nodes: ReadonlyArray<DerNode>
  readonly parents: Int32Array
  /** A v3 certificate with an explicit version and extensions: every hostile shape can be built on it. */
  readonly shapeable: boolean
}

export const prepare = (seeds: ReadonlyArray<Seed>): PreparedSeed[] =>
  seeds.flatMap((seed) => {
    const root = parseTree(seed.der)
    if (root === undefined) return []
    let shapeable = false
    try {
      const p = certificateParts(seed.der)
      shapeable = p.version !== undefined && p.extensions !== undefined && p.subject.id === 0x30
    } catch {}
    const nodes: DerNode[] = []
    const parentOf: number[] = []
    const stack: Array<[DerNode, number]> = [[root, -1]]
    while (stack.length > 0) {
      const [node, parent] = stack.pop()!
      const index = nodes.push(node) - 1
      parentOf.push(parent)
      const kids = node.children ?? []
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, index])
    }
    return [{ name: seed.name, der: seed.der, nodes, parents: Int32Array.from(parentOf), shapeable }]
  })

const INTERESTING_BYTES = [
  0x00, 0x01, 0x02, 0x05, 0x06, 0x1f, 0x20, 0x30, 0x31, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x85, 0xa0, 0xa3, 0xff
]
const TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1c, 0x1e, 0x1f, 0x30, 0x31, 0x3f,
  0x80, 0x82, 0x87, 0x88, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xbf, 0xff
]
/** Counts around every cap and power of two that matters. */
const COUNTS = [0, 1, 2, 3, 7, 8, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 1000, 4095, 4096, 4097, 5001]

// --- byte mutations ---

const mutateBytes = (r: Random, input: Uint8Array): Uint8Array => {
  let b = input
  const rounds = 1 + r.int(r.chance(0.2) ? 16 : 4)
  for (let k = 0; k < rounds && b.length > 0; k++) {
    const at = r.int(b.length)
    switch (r.int(8)) {
      case 0: {
        b = b.slice()
        b[at] = b[at]! ^ (1 << r.int(8))
        break
      }
      case 1: {
        b = b.slice()
        b[at] = r.pick(INTERESTING_BYTES)
        break
      }
      case 2: // insert random bytes
        b = concat(b.subarray(0, at), r.bytes(1 + r.int(8)), b.subarray(at))
        break
      case 3: // delete a range
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(32))))
        break
      case 4: {
        // duplicate a range in place
        const len = 1 + r.int(Math.min(256, b.length - at))
        b = concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len))
        break
      }
      case 5: // truncate
        b = b.subarray(0, at)
        break
      case 6: {
        b = b.slice()
        for (let i = 0; i < 4 && at + i < b.length; i++) b[at + i] = r.int(256)
        break
      }
      default: {
        // overwrite with a copy of another range
        const from = r.int(b.length)
        const len = 1 + r.int(Math.min(64, b.length - Math.max(at, from)))
        b = b.slice()
        b.copyWithin(at, from, from + len)
      }
    }
  }
  return b
}

// --- structure-aware edits ---

const lengthVariants = (r: Random, length: number): number[] =>
  r.pick([
    [0],
    [Math.max(0, length - 1) & 0x7f],
    [0x80], // indefinite
    [0x81, length & 0xff], // long form, possibly non-minimal
    [0x82, (length >> 8) & 0xff, (length + 1) & 0xff],
    [0x84, 0xff, 0xff, 0xff, 0xff],
    [0x85, 0, 0, 0, 0, length & 0xff],
    [0xff],
    [0x83, 0, 0, length & 0xff]
  ])

const boundaryOid = (r: Random): Uint8Array => {
  switch (r.int(4)) {
    case 0: {
      // one arc of a boundary length (7/8 octets: number vs BigInt; 32/33: the cap)
      const octets = r.pick([1, 2, 6, 7, 8, 9, 19, 31, 32, 33, 40])
      const arc = new Uint8Array(octets).fill(0x80 | (1 + r.int(127)))
      arc[octets - 1] = r.int(128)
      return tlv(0x06, [0x2a], arc)
    }
    case 1: // many one-octet arcs around the 128-octet cap
      return tlv(0x06, repeat([0x01 + r.int(0x7f)], r.pick([1, 64, 127, 128, 129, 300])))
    case 2: // malformed: empty, truncated, non-minimal, first arc beyond 2
      return tlv(
        0x06,
        r.pick([[], [0x2a, 0x86], [0x80, 0x01], [0x2a, 0x80, 0x01], [0xff, 0xff, 0x7f], [0x50]])
      )
    default:
      return oid(
        r.pick([
          "1.2.840.113549.1.7.2",
          "2.5.29.17",
          "2.5.29.19",
          "1.3.6.1.4.1.311.21.7",
          "2.5.4.3",
          "1.3.6.1.4.1.311.20.2"
        ])
      )
  }
}

const boundaryInteger = (r: Random): Uint8Array =>
  r.pick([
    () => tlv(0x02, []),
    () => tlv(0x02, [0x00]),
    () => tlv(0x02, [0x00, 0x01]), // non-minimal
    () => tlv(0x02, [0xff]),
    () => tlv(0x02, [0x7f, 0xff, 0xff, 0xff]),
    () => tlv(0x02, [0x00, 0x80, 0x00, 0x00, 0x00]),
    () => tlv(0x02, [0x00, 0xff, 0xff, 0xff, 0xff]),
    () => tlv(0x02, [0x01, 0x00, 0x00, 0x00, 0x00]),
    () => tlv(0x02, [0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    () => tlv(0x02, [0x20, 0, 0, 0, 0, 0, 0, 0]),
    () => giantInteger(r.pick([21, 128, 129, 200, 1000]))
  ])()

/** A new TLV to put where `node` was. */
const replacementFor = (r: Random, der: Uint8Array, node: DerNode): Uint8Array => {
  const whole = bytesOf(der, node)
  switch (r.int(9)) {
    case 0: // the same content under another tag
      return tlv(r.pick(TAGS), der.subarray(node.contentStart, node.end))
    case 1:
      return boundaryOid(r)
    case 2:
      return boundaryInteger(r)
    case 3: {
      // nested definite SEQUENCEs or indefinite BER around the node
      let out = whole
      const depth = r.pick([1, 2, 10, 63, 64, 65, 200])
      const ber = r.chance(0.5)
      for (let i = 0; i < depth; i++) out = ber ? berTlv(0x30, out) : tlv(0x30, out)
      return out
    }
    case 4: // random content
      return tlv(node.id, r.bytes(r.int(40)))
    case 5: // a time or string content
      return tlv(
        r.pick([0x17, 0x18, 0x0c, 0x13, 0x1e, 0x1c, 0x16]),
        r.pick([
          new TextEncoder().encode(
            r.pick([
              "991231235959Z",
              "0001010000Z",
              "20500101000000.000Z",
              "19700101000000+2400",
              "20201301000000Z",
              "\u00e9\u{1F600}",
              ""
            ])
          ),
          r.bytes(1 + r.int(7)),
          repeat([0x31], r.pick([13, 64, 65, 1000]))
        ])
      )
    case 6: // empty
      return tlv(node.id)
    case 7: // the node repeated inside a SEQUENCE / SET
      return tlv(
        r.pick([0x30, 0x31]),
        repeat(whole, Math.min(r.pick(COUNTS), Math.floor(1_000_000 / whole.length)))
      )
    default: // drop it
      return new Uint8Array()
  }
}

/** A random node of a seed with its ancestors (root first), rebuilt from the parent indices. */
const pickNode = (r: Random, seed: PreparedSeed): { node: DerNode; path: DerNode[] } => {
  const index = r.int(seed.nodes.length)
  const path: DerNode[] = []
  for (let p = seed.parents[index]!; p >= 0; p = seed.parents[p]!) path.unshift(seed.nodes[p]!)
  return { node: seed.nodes[index]!, path }
}

const structureEdit = (r: Random, seed: PreparedSeed): Uint8Array => {
  let der = seed.der
  const { node, path } = pickNode(r, seed)
  switch (r.int(4)) {
    case 0: {
      // length tampering, without fixing the ancestors
      const header = lengthVariants(r, node.end - node.contentStart)
      return concat(der.subarray(0, node.start), [node.id], header, der.subarray(node.contentStart))
    }
    case 1: {
      // repeat the node among its siblings, ancestors fixed (extensions, names, RDNs past their caps)
      const parent = path.at(-1)
      if (parent === undefined) return der
      const copies = Math.min(r.pick(COUNTS), Math.floor(1_000_000 / Math.max(1, node.end - node.start)))
      der = replaceNode(der, path, node, repeat(bytesOf(der, node), Math.max(1, copies)))
      return der
    }
    default:
      return replaceNode(der, path, node, replacementFor(r, der, node))
  }
}

// --- containers and text ---

const OTHER_CHOICES = [0xa0, 0xa1, 0xa2, 0xa3]

const container = (r: Random, seeds: ReadonlyArray<PreparedSeed>, inner: () => Uint8Array): Uint8Array => {
  const n = r.int(5)
  if (r.chance(0.3)) return concat(...Array.from({ length: 1 + n }, inner)) // concatenated DER
  const entries = Array.from({ length: n }, () =>
    r.chance(0.8)
      ? inner()
      : tlv(r.pick(OTHER_CHOICES), r.chance(0.5) ? r.pick(seeds).der : r.bytes(r.int(16)))
  )
  const junk = () => (r.chance(0.5) ? repeat([0x05, 0x00], r.int(64)) : r.bytes(r.int(32)))
  const out = bundle(entries, {
    ber: r.chance(0.4),
    ...(r.chance(0.2) ? { crls: junk() } : {}),
    ...(r.chance(0.3) ? { signerInfos: junk() } : {})
  })
  if (r.chance(0.3)) return mutateBytes(r, out)
  if (r.chance(0.2)) {
    const root = parseTree(out)
    if (root !== undefined) {
      const nodes = allNodes(root).filter((n) => n.path.length < 5)
      const { node, path } = r.pick(nodes)
      return replaceNode(out, path, node, replacementFor(r, out, node))
    }
  }
  return out
}

const LABELS = [
  "CERTIFICATE",
  "CERTIFICATE",
  "X509 CERTIFICATE",
  "TRUSTED CERTIFICATE",
  "PKCS7",
  "CMS",
  "PKCS #7 SIGNED DATA",
  "PRIVATE KEY",
  "X509 CRL",
  "CERT\u0001IFICATE",
  "A".repeat(64),
  ""
]

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64")

const pemOf = (r: Random, label: string, der: Uint8Array): string => {
  let body = base64(der)
  if (r.chance(0.1)) body = body.replace(/\+/g, "-").replace(/\//g, "_")
  const width = r.pick([64, 64, 76, 0, 1, 3])
  if (width > 0) body = body.replace(new RegExp(`(.{${width}})`, "g"), "$1\n")
  const eol = r.chance(0.3) ? "\r\n" : "\n"
  const headers = r.chance(0.1) ? `Proc-Type: 4,ENCRYPTED${eol}DEK-Info: DES-EDE3-CBC,0${eol}${eol}` : ""
  const end = r.chance(0.05) ? "" : r.chance(0.05) ? "-----END OTHER-----" : `-----END ${label}-----`
  return `-----BEGIN ${label}-----${eol}${headers}${body}${eol}${end}${eol}`.replace(/\n/g, eol)
}

const text = (r: Random, inner: () => Uint8Array): string | Uint8Array => {
  const choice = r.int(10)
  if (choice === 0) return base64(inner()) // bare base64
  if (choice === 1) return `\uFEFF  ${base64(inner()).replace(/(.{64})/g, "$1\r\n")}`
  const blocks = Array.from({ length: 1 + r.int(r.chance(0.1) ? 40 : 4) }, () =>
    pemOf(r, r.chance(0.8) ? "CERTIFICATE" : r.pick(LABELS), inner())
  )
  const between = () =>
    r.pick(["", "\n", "subject=CN=x\n", "\u{1F600} caf\u00e9\n", "-----BEGIN \n", "\0\x1b[31m"])
  let out = blocks.map((b) => between() + b).join("") + between()
  if (r.chance(0.2)) {
    // character-level damage
    const chars = out.split("")
    for (let k = 0; k < 1 + r.int(4); k++)
      chars[r.int(chars.length)] = r.pick(["", "!", "=", "-", "\n", "A", "\u00ff"])
    out = chars.join("")
  }
  return r.chance(0.5) ? new TextEncoder().encode(out) : out
}

// --- the campaign ---

/** Shapes whose full-size input is valid bulk (many certificates), not hostile: left to the benchmark. */
const BULK_SHAPES = new Set(["pkcs7-many-real", "pem-many-real", "der-many-minimal"])
const HOSTILE_SHAPES = shapes.filter((s) => !BULK_SHAPES.has(s.name))

export interface GeneratedInput {
  readonly kind: string
  readonly input: string | Uint8Array
}

export interface InputOptions {
  /** Share of inputs that are hostile shapes at a random size up to `maxLargeBytes`. */
  readonly largeShare: number
  readonly maxLargeBytes: number
}

/** Input `index` of the campaign `seed`. */
export const inputAt = (
  seed: number,
  index: number,
  seeds: ReadonlyArray<PreparedSeed>,
  options: InputOptions
): GeneratedInput => {
  const r = randomFor(seed, index)
  const s = r.pick(seeds)
  const one = (): Uint8Array => {
    const x = r.pick(seeds)
    const c = r.int(10)
    return c < 4 ? x.der : c < 7 ? mutateBytes(r, x.der) : structureEdit(r, x)
  }
  if (r.chance(options.largeShare)) {
    const shape = r.pick(HOSTILE_SHAPES)
    const base = r.pick(seeds.filter((x) => x.shapeable))
    // Sizes spread evenly on a log scale from 4 KiB to the cap.
    const size = Math.floor(4096 * (options.maxLargeBytes / 4096) ** r.next())
    let input = shape.build(base.der, size)
    if (typeof input !== "string" && r.chance(0.3)) input = mutateBytes(r, input)
    return { kind: `shape:${shape.name}`, input }
  }
  const c = r.int(100)
  if (c < 35) return { kind: "bytes", input: mutateBytes(r, s.der) }
  if (c < 60) {
    const edited = structureEdit(r, s)
    return { kind: "structure", input: r.chance(0.2) ? mutateBytes(r, edited) : edited }
  }
  if (c < 78) return { kind: "container", input: container(r, seeds, one) }
  if (c < 95) return { kind: "text", input: text(r, one) }
  // a splice of two seeds
  const t = r.pick(seeds)
  return {
    kind: "splice",
    input: concat(s.der.subarray(0, r.int(s.der.length)), t.der.subarray(r.int(t.der.length)))
  }
}

/** What is wrong with an outcome, if anything ("escape: ..." for escapes). */
export const problemsOf = (outcome: ParseOutcome): string[] => {
  const problems: string[] = []
  const checkText = (what: string, s: string) => {
    if (Buffer.byteLength(s, "utf8") >= 1024)
      problems.push(`${what} of ${Buffer.byteLength(s, "utf8")} bytes`)
    if (/[\r\n]/.test(s)) problems.push(`${what} on several lines`)
  }
  if (outcome._tag === "Failed") {
    if (outcome.error.code === "InternalError")
      problems.push(`escape: InternalError: ${outcome.error.message}`)
    checkText("message", outcome.error.message)
    return problems
  }
  const safe = (what: string, n: number | undefined) => {
    if (n !== undefined && !Number.isSafeInteger(n)) problems.push(`${what} is ${n}`)
  }
  for (const c of outcome.certificates) {
    safe("version", c.version)
    safe("notBefore", c.notBefore)
    safe("notAfter", c.notAfter)
    safe("publicKey.size", c.publicKey.size)
    safe("pathLength", c.extensions.basicConstraints?.pathLength)
    safe("template.majorVersion", c.extensions.microsoftTemplate?.majorVersion)
    safe("template.minorVersion", c.extensions.microsoftTemplate?.minorVersion)
    for (const w of c.warnings) checkText("warning", w)
  }
  return problems
}

export interface Finding {
  readonly index: number
  readonly kind: string
  readonly bytes: number
  readonly ms: number
  readonly detail: string
}

export interface CampaignReport {
  readonly seed: number
  readonly inputs: number
  readonly parsed: number
  readonly failedByCode: Record<string, number>
  readonly byKind: Record<string, number>
  readonly escapes: Finding[]
  readonly badOutcomes: Finding[]
  readonly maxMs: number
  readonly slowest: Finding[]
  /** Inputs over the bound in each of three parses (their best time is over it). */
  readonly overBound: Finding[]
  readonly overBoundFirstOnly: number
  readonly largeInputs: number
  readonly seconds: number
}

export interface CampaignOptions extends InputOptions {
  readonly seed: number
  readonly runs: number
  /** First input index (to resume or to rebuild one input). */
  readonly from?: number
  readonly boundMs: number
  readonly onProgress?: (report: CampaignReport, index: number) => void
  readonly progressEvery?: number
  /** Called with the index about to be parsed (a watchdog can name a hanging input). */
  readonly onInput?: (index: number) => void
}

const KEEP = 10

export const runCampaign = async (
  seeds: ReadonlyArray<PreparedSeed>,
  options: CampaignOptions
): Promise<CampaignReport> => {
  const started = performance.now()
  const failedByCode: Record<string, number> = {}
  const byKind: Record<string, number> = {}
  const escapes: Finding[] = []
  const badOutcomes: Finding[] = []
  const overBound: Finding[] = []
  let slowest: Finding[] = []
  let parsed = 0
  let maxMs = 0
  let overBoundFirstOnly = 0
  let largeInputs = 0
  let inputs = 0
  const report = (): CampaignReport => ({
    seed: options.seed,
    inputs,
    parsed,
    failedByCode,
    byKind,
    escapes,
    badOutcomes,
    maxMs,
    slowest,
    overBound,
    overBoundFirstOnly,
    largeInputs,
    seconds: (performance.now() - started) / 1000
  })
  const from = options.from ?? 0
  for (let index = from; index < from + options.runs; index++) {
    const { kind, input } = inputAt(options.seed, index, seeds, options)
    const size = typeof input === "string" ? input.length : input.length
    const family = kind.startsWith("shape:") ? "shape" : kind
    byKind[family] = (byKind[family] ?? 0) + 1
    if (family === "shape") largeInputs++
    options.onInput?.(index)
    let outcome: ParseOutcome | undefined
    let ms: number
    const t0 = performance.now()
    try {
      outcome = await parseCertificates(input)
      ms = performance.now() - t0
    } catch (e) {
      ms = performance.now() - t0
      escapes.push({ index, kind, bytes: size, ms, detail: `escape: threw ${String(e).slice(0, 200)}` })
    }
    inputs++
    if (outcome !== undefined) {
      if (outcome._tag === "Parsed") parsed++
      else failedByCode[outcome.error.code] = (failedByCode[outcome.error.code] ?? 0) + 1
      for (const problem of problemsOf(outcome)) {
        const finding = { index, kind, bytes: size, ms, detail: problem.slice(0, 300) }
        if (problem.startsWith("escape")) escapes.push(finding)
        else badOutcomes.push(finding)
      }
    }
    if (ms > maxMs) maxMs = ms
    if (slowest.length < KEEP || ms > slowest.at(-1)!.ms) {
      const detail =
        outcome === undefined
          ? "threw"
          : outcome._tag === "Parsed"
            ? `Parsed ${outcome.certificates.length}`
            : outcome.error.code
      slowest = [...slowest, { index, kind, bytes: size, ms, detail }]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, KEEP)
    }
    if (ms > options.boundMs) {
      // A garbage collection or a busy machine can stretch one parse: an input's time is the best of
      // up to three parses, as a benchmark would take it.
      const times = [ms]
      while (times.length < 3 && Math.min(...times) > options.boundMs) {
        const t1 = performance.now()
        await parseCertificates(input)
        times.push(performance.now() - t1)
      }
      const best = Math.min(...times)
      if (best > options.boundMs) {
        overBound.push({
          index,
          kind,
          bytes: size,
          ms: best,
          detail: times.map((t) => t.toFixed(1)).join(", ")
        })
      } else overBoundFirstOnly++
    }
    if (options.onProgress !== undefined && (index - from + 1) % (options.progressEvery ?? 50_000) === 0) {
      options.onProgress(report(), index)
    }
  }
  return report()
}

export const defaultInputOptions: InputOptions = {
  largeShare: 0.002,
  maxLargeBytes: DEFAULT_MAX_INPUT_BYTES - 4096
}
