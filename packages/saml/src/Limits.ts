/**
 * The caps on untrusted metadata. Each sits far above what real metadata needs and low enough that the
 * work and memory per call stay small and linear in the input. Measured over 65 real metadata files
 * from SAML libraries' test suites (5.2 MB, including two national federation aggregates of 0.9 and
 * 2.4 MB with up to 296 entities): the largest value seen is given with each cap. Going past a cap is
 * `TooDeep` (nesting) or `LimitExceeded` naming the cap, reported as soon as it is crossed.
 */
export const Limits = {
  /** Default of `ParseOptions.maxInputBytes`: UTF-8 bytes of the input, checked before parsing (largest single IdP seen: 38 KB). */
  defaultMaxInputBytes: 1024 * 1024,
  /**
   * Open elements at once (seen: 10). Checked when an element starts, before its namespaces are resolved:
   * the parser's prefix look-up walks the open elements, so nesting is what must stay small.
   */
  maxDepth: 64,
  /** Elements in the document (seen: 15,694 in the 2.4 MB aggregate; a 1 MiB input holds at most ~260,000). */
  maxElements: 50_000,
  /** UTF-16 units of one attribute value (seen: 185). Entity IDs and URLs in the domain are capped at 2,048. */
  maxAttributeLength: 8192,
  /** KeyDescriptors in the chosen kind of descriptor, per IDPSSODescriptor (seen: 3). */
  maxKeyDescriptors: 64,
  /** ds:X509Certificate elements across one IDPSSODescriptor's KeyDescriptors (seen: 3). */
  maxCertificates: 64,
  /** SingleSignOnService elements per IDPSSODescriptor (seen: 5). */
  maxSingleSignOnServices: 64,
  /** Longest error message, in UTF-8 bytes (input-derived text is quoted by a short prefix only). */
  maxMessageBytes: 1000
} as const

export type Limit = Exclude<keyof typeof Limits, "defaultMaxInputBytes" | "maxMessageBytes">
