/**
 * Every use-case against every role. Each row runs on a fresh store and asserts what actually happened:
 * the result (or that the change is visible afterwards) when allowed; AccessDenied, identical for an
 * existing and a missing owner, and no change when denied.
 */
import {
  type CertificateParser,
  type CertificateStore,
  CreateOwner,
  Errors,
  ExpiringCertificates,
  FindCertificates,
  GetOwner,
  Ids,
  ImportCertificates,
  ListOwnerCertificates,
  ListOwners,
  type Principal as P,
  RemoveOwner,
  UnbindCertificate,
  UpdateOwner
} from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either, Option, TestClock } from "effect"
import {
  admin,
  card,
  createOwners,
  delegate,
  fixture,
  fresh,
  identityStore,
  idp,
  importAs,
  nobody,
  operator,
  reader,
  shared
} from "../support.js"

const roles = {
  admin,
  delegate: delegate("d-a"),
  otherDelegate: delegate("d-b"),
  operator: operator(card(1), idp("d-a", "x")),
  reader: reader(card(1), idp("d-a", "x")),
  nobody
} satisfies Record<string, P.Principal>
type Role = keyof typeof roles

/** card(1) holds ec + templateName, idp d-a/x an expired certificate, card(2) ec. Clock: 2024-06-01. */
const world = Effect.gen(function* () {
  yield* createOwners(card(1), card(2), identityStore("d-a"), idp("d-a", "x"), identityStore("d-b"))
  const [c1] = yield* importAs(card(1), `${fixture("ec") as string}${fixture("templateName") as string}`)
  // The IdP holds one expired certificate: importable up to 2, and removable although it is the last.
  const [x1] = yield* importAs(idp("d-a", "x"), fixture("expired"))
  yield* importAs(card(2), fixture("ec"))
  yield* TestClock.setTime(Date.UTC(2024, 5, 1))
  return { card1Binding: c1!.binding.certificateId, idpBinding: x1!.binding.certificateId }
})
type World = Effect.Effect.Success<typeof world>

const exists = (ref: Ids.OwnerRef) =>
  GetOwner.getOwner(admin, ref).pipe(Effect.option, Effect.map(Option.isSome))
const held = (ref: Ids.OwnerRef) =>
  ListOwnerCertificates.listOwnerCertificates(admin, { owner: ref }).pipe(Effect.map((p) => p.total))

type Env = CertificateStore.CertificateStore | CertificateParser.CertificateParser

interface Operation {
  /** Runs as the principal against an existing owner. */
  readonly run: (p: P.Principal, w: World) => Effect.Effect<unknown, unknown, Env>
  /** The same against a missing owner of the same kind. */
  readonly runMissing: (p: P.Principal) => Effect.Effect<unknown, unknown, Env>
  /** The state afterwards, as the administrator sees it: differs between allowed and denied. */
  readonly observe: Effect.Effect<unknown, unknown, Env>
  readonly whenAllowed: unknown
  readonly whenDenied: unknown
}

const op = (o: Operation) => o

const operations = {
  getCard: op({
    run: (p) => GetOwner.getOwner(p, card(1)),
    runMissing: (p) => GetOwner.getOwner(p, card(99)),
    observe: exists(card(1)),
    whenAllowed: true,
    whenDenied: true
  }),
  listCardCertificates: op({
    run: (p) =>
      ListOwnerCertificates.listOwnerCertificates(p, { owner: card(1) }).pipe(Effect.map((x) => x.total)),
    runMissing: (p) => ListOwnerCertificates.listOwnerCertificates(p, { owner: card(99) }),
    observe: held(card(1)),
    whenAllowed: 2,
    whenDenied: 2
  }),
  listIdpCertificates: op({
    run: (p) => ListOwnerCertificates.listOwnerCertificates(p, { owner: idp("d-a", "x") }),
    runMissing: (p) => ListOwnerCertificates.listOwnerCertificates(p, { owner: idp("d-a", "ghost") }),
    observe: held(idp("d-a", "x")),
    whenAllowed: 1,
    whenDenied: 1
  }),
  importToCard: op({
    run: (p) => ImportCertificates.importCertificates(p, { owner: card(1), input: fixture("ed25519") }),
    runMissing: (p) =>
      ImportCertificates.importCertificates(p, { owner: card(99), input: fixture("ed25519") }),
    observe: held(card(1)),
    whenAllowed: 3,
    whenDenied: 2
  }),
  importToIdp: op({
    run: (p) => ImportCertificates.importCertificates(p, { owner: idp("d-a", "x"), input: fixture("ec") }),
    runMissing: (p) =>
      ImportCertificates.importCertificates(p, { owner: idp("d-a", "ghost"), input: fixture("ec") }),
    observe: held(idp("d-a", "x")),
    whenAllowed: 2,
    whenDenied: 1
  }),
  unbindFromCard: op({
    run: (p, w) => UnbindCertificate.unbindCertificate(p, card(1), w.card1Binding),
    runMissing: (p) => UnbindCertificate.unbindCertificate(p, card(99), Ids.CertificateId.make("nope")),
    observe: held(card(1)),
    whenAllowed: 1,
    whenDenied: 2
  }),
  unbindFromIdp: op({
    run: (p, w) => UnbindCertificate.unbindCertificate(p, idp("d-a", "x"), w.idpBinding),
    runMissing: (p) =>
      UnbindCertificate.unbindCertificate(p, idp("d-a", "ghost"), Ids.CertificateId.make("nope")),
    observe: held(idp("d-a", "x")),
    whenAllowed: 0,
    whenDenied: 1
  }),
  createCard: op({
    run: (p) => CreateOwner.createOwner(p, { ref: card(3) }),
    runMissing: (p) => CreateOwner.createOwner(p, { ref: card(4) }),
    observe: exists(card(3)),
    whenAllowed: true,
    whenDenied: false
  }),
  createIdp: op({
    run: (p) => CreateOwner.createOwner(p, { ref: idp("d-a", "y") }),
    runMissing: (p) => CreateOwner.createOwner(p, { ref: idp("d-a", "z") }),
    observe: exists(idp("d-a", "y")),
    whenAllowed: true,
    whenDenied: false
  }),
  createIdentityStore: op({
    run: (p) => CreateOwner.createOwner(p, { ref: identityStore("d-c") }),
    runMissing: (p) => CreateOwner.createOwner(p, { ref: identityStore("d-e") }),
    observe: exists(identityStore("d-c")),
    whenAllowed: true,
    whenDenied: false
  }),
  disableIdp: op({
    run: (p) => UpdateOwner.updateOwner(p, idp("d-a", "x"), { enabled: false }),
    runMissing: (p) => UpdateOwner.updateOwner(p, idp("d-a", "ghost"), { enabled: false }),
    observe: GetOwner.getOwner(admin, idp("d-a", "x")).pipe(Effect.map((o) => o.enabled)),
    whenAllowed: false,
    whenDenied: true
  }),
  renameCard: op({
    run: (p) => UpdateOwner.updateOwner(p, card(1), { displayName: "renamed" }),
    runMissing: (p) => UpdateOwner.updateOwner(p, card(99), { displayName: "renamed" }),
    observe: GetOwner.getOwner(admin, card(1)).pipe(Effect.map((o) => o.displayName ?? null)),
    whenAllowed: "renamed",
    whenDenied: null
  }),
  removeCard: op({
    run: (p) => RemoveOwner.removeOwner(p, card(1)),
    runMissing: (p) => RemoveOwner.removeOwner(p, card(99)),
    observe: exists(card(1)),
    whenAllowed: false,
    whenDenied: true
  }),
  removeIdp: op({
    run: (p) => RemoveOwner.removeOwner(p, idp("d-a", "x")),
    runMissing: (p) => RemoveOwner.removeOwner(p, idp("d-a", "ghost")),
    observe: exists(idp("d-a", "x")),
    whenAllowed: false,
    whenDenied: true
  }),
  removeIdentityStore: op({
    run: (p) => RemoveOwner.removeOwner(p, identityStore("d-a")),
    runMissing: (p) => RemoveOwner.removeOwner(p, identityStore("d-zz")),
    observe: exists(identityStore("d-a")),
    whenAllowed: false,
    whenDenied: true
  })
}
type OperationName = keyof typeof operations

const A = "allowed" as const
const D = "denied" as const
const matrix: Record<Role, Record<OperationName, typeof A | typeof D>> = {
  admin: {
    getCard: A,
    listCardCertificates: A,
    listIdpCertificates: A,
    importToCard: A,
    importToIdp: A,
    unbindFromCard: A,
    unbindFromIdp: A,
    createCard: A,
    createIdp: A,
    createIdentityStore: A,
    disableIdp: A,
    renameCard: A,
    removeCard: A,
    removeIdp: A,
    removeIdentityStore: A
  },
  delegate: {
    getCard: D,
    listCardCertificates: D,
    listIdpCertificates: A,
    importToCard: D,
    importToIdp: A,
    unbindFromCard: D,
    unbindFromIdp: A,
    createCard: D,
    createIdp: A,
    createIdentityStore: D,
    disableIdp: A,
    renameCard: D,
    removeCard: D,
    removeIdp: A,
    removeIdentityStore: D
  },
  otherDelegate: {
    getCard: D,
    listCardCertificates: D,
    listIdpCertificates: D,
    importToCard: D,
    importToIdp: D,
    unbindFromCard: D,
    unbindFromIdp: D,
    createCard: D,
    createIdp: D,
    createIdentityStore: D,
    disableIdp: D,
    renameCard: D,
    removeCard: D,
    removeIdp: D,
    removeIdentityStore: D
  },
  operator: {
    getCard: A,
    listCardCertificates: A,
    listIdpCertificates: A,
    importToCard: A,
    importToIdp: A,
    unbindFromCard: A,
    unbindFromIdp: A,
    createCard: D,
    createIdp: D,
    createIdentityStore: D,
    disableIdp: D,
    renameCard: D,
    removeCard: D,
    removeIdp: D,
    removeIdentityStore: D
  },
  reader: {
    getCard: A,
    listCardCertificates: A,
    listIdpCertificates: A,
    importToCard: D,
    importToIdp: D,
    unbindFromCard: D,
    unbindFromIdp: D,
    createCard: D,
    createIdp: D,
    createIdentityStore: D,
    disableIdp: D,
    renameCard: D,
    removeCard: D,
    removeIdp: D,
    removeIdentityStore: D
  },
  nobody: {
    getCard: D,
    listCardCertificates: D,
    listIdpCertificates: D,
    importToCard: D,
    importToIdp: D,
    unbindFromCard: D,
    unbindFromIdp: D,
    createCard: D,
    createIdp: D,
    createIdentityStore: D,
    disableIdp: D,
    renameCard: D,
    removeCard: D,
    removeIdp: D,
    removeIdentityStore: D
  }
}

layer(shared)("authorization", (it) => {
  describe("every use-case x role", () => {
    for (const [role, row] of Object.entries(matrix) as ReadonlyArray<[Role, (typeof matrix)[Role]]>) {
      for (const [name, expected] of Object.entries(row) as ReadonlyArray<
        [OperationName, typeof A | typeof D]
      >) {
        it.effect(`${role} ${name}: ${expected}`, () =>
          fresh(
            Effect.gen(function* () {
              const operation = operations[name]
              const principal = roles[role]
              const w = yield* world
              const result = yield* Effect.either(operation.run(principal, w))
              if (expected === A) {
                expect(Either.isRight(result), String(Either.isLeft(result) && result.left)).toBe(true)
                expect(yield* operation.observe).toEqual(operation.whenAllowed)
              } else {
                expect(Either.isLeft(result) && result.left).toBeInstanceOf(Errors.AccessDenied)
                expect(yield* operation.observe).toEqual(operation.whenDenied)
                // A missing owner is denied the same way: nothing tells the caller it does not exist.
                const missing = yield* Effect.flip(operation.runMissing(principal))
                expect(missing).toBeInstanceOf(Errors.AccessDenied)
                const shape = (e: unknown) => (e as Errors.AccessDenied).message.replace(/ \S+$/, " <owner>")
                expect(shape(missing)).toBe(shape(Either.isLeft(result) ? result.left : undefined))
              }
            })
          )
        )
      }
    }
  })
})

layer(shared)("authorization: cross-owner visibility", (it) => {
  const visibleOwners = (
    found: ReadonlyArray<{ readonly bindings: ReadonlyArray<{ readonly owner: Ids.OwnerRef }> }>
  ) => found.flatMap((f) => f.bindings.map((b) => Ids.ownerKey(b.owner))).sort()
  const expectations: Record<Role, { find: ReadonlyArray<string>; owners: ReadonlyArray<string> }> = {
    admin: {
      find: [Ids.ownerKey(card(1)), Ids.ownerKey(card(2))].sort(),
      owners: [card(1), card(2), identityStore("d-a"), idp("d-a", "x"), identityStore("d-b")]
        .map(Ids.ownerKey)
        .sort()
    },
    delegate: { find: [], owners: ["identity-store:d-a", "idp:d-a/x"] },
    otherDelegate: { find: [], owners: ["identity-store:d-b"] },
    operator: { find: [Ids.ownerKey(card(1))], owners: [Ids.ownerKey(card(1)), "idp:d-a/x"].sort() },
    reader: { find: [Ids.ownerKey(card(1))], owners: [Ids.ownerKey(card(1)), "idp:d-a/x"].sort() },
    nobody: { find: [], owners: [] }
  }
  for (const [role, expected] of Object.entries(expectations) as ReadonlyArray<
    [Role, (typeof expectations)[Role]]
  >) {
    it.effect(
      `${role}: findCertificates, expiringCertificates and listOwners show only what it may read`,
      () =>
        fresh(
          Effect.gen(function* () {
            yield* world
            const principal = roles[role]
            const ec = (yield* importAs(card(2), fixture("ec")))[0]!.certificate
            const found = (yield* FindCertificates.findCertificates(principal, { text: ec.sha256 })).items
            expect(visibleOwners(found)).toEqual(expected.find)
            expect(found.length).toBe(expected.find.length === 0 ? 0 : 1)
            const expiring = yield* ExpiringCertificates.expiringCertificates(principal, {
              within: "20000 days"
            })
            expect([...new Set(expiring.items.map((i) => Ids.ownerKey(i.binding.owner)))].sort()).toEqual(
              expected.find
            )
            const owners = yield* ListOwners.listOwners(principal)
            expect(owners.items.map((o) => Ids.ownerKey(o.ref))).toEqual([...expected.owners].sort())
            expect(owners.total).toBe(expected.owners.length)
          })
        )
    )
  }
})
