/**
 * Cursors: opaque base64url that round-trips, continues only the listing it came from, refuses anything
 * tampered with or oversized, and never quotes itself back.
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

  it.effect("a cursor is bound to its listing: another owner or filter is InvalidCursor", () =>
    Effect.gen(function* () {
      const mine = Cursor.listing("notAfter:asc", ["smartcard:a", "valid"])
      const cursor = Cursor.encode(mine, { value: 1, id: "abc" })
      expect((yield* Cursor.decode(mine, cursor)).v).toBe(1)
      for (const other of [
        Cursor.listing("notAfter:asc", ["smartcard:b", "valid"]),
        Cursor.listing("notAfter:asc", ["smartcard:a", "expired"]),
        Cursor.listing("notAfter:desc", ["smartcard:a", "valid"])
      ]) {
        expect(yield* Cursor.decode(other, cursor).pipe(Effect.flip)).toBeInstanceOf(InvalidCursor)
      }
    })
  )

  it.effect("a value that is not a safe integer, an oversized cursor: InvalidCursor, never echoed", () =>
    Effect.gen(function* () {
      const unsafe = Encoding.encodeBase64Url(JSON.stringify({ o: "notAfter:asc", v: 2 ** 60, i: "abc" }))
      expect(yield* Cursor.decode("notAfter:asc", unsafe).pipe(Effect.flip)).toBeInstanceOf(InvalidCursor)
      const planted = Encoding.encodeBase64Url(JSON.stringify({ o: "<script>alert(1)</script>", v: 1 }))
      const huge = "A".repeat(1_000_000)
      for (const bad of [planted, huge]) {
        const error = yield* Cursor.decode("notAfter:asc", bad).pipe(Effect.flip)
        expect(error).toBeInstanceOf(InvalidCursor)
        expect(error.message).not.toContain("script")
        expect(error.message.length).toBeLessThan(200)
      }
    })
  )
})
