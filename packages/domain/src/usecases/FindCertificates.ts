/**
 * Find certificates by any spelling of a fingerprint (SHA-1, SHA-256, of the certificate or its public
 * key) or serial, across owners. The caller sees only the bindings it may read; a certificate none of
 * whose bindings it may read is not revealed at all, not even as existing.
 */
import { Effect } from "effect"
import { allows } from "../Authorization.js"
import type { Binding, Certificate } from "../Certificate.js"
import { CertificateParser } from "../CertificateParser.js"
import { CertificateStore, type LookupKind } from "../CertificateStore.js"
import type { Principal } from "../Principal.js"

export interface Found {
  readonly certificate: Certificate
  readonly bindings: ReadonlyArray<Binding>
  /** How the text matched (the first reading that found it). */
  readonly matchedBy: LookupKind
}

export const findCertificates = Effect.fn("findCertificates")(function* (principal: Principal, text: string) {
  const parser = yield* CertificateParser
  const store = yield* CertificateStore
  const keys = yield* parser.normalizeLookup(text)
  const found = new Map<string, Found>()
  for (const key of keys) {
    for (const hit of yield* store.find(key.kind, key.value)) {
      if (found.has(hit.certificate.sha256)) continue
      const bindings = hit.bindings.filter((binding) => allows(principal, binding.owner, "read"))
      if (bindings.length > 0) found.set(hit.certificate.sha256, { ...hit, bindings, matchedBy: key.kind })
    }
  }
  return [...found.values()]
})
