/**
 * The pnpm patch of @peculiar/utils 4.1.0 (patches/@peculiar__utils@4.1.0.patch, see
 * docs/decisions.md) adds a fast path to `toUint8Array`, the hottest function of asn1js 4. These
 * tests prove that the copy asn1js actually loads is patched, that the fast path is taken, and that
 * it changes nothing: the same results as the unpatched function for every kind of input, and the
 * same asn1js and pkijs parse of every corpus certificate with and without the fast path.
 */
import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"
import * as asn1js from "asn1js"
import * as pkijs from "pkijs"
import { afterEach, describe, expect, it } from "vitest"
import { loadCorpus } from "../bench/Corpus.js"

/** The @peculiar/utils module instance asn1js imports (not a direct dependency of this package). */
const utilsUsedByAsn1js = async (): Promise<{ toUint8Array: (data: unknown) => Uint8Array }> => {
  const asn1jsEntry = createRequire(import.meta.url).resolve("asn1js")
  const utilsEntry = createRequire(asn1jsEntry).resolve("@peculiar/utils")
  return import(pathToFileURL(utilsEntry).href)
}

/** `toUint8Array` of @peculiar/utils 4.1.0 as published, verbatim: the reference behaviour. */
const referenceToUint8Array = (data: unknown): Uint8Array => {
  const tagOf = (value: unknown) => Object.prototype.toString.call(value)
  const isArrayBufferLike = (value: unknown) =>
    tagOf(value) === "[object ArrayBuffer]" ||
    (typeof SharedArrayBuffer !== "undefined" && tagOf(value) === "[object SharedArrayBuffer]")
  const isArrayBufferViewLike = (value: unknown): boolean => {
    if (ArrayBuffer.isView(value)) return true
    if (!value || typeof value !== "object") return false
    const view = value as ArrayBufferView
    return (
      typeof view.byteOffset === "number" &&
      typeof view.byteLength === "number" &&
      isArrayBufferLike(view.buffer)
    )
  }
  if (!(isArrayBufferLike(data) || isArrayBufferViewLike(data))) {
    throw new TypeError("Expected ArrayBuffer, SharedArrayBuffer, or ArrayBufferView")
  }
  if (isArrayBufferLike(data)) return new Uint8Array(data as ArrayBuffer)
  const view = data as ArrayBufferView
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}

type Outcome =
  | { readonly threw: string }
  | {
      readonly ctor: unknown
      readonly buffer: ArrayBufferLike
      readonly byteOffset: number
      readonly byteLength: number
      readonly bytes: Array<number>
      readonly fresh: boolean
    }
const outcome = (f: (x: unknown) => Uint8Array, input: unknown): Outcome => {
  try {
    const out = f(input)
    return {
      ctor: out.constructor,
      buffer: out.buffer,
      byteOffset: out.byteOffset,
      byteLength: out.byteLength,
      bytes: Array.from(out),
      fresh: out !== input
    }
  } catch (error) {
    return { threw: `${(error as Error).constructor.name}: ${(error as Error).message}` }
  }
}

const withTag = <T extends object>(value: T, tag: unknown): T =>
  Object.defineProperty(value, Symbol.toStringTag, { value: tag, configurable: true })

const detachedView = (): Uint8Array => {
  const buffer = new ArrayBuffer(8)
  const view = new Uint8Array(buffer, 2, 4)
  structuredClone(buffer, { transfer: [buffer] })
  return view
}

/** ES2024 resizable ArrayBuffer (in Node 20), not in this package's ES2022 lib typings. */
const resizableBuffer = (length: number, maxByteLength: number): ArrayBuffer =>
  new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(length, {
    maxByteLength
  })

const inputs = (): ReadonlyArray<readonly [string, unknown]> => {
  const big = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)
  const shared = new SharedArrayBuffer(6)
  return [
    ["plain Uint8Array", Uint8Array.of(1, 2, 3)],
    ["empty Uint8Array", new Uint8Array(0)],
    ["subarray with offset", big.subarray(7, 90)],
    ["Buffer (Uint8Array subclass)", Buffer.from([9, 8, 7])],
    ["Uint8Array over SharedArrayBuffer", new Uint8Array(shared, 1, 3)],
    ["length-tracking view of a resizable buffer", new Uint8Array(resizableBuffer(4, 16))],
    ["view of a detached buffer", detachedView()],
    ["Uint8ClampedArray", Uint8ClampedArray.of(1, 2)],
    ["Int16Array", Int16Array.of(-1, 2)],
    ["DataView", new DataView(big.buffer, 3, 5)],
    ["ArrayBuffer", big.buffer],
    ["SharedArrayBuffer", shared],
    ["Uint8Array tagged ArrayBuffer", withTag(Uint8Array.of(1, 2), "ArrayBuffer")],
    ["Uint8Array tagged SharedArrayBuffer", withTag(Uint8Array.of(1, 2), "SharedArrayBuffer")],
    ["Uint8Array tagged with a non-string", withTag(Uint8Array.of(1, 2), 42)],
    ["DataView tagged Uint8Array", withTag(new DataView(big.buffer, 1, 2), "Uint8Array")],
    [
      "object tagged Uint8Array",
      withTag({ byteOffset: 0, byteLength: 1, buffer: new ArrayBuffer(1) }, "Uint8Array")
    ],
    ["view-like object", { byteOffset: 1, byteLength: 2, buffer: new ArrayBuffer(4) }],
    ["array of numbers", [1, 2, 3]],
    ["string", "abc"],
    ["null", null],
    ["undefined", undefined],
    ["number", 7]
  ]
}

describe("@peculiar/utils toUint8Array, patched", () => {
  it("is the copy asn1js loads, and carries the fast path", async () => {
    const { toUint8Array } = await utilsUsedByAsn1js()
    expect(Function.prototype.toString.call(toUint8Array)).toContain(
      "if (isTaggedUint8ArrayView(data)) return"
    )
  })

  it.each(inputs())("gives the unpatched result for %s", async (_name, input) => {
    const { toUint8Array } = await utilsUsedByAsn1js()
    expect(outcome(toUint8Array, input)).toEqual(outcome(referenceToUint8Array, input))
  })

  it("reads Symbol.toStringTag once on the fast path, where the unpatched function read it four times", async () => {
    const { toUint8Array } = await utilsUsedByAsn1js()
    let reads = 0
    const probe = Object.defineProperty(Uint8Array.of(1), Symbol.toStringTag, {
      get: () => {
        reads++
        return "Uint8Array"
      }
    })
    toUint8Array(probe)
    expect(reads).toBe(1)
    reads = 0
    referenceToUint8Array(probe)
    expect(reads).toBe(4)
  })
})

describe("asn1js and pkijs over the corpus, with and without the fast path", () => {
  const corpus = loadCorpus()

  /**
   * While a Uint8Array answers a different Symbol.toStringTag, the fast path's guard fails and every
   * call runs the unpatched checks, which still see "not an ArrayBuffer": the published behaviour.
   */
  let slowPathReads = 0
  const withoutFastPath = <A>(f: () => A): A => {
    Object.defineProperty(Uint8Array.prototype, Symbol.toStringTag, {
      get: () => {
        slowPathReads++
        return "Uint8Array (slow)"
      },
      configurable: true
    })
    try {
      return f()
    } finally {
      delete (Uint8Array.prototype as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag]
    }
  }
  afterEach(() => {
    expect(Object.getOwnPropertyDescriptor(Uint8Array.prototype, Symbol.toStringTag)).toBeUndefined()
  })

  const hex = (bytes: ArrayBuffer | Uint8Array): string => Buffer.from(bytes as Uint8Array).toString("hex")
  /** The tree as asn1js prints it (types, nesting, values) and re-encodes it. */
  const asn1Summary = (der: Uint8Array<ArrayBuffer>): string => {
    const parsed = asn1js.fromBER(der)
    return `${parsed.offset}\n${parsed.result.toString()}\n${hex(parsed.result.toBER())}`
  }
  /** What pkijs decodes into the Certificate fields certory reads, or the error it throws. */
  const pkijsSummary = (der: Uint8Array<ArrayBuffer>): string => {
    try {
      const cert = pkijs.Certificate.fromBER(der)
      const name = (n: pkijs.RelativeDistinguishedNames) =>
        n.typesAndValues.map(
          (tv) => `${tv.type}=${tv.value.constructor.name}:${String(tv.value.valueBlock.value)}`
        )
      return JSON.stringify([
        cert.version,
        hex(cert.serialNumber.valueBlock.valueHexView),
        cert.signature.algorithmId,
        cert.signatureAlgorithm.algorithmId,
        name(cert.issuer),
        name(cert.subject),
        cert.notBefore.value.getTime(),
        cert.notAfter.value.getTime(),
        cert.subjectPublicKeyInfo.algorithm.algorithmId,
        hex(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
        (cert.extensions ?? []).map((e) => [
          e.extnID,
          e.critical,
          hex(e.extnValue.valueBlock.valueHexView),
          e.parsedValue?.constructor.name
        ]),
        hex(cert.signatureValue.valueBlock.valueHexView)
      ])
    } catch (error) {
      return `threw ${(error as Error).message}`
    }
  }
  // Async, yielding every 50 files: a worker that blocks its event loop for the whole corpus misses
  // vitest's RPC heartbeats on a loaded machine ("Timeout calling onTaskUpdate").
  const differing = async (summary: (der: Uint8Array<ArrayBuffer>) => string): Promise<Array<string>> => {
    const files: Array<string> = []
    for (const [i, { der, file }] of corpus.entries()) {
      if (summary(der) !== withoutFastPath(() => summary(der))) files.push(file)
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
    }
    return files
  }

  it("has the corpus", () => {
    expect(corpus.length).toBeGreaterThan(2000)
  })

  it("asn1js.fromBER parses every certificate the same way", { timeout: 180_000 }, async () => {
    slowPathReads = 0
    expect(await differing(asn1Summary)).toEqual([])
    // the reference runs really went through the unpatched checks (four tag reads per call)
    expect(slowPathReads).toBeGreaterThan(corpus.length * 4)
  })

  it("pkijs.Certificate.fromBER decodes every certificate the same way", { timeout: 180_000 }, async () => {
    expect(await differing(pkijsSummary)).toEqual([])
  })
})
