/**
 * SAML 2.0 metadata XML -> what certory needs from an external IdP: its entity ID, single sign-on
 * endpoints, whether it wants signed requests, and the DER bytes of its signing (and encryption)
 * certificates. The input is an untrusted string; the outcome is a plain value, never a throw.
 *
 * One streaming pass of saxes (strict XML 1.0 + namespaces, no DTD processing, no tree, no recursion)
 * feeds a small state machine that matches elements by namespace URI, never by prefix. Every structure
 * is capped (`Limits`) as soon as it is met, so the work stays linear in the input. Certificates are
 * only base64-decoded here; reading them is @certory/x509's job.
 */
import { SaxesParser, type SaxesTagNS } from "saxes"
import { decodeBase64 } from "./Base64.js"
import { type Limit, Limits } from "./Limits.js"
import { quote, type SamlError, type SamlErrorCode, samlError } from "./SamlError.js"

export const MetadataNamespace = "urn:oasis:names:tc:SAML:2.0:metadata"
export const XmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#"
const SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"

/** The SAML 2.0 binding URIs `loginUrl` is chosen by. */
export const Bindings = {
  HttpRedirect: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
  HttpPost: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
} as const

export interface SingleSignOnService {
  readonly binding: string
  readonly location: string
}

export interface IdpMetadata {
  /** The EntityDescriptor's `entityID`. */
  readonly entityId: string
  /** Every SingleSignOnService of the IDPSSODescriptor, in document order. */
  readonly singleSignOnServices: ReadonlyArray<SingleSignOnService>
  /** The HTTP-Redirect service's Location, else the HTTP-POST one's, else the first one's. */
  readonly loginUrl: string
  /** The IDPSSODescriptor's `WantAuthnRequestsSigned` (default false). */
  readonly wantAuthnRequestsSigned: boolean
  /**
   * DER bytes of every ds:X509Certificate of the IDPSSODescriptor's KeyDescriptors whose `use` is
   * "signing" or absent, in document order, without repeats. Never empty.
   */
  readonly signingCertificates: ReadonlyArray<Uint8Array>
  /** The same for `use="encryption"` (informational; these do not verify anything). */
  readonly encryptionCertificates: ReadonlyArray<Uint8Array>
  /** `validUntil` as written on the EntityDescriptor, else on the nearest enclosing EntitiesDescriptor. */
  readonly validUntil?: string
  /** `cacheDuration` as written, found the same way. */
  readonly cacheDuration?: string
}

export interface ParseOptions {
  /** Inputs over this many bytes of UTF-8 are refused before parsing. Default `Limits.defaultMaxInputBytes` (1 MiB). */
  readonly maxInputBytes?: number
  /** The entity to take: required to choose among several IdPs of an aggregate; checked against a lone entity too. */
  readonly entityId?: string
}

export type ParseOutcome =
  | { readonly _tag: "Parsed"; readonly metadata: IdpMetadata }
  | { readonly _tag: "Failed"; readonly error: SamlError }

/** Thrown inside this module only, from the parser's handlers, to stop at the first failure. */
class Stop {
  constructor(readonly error: SamlError) {}
}

const fail = (code: SamlErrorCode, message: string, limit?: Limit): never => {
  throw new Stop(samlError(code, message, limit))
}

const failed = (error: SamlError): ParseOutcome => ({ _tag: "Failed", error })

export const parseIdpMetadata = (xml: string, options: ParseOptions = {}): ParseOutcome => {
  try {
    return { _tag: "Parsed", metadata: parse(xml, options) }
  } catch (e) {
    if (e instanceof Stop) return failed(e.error)
    return failed(samlError("InternalError", `unexpected exception: ${messageOf(e)}`))
  }
}

const messageOf = (e: unknown): string => {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  } catch {
    return "an exception that cannot be printed"
  }
}

// ---------------------------------------------------------------------------------------------------
// Size

/**
 * The UTF-8 length of `s` (a surrogate pair is 4 bytes, a lone surrogate 3 as its U+FFFD), counting
 * stops once past `max`. Returns `undefined` when within `max`.
 */
const utf8Excess = (s: string, max: number): string | undefined => {
  // Each UTF-16 unit is 1 to 3 bytes: most inputs are decided without counting.
  if (s.length > max) return `more than ${max} bytes of UTF-8 (${s.length} UTF-16 units)`
  if (s.length * 3 <= max) return undefined
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else bytes += 3
    if (bytes > max) return `more than ${max} bytes of UTF-8`
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------
// What the pass collects

/** What one element on the stack is, for the state machine (a plain number: the stack is a number[]). */
const Kind = {
  Other: 0,
  Entities: 1,
  Entity: 2,
  Idp: 3,
  KeyDescriptor: 4,
  KeyInfo: 5,
  X509Data: 6,
  X509Certificate: 7
} as const

interface KeyDraft {
  readonly use: string | undefined
  readonly certificates: string[]
  /** Set when a ds:X509Certificate held an element: its content is not a base64 text. */
  elementInCertificate: boolean
}

interface IdpDraft {
  readonly wantAuthnRequestsSigned: string | undefined
  readonly services: Array<{ readonly binding: string | undefined; readonly location: string | undefined }>
  readonly keys: KeyDraft[]
  certificateCount: number
}

interface EntityDraft {
  readonly entityId: string | undefined
  readonly validUntil: string | undefined
  readonly cacheDuration: string | undefined
  /** Whether this entity's IdP descriptor is recorded (all entities, or only the one `options.entityId` names). */
  readonly collect: boolean
  /** The first IDPSSODescriptor listing the SAML 2.0 protocol (recorded only when `collect`). */
  idp: IdpDraft | undefined
  hasIdp: boolean
  /** IDPSSODescriptors without the SAML 2.0 protocol (SAML 1.x / Shibboleth 1.3 only): not usable. */
  otherIdps: number
}

interface Scope {
  readonly validUntil: string | undefined
  readonly cacheDuration: string | undefined
}

const XML_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g
/** Attribute values of type anyURI / boolean collapse whitespace: leading and trailing spaces are not part of them. */
const trimXml = (s: string): string => s.replace(XML_SPACE, "")

/** An unprefixed attribute (no namespace), the only kind the metadata schema defines on these elements. */
const attribute = (tag: SaxesTagNS, name: string): string | undefined => {
  const a = tag.attributes[name]
  return a !== undefined && a.uri === "" ? a.value : undefined
}

const describeTag = (tag: SaxesTagNS): string =>
  tag.uri === ""
    ? `${quote(tag.local, 40)} (no namespace)`
    : `${quote(tag.local, 40)} in ${quote(tag.uri, 80)}`

// ---------------------------------------------------------------------------------------------------
// The pass

const parse = (xml: string, options: ParseOptions): IdpMetadata => {
  const maxInputBytes = options.maxInputBytes ?? Limits.defaultMaxInputBytes
  if (!Number.isSafeInteger(maxInputBytes) || maxInputBytes < 0) {
    fail("InvalidOptions", "options.maxInputBytes must be a non-negative safe integer")
  }
  if (options.entityId !== undefined && typeof options.entityId !== "string") {
    fail("InvalidOptions", "options.entityId must be a string")
  }
  if (typeof xml !== "string") fail("MalformedXml", `the metadata must be a string, not ${typeof xml}`)
  const excess = utf8Excess(xml, maxInputBytes)
  if (excess !== undefined) fail("InputTooLarge", `the metadata is ${excess}; the limit is ${maxInputBytes}`)
  // Pasted metadata often starts with a newline before the XML declaration, which XML forbids; leading
  // whitespace carries nothing, so it is dropped (a byte order mark is the parser's to skip).
  const start = xml.search(/[^ \t\r\n]/)
  if (start < 0) fail("MalformedXml", "the metadata is empty")
  const text = start === 0 ? xml : xml.slice(start)

  const wanted = options.entityId
  const stack: number[] = []
  const scopes: Scope[] = []
  const entities: EntityDraft[] = []
  let rootSeen = false
  let elements = 0
  let entity: EntityDraft | undefined
  let idp: IdpDraft | undefined
  let key: KeyDraft | undefined
  let certificateText: string[] | undefined

  const parser = new SaxesParser({ xmlns: true })

  parser.on("doctype", () =>
    fail(
      "DoctypeForbidden",
      "a DOCTYPE is not allowed in SAML metadata (entity declarations could expand or fetch content); remove it"
    )
  )

  // Caps that must hold before the parser does more work for an element (its namespace look-up walks
  // every open element): checked as the element starts.
  parser.on("opentagstart", () => {
    if (stack.length >= Limits.maxDepth) {
      fail("TooDeep", `elements are nested deeper than ${Limits.maxDepth} levels`, "maxDepth")
    }
    if (++elements > Limits.maxElements) {
      fail("LimitExceeded", `the metadata has more than ${Limits.maxElements} elements`, "maxElements")
    }
  })

  parser.on("opentag", (tag) => {
    for (const name in tag.attributes) {
      const a = tag.attributes[name]!
      if (a.value.length > Limits.maxAttributeLength) {
        fail(
          "LimitExceeded",
          `attribute ${quote(name, 40)} of ${quote(tag.name, 40)} is ${a.value.length} characters long; the limit is ${Limits.maxAttributeLength}`,
          "maxAttributeLength"
        )
      }
    }
    stack.push(open(tag))
  })

  const open = (tag: SaxesTagNS): number => {
    const md = tag.uri === MetadataNamespace
    const ds = tag.uri === XmlDsigNamespace
    const parent = stack.length === 0 ? undefined : stack[stack.length - 1]!
    if (parent === undefined) {
      rootSeen = true
      if (md && tag.local === "EntitiesDescriptor") return openEntities(tag)
      if (md && tag.local === "EntityDescriptor") return openEntity(tag)
      return fail(
        "NoEntityDescriptor",
        `the root element is ${describeTag(tag)}, not a SAML metadata EntityDescriptor or EntitiesDescriptor (${MetadataNamespace})`
      )
    }
    switch (parent) {
      case Kind.Entities:
        if (md && tag.local === "EntitiesDescriptor") return openEntities(tag)
        if (md && tag.local === "EntityDescriptor") return openEntity(tag)
        return Kind.Other
      case Kind.Entity:
        return md && tag.local === "IDPSSODescriptor" ? openIdp(tag) : Kind.Other
      case Kind.Idp:
        if (md && tag.local === "KeyDescriptor") {
          if (idp!.keys.length >= Limits.maxKeyDescriptors) {
            fail(
              "LimitExceeded",
              `an IDPSSODescriptor has more than ${Limits.maxKeyDescriptors} KeyDescriptors`,
              "maxKeyDescriptors"
            )
          }
          key = { use: attribute(tag, "use"), certificates: [], elementInCertificate: false }
          idp!.keys.push(key)
          return Kind.KeyDescriptor
        }
        if (md && tag.local === "SingleSignOnService") {
          if (idp!.services.length >= Limits.maxSingleSignOnServices) {
            fail(
              "LimitExceeded",
              `an IDPSSODescriptor has more than ${Limits.maxSingleSignOnServices} SingleSignOnServices`,
              "maxSingleSignOnServices"
            )
          }
          const binding = attribute(tag, "Binding")
          const location = attribute(tag, "Location")
          idp!.services.push({
            binding: binding === undefined ? undefined : trimXml(binding),
            location: location === undefined ? undefined : trimXml(location)
          })
        }
        return Kind.Other
      case Kind.KeyDescriptor:
        return ds && tag.local === "KeyInfo" ? Kind.KeyInfo : Kind.Other
      case Kind.KeyInfo:
        return ds && tag.local === "X509Data" ? Kind.X509Data : Kind.Other
      case Kind.X509Data:
        if (ds && tag.local === "X509Certificate") {
          if (++idp!.certificateCount > Limits.maxCertificates) {
            fail(
              "LimitExceeded",
              `an IDPSSODescriptor has more than ${Limits.maxCertificates} ds:X509Certificate elements`,
              "maxCertificates"
            )
          }
          certificateText = []
          return Kind.X509Certificate
        }
        return Kind.Other
      case Kind.X509Certificate:
        key!.elementInCertificate = true
        return Kind.Other
      default:
        return Kind.Other
    }
  }

  const openEntities = (tag: SaxesTagNS): number => {
    const outer = scopes[scopes.length - 1]
    scopes.push({
      validUntil: attribute(tag, "validUntil") ?? outer?.validUntil,
      cacheDuration: attribute(tag, "cacheDuration") ?? outer?.cacheDuration
    })
    return Kind.Entities
  }

  const openEntity = (tag: SaxesTagNS): number => {
    const outer = scopes[scopes.length - 1]
    const raw = attribute(tag, "entityID")
    const entityId = raw === undefined ? undefined : trimXml(raw)
    entity = {
      entityId,
      validUntil: attribute(tag, "validUntil") ?? outer?.validUntil,
      cacheDuration: attribute(tag, "cacheDuration") ?? outer?.cacheDuration,
      collect: wanted === undefined || entityId === wanted,
      idp: undefined,
      hasIdp: false,
      otherIdps: 0
    }
    entities.push(entity)
    return Kind.Entity
  }

  const openIdp = (tag: SaxesTagNS): number => {
    const e = entity!
    const protocols = attribute(tag, "protocolSupportEnumeration")?.split(/[ \t\r\n]+/) ?? []
    if (!protocols.includes(SAML2_PROTOCOL)) {
      e.otherIdps++
      return Kind.Other
    }
    // An entity with two SAML 2.0 IdP descriptors (never seen) is read from its first.
    if (e.hasIdp || !e.collect) {
      e.hasIdp = true
      return Kind.Other
    }
    e.hasIdp = true
    idp = {
      wantAuthnRequestsSigned: attribute(tag, "WantAuthnRequestsSigned"),
      services: [],
      keys: [],
      certificateCount: 0
    }
    e.idp = idp
    return Kind.Idp
  }

  const onText = (t: string) => {
    if (certificateText !== undefined && stack[stack.length - 1] === Kind.X509Certificate)
      certificateText.push(t)
  }
  parser.on("text", onText)
  parser.on("cdata", onText)

  parser.on("closetag", () => {
    switch (stack.pop()) {
      case Kind.Entities:
        scopes.pop()
        break
      case Kind.Entity:
        entity = undefined
        break
      case Kind.Idp:
        idp = undefined
        break
      case Kind.KeyDescriptor:
        key = undefined
        break
      case Kind.X509Certificate:
        key!.certificates.push(certificateText!.join(""))
        certificateText = undefined
        break
    }
  })

  try {
    parser.write(text).close()
  } catch (e) {
    if (e instanceof Stop) throw e
    if (e instanceof Error) fail("MalformedXml", `not well-formed XML: ${e.message.slice(0, 200)}`)
    throw e
  }
  if (!rootSeen) fail("MalformedXml", "no root element")
  return choose(entities, wanted)
}

// ---------------------------------------------------------------------------------------------------
// Choosing the entity, then checking and decoding what certory reads from it

const listed = (entities: ReadonlyArray<EntityDraft>): string => {
  const names = entities
    .slice(0, 3)
    .map((e) => (e.entityId === undefined ? "(no entityID)" : quote(e.entityId)))
  return names.join(", ") + (entities.length > 3 ? `, ... (${entities.length - 3} more)` : "")
}

const choose = (entities: ReadonlyArray<EntityDraft>, wanted: string | undefined): IdpMetadata => {
  if (entities.length === 0) fail("NoEntityDescriptor", "the EntitiesDescriptor holds no EntityDescriptor")
  const lone = entities.length === 1
  if (wanted !== undefined) {
    const named = entities.filter((e) => e.collect)
    if (named.length === 0) {
      fail(
        "EntityNotFound",
        `no EntityDescriptor has entityID ${quote(wanted)} (${entities.length} ${lone ? "entity" : "entities"}: ${listed(entities)})`
      )
    }
    const idps = named.filter((e) => e.idp !== undefined)
    if (idps.length === 0) fail("NoIdpDescriptor", noIdp(named[0]!))
    if (idps.length > 1) {
      fail("AmbiguousIdp", `${idps.length} IdP entities have entityID ${quote(wanted)}`)
    }
    return read(idps[0]!)
  }
  const idps = entities.filter((e) => e.hasIdp)
  if (idps.length === 0) {
    fail(
      "NoIdpDescriptor",
      lone
        ? noIdp(entities[0]!)
        : `none of the aggregate's ${entities.length} entities has an IDPSSODescriptor supporting SAML 2.0`
    )
  }
  if (idps.length > 1) {
    fail(
      "AmbiguousIdp",
      `the aggregate holds ${idps.length} IdP entities (${listed(idps)}); pass options.entityId to choose one`
    )
  }
  return read(idps[0]!)
}

const noIdp = (e: EntityDraft): string =>
  `the EntityDescriptor ${e.entityId === undefined ? "" : `${quote(e.entityId)} `}has no IDPSSODescriptor supporting SAML 2.0` +
  (e.otherIdps > 0 ? ` (${e.otherIdps} for other protocols only)` : "")

const parseBoolean = (raw: string | undefined): boolean => {
  if (raw === undefined) return false
  switch (trimXml(raw)) {
    case "true":
    case "1":
      return true
    case "false":
    case "0":
      return false
    default:
      return fail("InvalidMetadata", `WantAuthnRequestsSigned is ${quote(raw, 20)}, not an xs:boolean`)
  }
}

const read = (e: EntityDraft): IdpMetadata => {
  const idp = e.idp!
  if (e.entityId === undefined || e.entityId === "") {
    fail("InvalidMetadata", "the IdP's EntityDescriptor has no entityID")
  }
  const entityId = e.entityId!
  const services: SingleSignOnService[] = []
  idp.services.forEach((s, i) => {
    if (s.binding === undefined || s.binding === "") {
      fail("InvalidMetadata", `SingleSignOnService ${i + 1} has no Binding`)
    }
    if (s.location === undefined || s.location === "") {
      fail("InvalidMetadata", `SingleSignOnService ${i + 1} has no Location`)
    }
    services.push({ binding: s.binding!, location: s.location! })
  })
  const first = services[0]
  if (first === undefined) fail("InvalidMetadata", "the IDPSSODescriptor has no SingleSignOnService")
  const loginUrl = (
    services.find((s) => s.binding === Bindings.HttpRedirect) ??
    services.find((s) => s.binding === Bindings.HttpPost) ??
    first!
  ).location
  const wantAuthnRequestsSigned = parseBoolean(idp.wantAuthnRequestsSigned)

  const signing = new Certificates()
  const encryption = new Certificates()
  let encryptionKeys = 0
  idp.keys.forEach((k, i) => {
    const where = `KeyDescriptor ${i + 1}`
    if (k.use !== undefined && k.use !== "signing" && k.use !== "encryption") {
      fail("InvalidMetadata", `${where} has use=${quote(k.use, 20)}; only "signing" and "encryption" exist`)
    }
    if (k.elementInCertificate) {
      fail("InvalidMetadata", `${where}: a ds:X509Certificate contains an element instead of base64 text`)
    }
    if (k.use === "encryption") encryptionKeys++
    const into = k.use === "encryption" ? encryption : signing
    k.certificates.forEach((text, j) => {
      const decoded = decodeBase64(text)
      if (!decoded.ok) {
        fail("InvalidBase64", `${where} (${k.use ?? "no use"}), certificate ${j + 1}: ${decoded.reason}`)
      } else into.add(decoded.bytes)
    })
  })
  if (signing.list.length === 0) {
    fail(
      "NoSigningCertificate",
      `the IdP ${quote(entityId)} has no signing certificate (a KeyDescriptor with use="signing" or no use, holding a ds:X509Certificate)` +
        (encryptionKeys > 0 ? `; it has ${encryptionKeys} encryption-only KeyDescriptor(s)` : "")
    )
  }
  return {
    entityId,
    singleSignOnServices: services,
    loginUrl,
    wantAuthnRequestsSigned,
    signingCertificates: signing.list,
    encryptionCertificates: encryption.list,
    ...(e.validUntil === undefined ? {} : { validUntil: e.validUntil }),
    ...(e.cacheDuration === undefined ? {} : { cacheDuration: e.cacheDuration })
  }
}

/** Certificates in first-seen order, each distinct byte string once. */
class Certificates {
  readonly list: Uint8Array[] = []
  private readonly seen = new Set<string>()
  add(bytes: Uint8Array): void {
    let key = ""
    // Chunks keep String.fromCharCode's argument count small; the key is the bytes as Latin-1.
    for (let i = 0; i < bytes.length; i += 8192) {
      key += String.fromCharCode(...bytes.subarray(i, i + 8192))
    }
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.list.push(bytes)
  }
}
