/**
 * External IdPs: createIdp (configuration and certificates in one call, nothing left behind when it
 * fails), the SAML configuration on CreateOwner / UpdateOwner, and the PEM text ImportCertificates
 * keeps with a binding.
 */
import {
  CreateIdp,
  CreateOwner,
  Errors,
  GetOwner,
  type Ids,
  ImportCertificates,
  ListOwnerCertificates,
  CertificateStore as Store,
  UpdateOwner
} from "@certory/domain"
import { MemoryCertificateStore } from "@certory/storage-memory"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import {
  admin,
  Corpus,
  card,
  createOwners,
  delegate,
  fixture,
  fresh,
  identityStore,
  idp,
  importAs,
  shared
} from "../support.js"

const saml = {
  entityId: "http://www.okta.com/exk3qwgtjhetR2Od0000",
  loginUrl: "https://example.okta.com/app/example/sso/saml",
  wantRequestSigned: false
}

const bindings = (owner: Ids.OwnerRef) =>
  ListOwnerCertificates.listOwnerCertificates(admin, { owner }).pipe(Effect.map((page) => page.items))

/** A PEM fixture as another client writes it: CRLF line ends, a comment before and after. */
const pemAsSent = (name: "ec" | "rsa" | "ed25519") => {
  const text = fixture(name)
  if (typeof text !== "string") throw new Error("a PEM fixture")
  return `subject=example\r\n${text.trimEnd().replaceAll("\n", "\r\n")}\r\n# exported by hand\r\n`
}

/** The memory store with `bind` failing: what compensation is for. */
const bindFails = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const inner = yield* MemoryCertificateStore.make
    const store: Store.CertificateStore["Type"] = {
      ...inner,
      bind: () => Effect.fail(new Errors.WriteConflict({ message: "lost to concurrent writers" }))
    }
    return yield* Effect.provideService(effect, Store.CertificateStore, store)
  })

layer(shared)("external IdPs", (it) => {
  describe("createIdp", () => {
    it.effect("creates the IdP with its configuration and binds each certificate once, in order", () =>
      fresh(
        Effect.gen(function* () {
          const corpus = yield* Corpus
          yield* TestClock.setTime(1_760_000_000_000)
          yield* createOwners(identityStore("d-1"))
          const der = fixture("adcsUserDer")
          const created = yield* CreateIdp.createIdp(
            delegate("d-1"),
            {
              ref: idp("d-1", "okta"),
              saml,
              enabled: false,
              certificates: [pemAsSent("ec"), der, der]
            },
            { origin: "external", source: "metadata" }
          )
          expect(created.owner.enabled).toBe(false)
          expect(created.owner.saml).toEqual(saml)
          expect(created.bound.map((b) => b.certificate.sha256)).toEqual([
            corpus.one("ec").sha256,
            corpus.one("adcsUserDer").sha256
          ])
          expect(created.bound[0]!.binding.submittedPem).toBe(pemAsSent("ec"))
          expect(created.bound[1]!.binding.submittedPem).toBeUndefined()
          expect(created.bound.map((b) => [b.binding.origin, b.binding.source, b.binding.use])).toEqual([
            ["external", "metadata", "signing"],
            ["external", "metadata", "signing"]
          ])
          const listed = yield* bindings(idp("d-1", "okta"))
          expect(listed.map((i) => i.binding.certificateId).sort()).toEqual(
            created.bound.map((b) => b.binding.certificateId).sort()
          )
          const got = yield* GetOwner.getOwner(admin, idp("d-1", "okta"))
          expect(got.saml).toEqual(saml)
        })
      )
    )

    it.effect("without certificates: the IdP and its configuration only", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(identityStore("d-1"))
          const created = yield* CreateIdp.createIdp(admin, { ref: idp("d-1", "x"), saml, certificates: [] })
          expect(created.bound).toEqual([])
          expect(created.owner.enabled).toBe(true)
        })
      )
    )

    it.effect("more distinct certificates than an IdP holds: CertificateLimitReached, nothing created", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(identityStore("d-1"))
          const error = yield* CreateIdp.createIdp(admin, {
            ref: idp("d-1", "x"),
            saml,
            certificates: [fixture("ec"), fixture("ed25519"), fixture("rsa")]
          }).pipe(Effect.flip)
          expect(error).toEqual(new Errors.CertificateLimitReached({ owner: "idp:d-1/x", limit: 2 }))
          const store = yield* Store.CertificateStore
          expect(Option.isNone(yield* store.getOwner(idp("d-1", "x")))).toBe(true)
        })
      )
    )

    it.effect("an entry that is not ONE certificate: InvalidCertificate naming it, nothing created", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(identityStore("d-1"))
          const store = yield* Store.CertificateStore
          const chain = yield* CreateIdp.createIdp(admin, {
            ref: idp("d-1", "x"),
            certificates: [fixture("ec"), fixture("chain")]
          }).pipe(Effect.flip)
          expect(chain._tag).toBe("InvalidCertificate")
          expect(chain.message).toContain("certificate 2 holds 2 certificates")
          const garbage = yield* CreateIdp.createIdp(admin, {
            ref: idp("d-1", "x"),
            certificates: ["not a certificate"]
          }).pipe(Effect.flip)
          expect(garbage._tag).toBe("InvalidCertificate")
          expect(Option.isNone(yield* store.getOwner(idp("d-1", "x")))).toBe(true)
        })
      )
    )

    it.effect("the bind fails: the owner this call created is removed again, the error is the caller's", () =>
      bindFails(
        Effect.gen(function* () {
          const store = yield* Store.CertificateStore
          yield* createOwners(identityStore("d-1"))
          const error = yield* CreateIdp.createIdp(admin, {
            ref: idp("d-1", "x"),
            saml,
            certificates: [fixture("ec")]
          }).pipe(Effect.flip)
          expect(error._tag).toBe("WriteConflict")
          expect(Option.isNone(yield* store.getOwner(idp("d-1", "x")))).toBe(true)
          expect(Option.isSome(yield* store.getOwner(identityStore("d-1")))).toBe(true)
        })
      )
    )

    it.effect("an existing IdP is OwnerAlreadyExists and keeps what it had", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(identityStore("d-1"), idp("d-1", "x"))
          yield* importAs(idp("d-1", "x"), fixture("ed25519"))
          const error = yield* CreateIdp.createIdp(admin, {
            ref: idp("d-1", "x"),
            saml,
            certificates: [fixture("ec")]
          }).pipe(Effect.flip)
          expect(error._tag).toBe("OwnerAlreadyExists")
          expect((yield* bindings(idp("d-1", "x"))).length).toBe(1)
        })
      )
    )

    it.effect("access first: another store's delegate is AccessDenied whether the store exists or not", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(identityStore("d-1"))
          for (const ref of [idp("d-1", "x"), idp("d-9", "x")]) {
            const error = yield* CreateIdp.createIdp(delegate("d-2"), {
              ref,
              certificates: ["not even a certificate"]
            }).pipe(Effect.flip)
            expect(error._tag).toBe("AccessDenied")
          }
          const missingStore = yield* CreateIdp.createIdp(admin, {
            ref: idp("d-9", "x"),
            certificates: [fixture("ec")]
          }).pipe(Effect.flip)
          expect(missingStore).toEqual(new Errors.OwnerNotFound({ owner: "identity-store:d-9" }))
        })
      )
    )
  })

  describe("SAML configuration", () => {
    it.effect("set at creation, replaced and cleared by updateOwner; IdPs only; validated", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(identityStore("d-1"))
          const created = yield* CreateOwner.createOwner(admin, { ref: idp("d-1", "x"), saml })
          expect(created.saml).toEqual(saml)
          const replaced = { ...saml, loginUrl: "https://idp.example/sso", wantRequestSigned: true }
          const updated = yield* UpdateOwner.updateOwner(admin, idp("d-1", "x"), { saml: replaced })
          expect(updated.saml).toEqual(replaced)
          const disabled = yield* UpdateOwner.updateOwner(admin, idp("d-1", "x"), { enabled: false })
          expect(disabled.saml).toEqual(replaced)
          const cleared = yield* UpdateOwner.updateOwner(admin, idp("d-1", "x"), { saml: undefined })
          expect(cleared.saml).toBeUndefined()

          const notIdp = yield* CreateOwner.createOwner(admin, { ref: card(1), saml }).pipe(Effect.flip)
          expect(notIdp._tag).toBe("InvalidRequest")
          yield* createOwners(card(1))
          const update = yield* UpdateOwner.updateOwner(admin, card(1), { saml }).pipe(Effect.flip)
          expect(update._tag).toBe("InvalidRequest")

          for (const bad of [
            { ...saml, entityId: "" },
            { ...saml, entityId: "x".repeat(1025) },
            { ...saml, entityId: "nul\u0000" },
            { ...saml, loginUrl: "http://169.254.169.254/latest/meta-data/" },
            { ...saml, loginUrl: "javascript:alert(1)" },
            { ...saml, loginUrl: "https://user:pw@idp.example/sso" }
          ]) {
            const error = yield* UpdateOwner.updateOwner(admin, idp("d-1", "x"), { saml: bad }).pipe(
              Effect.flip
            )
            expect(error._tag).toBe("InvalidRequest")
          }
        })
      )
    )
  })

  describe("the PEM text a binding keeps", () => {
    it.effect("one PEM certificate: kept exactly; DER, several blocks, PKCS#7 or NUL: none", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1), card(2), card(3), card(4), card(5))
          const [sent] = yield* importAs(card(1), pemAsSent("ec"))
          expect(sent!.binding.submittedPem).toBe(pemAsSent("ec"))
          const [listed] = yield* bindings(card(1))
          expect(listed!.binding.submittedPem).toBe(pemAsSent("ec"))

          const [der] = yield* importAs(card(2), fixture("adcsUserDer"))
          expect(der!.binding.submittedPem).toBeUndefined()
          const chain = yield* importAs(card(3), fixture("chain"))
          expect(chain.map((i) => i.binding.submittedPem)).toEqual([undefined, undefined])
          const [pkcs7] = yield* importAs(card(4), fixture("pkcs7"))
          expect(pkcs7!.binding.submittedPem).toBeUndefined()
          const [nul] = yield* importAs(card(5), `${fixture("ec")}\u0000`)
          expect(nul!.outcome).toBe("created")
          expect(nul!.binding.submittedPem).toBeUndefined()

          // Already bound: the first text stays.
          const [again] = yield* importAs(card(1), fixture("ec"))
          expect(again!.outcome).toBe("alreadyBound")
          expect(again!.binding.submittedPem).toBe(pemAsSent("ec"))
        })
      )
    )

    it.effect("`single` refuses an input of several certificates and binds nothing", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const error = yield* ImportCertificates.importCertificates(admin, {
            owner: card(1),
            input: fixture("chain"),
            single: true
          }).pipe(Effect.flip)
          expect(error._tag).toBe("InvalidCertificate")
          expect((yield* bindings(card(1))).length).toBe(0)
        })
      )
    )
  })
})
