/**
 * Cursors: opaque base64url that round-trips, refuses other orders and anything tampered with.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Encoding } from "effect"
import * as Cursor from "../src/Cursor.js"
import { InvalidCursor } from "../src/Errors.js"

describe("Cursor", () => {
  it.effect("round-trips numbers and non-ASCII strings as URL-safe text", () =>
    Effect.gen(function* () {
      const a = Cursor.encode("notAfter:asc", { value: 1_700_000_000_000, id: "abc" })
      expect(a).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(yield* Cursor.decode("notAfter:asc", a)).toEqual({
        o: "notAfter:asc",
        v: 1_700_000_000_000,
        i: "abc"
      })
      const b = Cursor.encode("subject:desc", { value: "CN=TÜBİTAK,O=Kamu 🔐", id: "x" })
      expect((yield* Cursor.decode("subject:desc", b)).v).toBe("CN=TÜBİTAK,O=Kamu 🔐")
      const c = Cursor.encode("owners", { value: "smartcard:1" })
      expect(yield* Cursor.decode("owners", c)).toEqual({ o: "owners", v: "smartcard:1" })
    })
  )

  it.effect("another order, garbage, truncation and wrong JSON are InvalidCursor", () =>
    Effect.gen(function* () {
      const cursor = Cursor.encode("notAfter:asc", { value: 1, id: "abc" })
      const wrongOrder = yield* Cursor.decode("notAfter:desc", cursor).pipe(Effect.flip)
      expect(wrongOrder).toBeInstanceOf(InvalidCursor)
      expect(wrongOrder.message).toContain("notAfter:asc")
      for (const bad of [
        "",
        "!!!",
        cursor.slice(0, -4),
        Encoding.encodeBase64Url('{"v":1}'),
        Encoding.encodeBase64Url("[]")
      ]) {
        expect(yield* Cursor.decode("notAfter:asc", bad).pipe(Effect.flip)).toBeInstanceOf(InvalidCursor)
      }
    })
  )
})
