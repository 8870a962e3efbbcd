/**
 * The one duration parser (`parseDurationMillis`) and the Window every surface decodes durations with:
 * short units, words, ISO 8601; no sign, no zero, no unknown unit, nothing above a century.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Either, Schema } from "effect"
import { parseDurationMillis, Window } from "../src/Inputs.js"

const HOUR = 3_600_000
const DAY = 24 * HOUR

const decode = (text: string) => Schema.decodeUnknownEither(Window)(text)

describe("parseDurationMillis", () => {
  it.each([
    ["30d", 30 * DAY],
    ["12h", 12 * HOUR],
    ["2w", 14 * DAY],
    ["90m", 90 * 60_000],
    ["45s", 45_000],
    ["30 days", 30 * DAY],
    ["1 day", DAY],
    ["12 hours", 12 * HOUR],
    ["2 weeks", 14 * DAY],
    ["1.5 days", 36 * HOUR],
    ["  7D ", 7 * DAY],
    ["P30D", 30 * DAY],
    ["p30d", 30 * DAY],
    ["PT12H", 12 * HOUR],
    ["P2W", 14 * DAY],
    ["P1DT6H30M", DAY + 6 * HOUR + 30 * 60_000],
    ["PT0.5S", 500]
  ])("%s is %d ms", (text, millis) => {
    expect(parseDurationMillis(text)).toEqual({ millis })
  })

  it.each([
    ["-5 days", "a duration has no sign"],
    ["+5d", "a duration has no sign"],
    ["30x", 'unknown unit "x"'],
    ["30 fortnights", 'unknown unit "fortnights"'],
    ["P", "not a duration"],
    ["PT", "not a duration"],
    ["P1Y", "not a duration"],
    ["P1M", "not a duration"],
    ["days", "not a duration"],
    ["", "not a duration"]
  ])("%j is refused (%s)", (text, reason) => {
    const parsed = parseDurationMillis(text)
    expect("error" in parsed && parsed.error).toContain(reason)
  })
})

describe("Window", () => {
  it("decodes text through the parser and Durations as they are", () => {
    expect(Either.map(decode("30d"), Duration.toMillis)).toEqual(Either.right(30 * DAY))
    expect(Either.map(Schema.decodeUnknownEither(Window)(Duration.hours(2)), Duration.toMillis)).toEqual(
      Either.right(2 * HOUR)
    )
  })

  it("refuses zero, negative and more than a century, with a message", () => {
    for (const text of ["0d", "P0D", "0 days", "36501d", "-1d"]) {
      const decoded = decode(text)
      expect(Either.isLeft(decoded), text).toBe(true)
    }
    expect(Either.isRight(decode("36500d"))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Window)(Duration.zero))).toBe(true)
  })
})
