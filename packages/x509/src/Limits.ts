/**
 * The caps on untrusted input. Each sits far above anything a real certificate or bundle needs (the
 * largest value in the shared corpus is given: `node --import tsx bench/CorpusMaxima.ts` measures them)
 * and low enough that the work and memory per input stay small and linear. Going past one is a typed
 * error naming the limit (`LimitExceeded` inside a certificate, `UnsupportedPkcs7` inside a container),
 * or, inside an extension certory only reads for its facts, a warning and that fact left out.
 */
export const Limits = {
  /** Content octets of one OBJECT IDENTIFIER (corpus: 39). Its dotted form then stays under ~520 characters. */
  maxOidBytes: 128,
  /** Octets of one OID arc, 7 bits each (corpus: 5). 32 octets hold 224 bits: a UUID arc (2.25.x) needs 19. */
  maxOidArcBytes: 32,
  /** Extensions in one certificate (corpus: 13). */
  maxExtensions: 256,
  /**
   * Entries of one list inside an extension: SAN / GeneralNames, EKU purposes, CRL distribution points
   * and their names (all points together), AIA access descriptions (corpus: 1,025, BoringSSL's many_names).
   */
  maxNamesPerExtension: 4096,
  /** Attributes in one Name, all RDNs together (corpus: 1,026, BoringSSL's many_names). */
  maxNameAttributes: 4096,
  /** Key sizes reported, in bits (corpus: 4,096; 16,384-bit RSA exists; the domain holds up to 2^20). */
  maxKeyBits: 1_048_576,
  /**
   * Octets of attribute values in all the names of one certificate: subject, issuer and SAN
   * directoryNames (corpus: 32,940, zlint's givenNameOver32768). Bounds the escaping work.
   */
  maxNameBytes: 262_144,
  /** UTCTime / GeneralizedTime content octets (corpus: 19; with nanoseconds and an offset: 28). */
  maxTimeBytes: 64,
  /** Serial number content octets (RFC 5280: 20; corpus: 37). */
  maxSerialBytes: 128,
  /** Levels of BER nesting in a PKCS#7 container (corpus, DER certificates with their encapsulated values: 15). */
  maxNesting: 64,
  /**
   * Certificates in one input, counted before any is read (a 4 MiB input holds ~850 to ~4,000 real
   * TLS certificates; trust stores hold a few hundred). Bounds the facts kept: ~5 KB (a minimal
   * certificate) to ~30 KB (a TLS certificate with 67 names) each.
   */
  maxCertificates: 5_000,
  /** Warnings kept per certificate (the rest are counted in the last one). */
  maxWarnings: 100,
  /** Entries listed by name in a warning or an error (the rest are counted). */
  maxListed: 5,
  /** Longest error message or warning, in UTF-8 bytes (input-derived text is quoted by a short prefix only). */
  maxMessageBytes: 1000
} as const
