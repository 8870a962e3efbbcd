/**
 * The contract's cases about what external IdPs add: the SAML configuration on the owner and the PEM
 * text kept with a binding (migration 4 on the SQL stores) round trip unchanged through every read.
 */
import { Certificate as C, Ids, Owner as O } from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect, Option } from "effect"
import {
  type Area,
  attributes,
  encodeBinding,
  encodeOwner,
  newCertificateId,
  newIdp,
  ownerOf
} from "./Support.js"

const saml = O.SamlConfig.make({
  entityId: "https://sts.windows.net/0b2d4e8a-5c1f-4e2b-9a7d-3f6c8e1a2b4c/",
  loginUrl: "https://login.microsoftonline.com/0b2d4e8a-5c1f-4e2b-9a7d-3f6c8e1a2b4c/saml2?tenant=1&x=é",
  wantRequestSigned: true
})

/** Text as clients send it: CRLF, a comment with non-ASCII (a surrogate pair too) before and after. */
const sent = (der: Uint8Array, pad = 0) => {
  const b64 = btoa(String.fromCharCode(...der))
  const lines = b64.match(/.{1,64}/g) ?? []
  return `Bag Attributes: friendlyName=Schlüssel 🔑\r\n-----BEGIN CERTIFICATE-----\r\n${lines.join("\r\n")}\r\n-----END CERTIFICATE-----\r\n# ${"x".repeat(pad)}\r\n`
}

export const register = ({ it, setup, timeout }: Area): void => {
  describe("external IdPs", () => {
    it.effect(
      "an IdP's SAML configuration round trips through create, get, list and update (replace, keep, clear)",
      () =>
        Effect.gen(function* () {
          const { store, parentOf } = yield* setup
          const ref = newIdp()
          yield* parentOf(ref)
          const created = O.Owner.make({ ...ownerOf(ref), saml })
          yield* store.createOwner(created)
          expect(Option.map(yield* store.getOwner(ref), encodeOwner)).toEqual(
            Option.some(encodeOwner(created))
          )
          const listed = yield* store.listOwners({
            identityStoreId: ref.identityStoreId,
            kind: "Idp",
            limit: 10
          })
          expect(listed.items.map((o) => encodeOwner(o))).toEqual([encodeOwner(created)])

          const replaced = O.SamlConfig.make({
            ...saml,
            loginUrl: "http://idp.example/sso",
            wantRequestSigned: false
          })
          const updated = yield* store.updateOwner(ref, { saml: replaced })
          expect(encodeOwner(updated)).toEqual(encodeOwner(O.Owner.make({ ...created, saml: replaced })))
          // Other fields leave it alone.
          const disabled = yield* store.updateOwner(ref, { enabled: false, displayName: "Entra ID" })
          expect(disabled.saml).toEqual(replaced)
          expect(Option.map(yield* store.getOwner(ref), (o) => o.saml)).toEqual(Option.some(replaced))
          const cleared = yield* store.updateOwner(ref, { saml: undefined })
          expect(cleared.saml).toBeUndefined()
          expect(Option.map(yield* store.getOwner(ref), encodeOwner)).toEqual(
            Option.some(encodeOwner(cleared))
          )
          // An IdP created without one has none.
          const plain = newIdp(ref.identityStoreId)
          yield* store.createOwner(ownerOf(plain))
          expect(Option.map(yield* store.getOwner(plain), (o) => o.saml)).toEqual(Option.some(undefined))
        }),
      timeout
    )

    it.effect(
      "the submitted PEM text round trips exactly through bind, getBinding, listBindings, listExpiring and find",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, listAll, findAll } = yield* setup
          const ref = yield* owner(newIdp())
          const ec = corpus.one("ec")
          const ed = corpus.one("ed25519")
          // The largest text a binding keeps, to the unit.
          const small = sent(ec.der)
          const large = sent(ed.der, C.MAX_SUBMITTED_PEM - sent(ed.der).length)
          expect(large.length).toBe(C.MAX_SUBMITTED_PEM)
          const items = [
            {
              certificate: ec,
              attributes: attributes(),
              certificateId: newCertificateId(),
              submittedPem: small
            },
            {
              certificate: ed,
              attributes: attributes(),
              certificateId: newCertificateId(),
              submittedPem: large
            },
            { certificate: corpus.one("rsa"), attributes: attributes(), certificateId: newCertificateId() }
          ]
          const results = yield* bind(ref, items)
          expect(results.map((r) => r.binding.submittedPem)).toEqual([small, large, undefined])

          const expected = new Map(items.map((i) => [i.certificateId as string, i.submittedPem]))
          const check = (bindings: ReadonlyArray<C.Binding>) => {
            for (const b of bindings) expect(b.submittedPem).toBe(expected.get(b.certificateId))
          }
          for (const item of items) {
            const got = Option.getOrThrow(yield* store.getBinding(ref, item.certificateId))
            expect(got.binding.submittedPem).toBe(item.submittedPem)
            expect(encodeBinding(got.binding)).toEqual(
              encodeBinding(results.find((r) => r.binding.certificateId === item.certificateId)!.binding)
            )
          }
          const listed = yield* listAll(ref)
          expect(listed.total).toBe(3)
          check(listed.items.map((i) => i.binding))
          const expiring = yield* store.listExpiring({
            notAfterMax: 253_402_300_799_999,
            scope: { owners: [ref], identityStoreIds: [] },
            limit: 10
          })
          expect(expiring.total).toBe(3)
          check(expiring.items.map((i) => i.binding))
          const found = yield* findAll("sha256", ec.sha256, { owners: [ref], identityStoreIds: [] })
          check(found.flatMap((f) => f.bindings))
          expect(found.flatMap((f) => f.bindings).map((b) => b.submittedPem)).toEqual([small])

          // A binding that exists keeps its first text; a certificate shared with another owner has its own.
          const again = yield* bind(ref, [
            {
              certificate: ec,
              attributes: attributes(),
              certificateId: newCertificateId(),
              submittedPem: "other"
            }
          ])
          expect(again[0]!.created).toBe(false)
          expect(again[0]!.binding.submittedPem).toBe(small)
          const other = yield* owner(newIdp())
          const [elsewhere] = yield* bind(other, [
            { certificate: ec, attributes: attributes(), certificateId: newCertificateId() }
          ])
          expect(elsewhere!.binding.submittedPem).toBeUndefined()
          expect(
            Option.map(yield* store.getBinding(ref, items[0]!.certificateId), (i) => i.binding.submittedPem)
          ).toEqual(Option.some(small))
          expect(Ids.ownerKey(elsewhere!.binding.owner)).toBe(Ids.ownerKey(other))
        }),
      timeout
    )
  })
}
