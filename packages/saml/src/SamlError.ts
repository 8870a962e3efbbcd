/**
 * The typed failures of `parseIdpMetadata`. Plain objects (not Error instances) so they cross a worker
 * boundary or a JSON response unchanged; the message says what failed on one printable line of under
 * 1 KB, quoting at most a short prefix of anything that came from the input.
 */
import { type Limit, Limits } from "./Limits.js"

export type SamlErrorCode =
  /** The input is over `maxInputBytes` of UTF-8; nothing was parsed. */
  | "InputTooLarge"
  /** A DOCTYPE (and so any ENTITY declaration): refused when met, before anything in it is used. */
  | "DoctypeForbidden"
  /** Not a string, empty, or not well-formed XML 1.0 with namespaces (unbound prefix, undefined entity, ...). */
  | "MalformedXml"
  /** Elements nested deeper than `Limits.maxDepth`. */
  | "TooDeep"
  /** Past another cap of `Limits` (named in `limit`): elements, attribute length, KeyDescriptors, certificates, SSO services. */
  | "LimitExceeded"
  /** The root is not a SAML metadata EntityDescriptor or EntitiesDescriptor (by namespace URI), or the aggregate is empty. */
  | "NoEntityDescriptor"
  /** `options.entityId` names no EntityDescriptor of the input. */
  | "EntityNotFound"
  /** The entity (or every entity of the aggregate) has no IDPSSODescriptor supporting the SAML 2.0 protocol. */
  | "NoIdpDescriptor"
  /** An aggregate holds several IdP entities (the message says how many) and `options.entityId` was not given. */
  | "AmbiguousIdp"
  /** The chosen IdP breaks the metadata schema where certory reads it (no entityID, an SSO service without Location, ...). */
  | "InvalidMetadata"
  /** The IdP has no KeyDescriptor for signing (`use="signing"` or no `use`) holding a ds:X509Certificate. */
  | "NoSigningCertificate"
  /** A ds:X509Certificate of the chosen IdP is empty or not base64. */
  | "InvalidBase64"
  /** `options` out of range (a negative or non-integer `maxInputBytes`). */
  | "InvalidOptions"
  /** A defect of this package (an exception it did not expect); the message carries it. */
  | "InternalError"

export interface SamlError {
  readonly code: SamlErrorCode
  /** One line, printable, under 1 KB of UTF-8. */
  readonly message: string
  /** The cap crossed, for `TooDeep` and `LimitExceeded`. */
  readonly limit?: Limit
}

const SUFFIX = "... (truncated)"

/**
 * A message on one printable line of at most `Limits.maxMessageBytes` UTF-8 bytes: control characters
 * become `\xNN`, lone surrogates U+FFFD, and a longer message is cut (never inside a surrogate pair).
 */
export const capMessage = (message: string): string => {
  // Every UTF-16 unit is at least one UTF-8 byte: cut first, so the work never depends on the input.
  const s = (message.length > Limits.maxMessageBytes ? message.slice(0, Limits.maxMessageBytes + 1) : message)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\uFFFD")
  let bytes = 0
  let cut = -1
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // A surrogate pair is 4 bytes: 2 + 2 here.
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3
    if (cut < 0 && bytes > Limits.maxMessageBytes - SUFFIX.length) cut = i
    if (bytes > Limits.maxMessageBytes) {
      const at = s.charCodeAt(cut) >= 0xdc00 && s.charCodeAt(cut) <= 0xdfff ? cut - 1 : cut
      return s.slice(0, at) + SUFFIX
    }
  }
  return s
}

export const samlError = (code: SamlErrorCode, message: string, limit?: Limit): SamlError =>
  limit === undefined ? { code, message: capMessage(message) } : { code, message: capMessage(message), limit }

/** A short, printable quote of input-derived text for a message: at most `max` characters. */
export const quote = (text: string, max = 64): string =>
  JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text)
