/**
 * Token helpers: the constant-time comparison of a presented secret with the expected one.
 */
import { describe, expect, it } from "@effect/vitest"
import { constantTimeEquals } from "../src/Token.js"

describe("constantTimeEquals", () => {
  it("is true only for the same text: not for a prefix, an extension, one changed character or empty", () => {
    const secret = "cty_8afgtpogpqowGBy60EjshI8IXOWqW-XDyGsXaVaAixk"
    expect(constantTimeEquals(secret, secret)).toBe(true)
    expect(constantTimeEquals(secret.slice(0, -1), secret)).toBe(false)
    expect(constantTimeEquals(`${secret}x`, secret)).toBe(false)
    expect(constantTimeEquals(`${secret.slice(0, -1)}l`, secret)).toBe(false)
    expect(constantTimeEquals(`X${secret.slice(1)}`, secret)).toBe(false)
    expect(constantTimeEquals("", secret)).toBe(false)
    expect(constantTimeEquals(secret, "")).toBe(false)
    expect(constantTimeEquals("", "")).toBe(true)
    // Characters beyond the BMP compare by UTF-16 unit, like the rest of the string.
    expect(constantTimeEquals("🔐", "🔐")).toBe(true)
    expect(constantTimeEquals("🔑", "🔐")).toBe(false)
  })
})
