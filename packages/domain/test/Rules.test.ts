/**
 * The pure rules: grants, validity bounds (RFC 5280, inclusive), and the text order adapters share.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration } from "effect"
import * as Authorization from "../src/Authorization.js"
import { validityAt } from "../src/Certificate.js"
import { compareText } from "../src/CertificateStore.js"
import * as Ids from "../src/Ids.js"
import {
  Administrator,
  DelegatedAdministrator,
  OwnerOperator,
  OwnerReader,
  Principal
} from "../src/Principal.js"
import { validityBounds } from "../src/usecases/ListOwnerCertificates.js"

const storeA = Ids.IdentityStoreId.make("d-a")
const refs = {
  storeA: Ids.IdentityStoreRef.make({ id: storeA }),
  idpA: Ids.IdpRef.make({ identityStoreId: storeA, idpId: Ids.IdpId.make("x") }),
  idpB: Ids.IdpRef.make({ identityStoreId: Ids.IdentityStoreId.make("d-b"), idpId: Ids.IdpId.make("x") }),
  card: Ids.SmartCardRef.make({ id: "5badfea3-de31-4837-99f9-8249515a5473" as Ids.Guid })
}
const actions = ["read", "write", "administer"] as const

describe("Authorization.allows", () => {
  const cases: ReadonlyArray<readonly [string, Principal, keyof typeof refs, string]> = [
    // principal, owner, the actions allowed ("rwa" = read, write, administer)
    ["admin", Principal.make({ id: "a", grants: [Administrator.make({})] }), "card", "rwa"],
    ["admin", Principal.make({ id: "a", grants: [Administrator.make({})] }), "idpB", "rwa"],
    [
      "delegate",
      Principal.make({ id: "d", grants: [DelegatedAdministrator.make({ identityStoreId: storeA })] }),
      "storeA",
      "rw"
    ],
    [
      "delegate",
      Principal.make({ id: "d", grants: [DelegatedAdministrator.make({ identityStoreId: storeA })] }),
      "idpA",
      "rwa"
    ],
    [
      "delegate",
      Principal.make({ id: "d", grants: [DelegatedAdministrator.make({ identityStoreId: storeA })] }),
      "idpB",
      ""
    ],
    [
      "delegate",
      Principal.make({ id: "d", grants: [DelegatedAdministrator.make({ identityStoreId: storeA })] }),
      "card",
      ""
    ],
    [
      "operator",
      Principal.make({ id: "o", grants: [OwnerOperator.make({ owners: [refs.card] })] }),
      "card",
      "rw"
    ],
    [
      "operator",
      Principal.make({ id: "o", grants: [OwnerOperator.make({ owners: [refs.card] })] }),
      "idpA",
      ""
    ],
    [
      "reader",
      Principal.make({ id: "r", grants: [OwnerReader.make({ owners: [refs.card, refs.idpA] })] }),
      "idpA",
      "r"
    ],
    [
      "reader",
      Principal.make({ id: "r", grants: [OwnerReader.make({ owners: [refs.card] })] }),
      "storeA",
      ""
    ],
    [
      "reader + operator",
      Principal.make({
        id: "m",
        grants: [OwnerReader.make({ owners: [refs.idpB] }), OwnerOperator.make({ owners: [refs.idpA] })]
      }),
      "idpB",
      "r"
    ],
    ["no grants", Principal.make({ id: "n", grants: [] }), "card", ""]
  ]
  for (const [name, principal, owner, allowed] of cases) {
    it(`${name} on ${owner}: "${allowed}"`, () => {
      const got = actions
        .filter((action) => Authorization.allows(principal, refs[owner], action))
        .map((a) => a[0])
        .join("")
      expect(got).toBe(allowed)
    })
  }
})

describe("validity", () => {
  it("validityAt: both bounds inclusive", () => {
    const c = { notBefore: 1000, notAfter: 2000 }
    expect([999, 1000, 2000, 2001].map((t) => validityAt(c, t))).toEqual([
      "notYetValid",
      "valid",
      "valid",
      "expired"
    ])
  })

  it("validityBounds turns each filter into inclusive millisecond bounds, and intersects them", () => {
    expect(validityBounds({ validity: "valid" }, 5000)).toEqual({ notBeforeMax: 5000, notAfterMin: 5000 })
    expect(validityBounds({ validity: "expired" }, 5000)).toEqual({ notAfterMax: 4999 })
    expect(validityBounds({ validity: "notYetValid" }, 5000)).toEqual({ notBeforeMin: 5001 })
    expect(validityBounds({ expiringWithin: Duration.seconds(1) }, 5000)).toEqual({
      notBeforeMax: 5000,
      notAfterMin: 5000,
      notAfterMax: 6000
    })
    expect(validityBounds({ validity: "expired", expiringWithin: Duration.seconds(1) }, 5000)).toEqual({
      notBeforeMax: 5000,
      notAfterMin: 5000,
      notAfterMax: 4999
    })
    expect(validityBounds({}, 5000)).toEqual({})
  })
})

describe("compareText", () => {
  it("orders by code point (UTF-8 byte order), not by locale or UTF-16 unit", () => {
    const sorted = ["b", "B", "a", "É", "E", "\u{1F512}", "\uFF21", "CN=Z", "CN=a"].sort(compareText)
    expect(sorted).toEqual(["B", "CN=Z", "CN=a", "E", "a", "b", "É", "\uFF21", "\u{1F512}"])
    expect(compareText("ab", "a")).toBe(1)
    expect(compareText("", "")).toBe(0)
    // UTF-16 order would put the surrogate pair (D83D) before U+FF21.
    expect(compareText("\u{1F512}", "\uFF21")).toBe(1)
  })
})
