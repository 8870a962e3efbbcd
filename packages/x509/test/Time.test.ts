/**
 * The UTCTime / GeneralizedTime decoder, on the encodings the corpus holds (offsets, missing seconds,
 * fractions, years 0000 and 9999, pre-1950 and post-2049) and on the edges of the YY pivot.
 */
import { describe, expect, it } from "vitest"
import { DerError } from "../src/Der.js"
import { decodeGeneralizedTime, decodeUtcTime } from "../src/Time.js"

const utc = (text: string) => {
  const warnings: string[] = []
  return { iso: new Date(decodeUtcTime(text, "t", warnings)).toISOString(), warnings }
}
const gen = (text: string) => {
  const warnings: string[] = []
  const ms = decodeGeneralizedTime(text, "t", warnings)
  return { ms, iso: new Date(ms).toISOString(), warnings }
}

describe("UTCTime", () => {
  it("reads the DER form without warnings", () => {
    expect(utc("170824030545Z")).toEqual({ iso: "2017-08-24T03:05:45.000Z", warnings: [] })
  })

  it("maps YY >= 50 to 19YY and YY < 50 to 20YY (RFC 5280)", () => {
    expect(utc("500101000000Z").iso).toBe("1950-01-01T00:00:00.000Z")
    expect(utc("491231235959Z").iso).toBe("2049-12-31T23:59:59.000Z")
    expect(utc("991231235959Z").iso).toBe("1999-12-31T23:59:59.000Z")
    expect(utc("000101000000Z").iso).toBe("2000-01-01T00:00:00.000Z")
  })

  it("applies offsets (zlint utcNotZulu: 160810142728-0500; v1_explicit_version: +1000)", () => {
    expect(utc("160810142728-0500")).toEqual({
      iso: "2016-08-10T19:27:28.000Z",
      warnings: ["t: UTCTime with offset -0500"]
    })
    expect(utc("990630000000+1000").iso).toBe("1999-06-29T14:00:00.000Z")
  })

  it("accepts missing seconds (bad_validity.pem: 0908080100Z) with a warning", () => {
    expect(utc("0908080100Z")).toEqual({
      iso: "2009-08-08T01:00:00.000Z",
      warnings: ["t: UTCTime without seconds"]
    })
  })

  it("rejects impossible dates and the 15-character form of badasn1time.pem", () => {
    expect(() => utc("19020701025736Z")).toThrow(DerError)
    expect(() => utc("170230000000Z")).toThrow(/not a valid date/)
    expect(() => utc("171301000000Z")).toThrow(/not a valid date/)
    expect(() => utc("170101246000Z")).toThrow(/not a valid date/)
    expect(() => utc("")).toThrow(/malformed UTCTime/)
  })

  it("knows leap years", () => {
    expect(utc("000229000000Z").iso).toBe("2000-02-29T00:00:00.000Z")
    expect(() => utc("010229000000Z")).toThrow(/not a valid date/)
  })
})

describe("GeneralizedTime", () => {
  it("reads years 0000 and 9999 exactly (the boringssl pss_* validity)", () => {
    expect(gen("00000101000000Z").iso).toBe("0000-01-01T00:00:00.000Z")
    expect(gen("99991231235959Z").iso).toBe("9999-12-31T23:59:59.000Z")
  })

  it("keeps years below 100 (a general ASN.1 library would read 0050 as 1950)", () => {
    expect(gen("00500615120000Z").iso).toBe("0050-06-15T12:00:00.000Z")
  })

  it("reads fractional seconds to the millisecond, with a warning (zlint generalizedNoFraction)", () => {
    const r = gen("20571201060708.999Z")
    expect(r.iso).toBe("2057-12-01T06:07:08.999Z")
    expect(r.warnings).toEqual(["t: GeneralizedTime with fractional seconds"])
    expect(gen("20571201060708.5Z").iso).toBe("2057-12-01T06:07:08.500Z")
    expect(gen("20571201060708.123456789Z").iso).toBe("2057-12-01T06:07:08.123Z")
  })

  it("applies offsets and accepts a missing zone or missing seconds, each with a warning", () => {
    expect(gen("20560811122001-0600").iso).toBe("2056-08-11T18:20:01.000Z")
    expect(gen("20571201060700Z").warnings).toEqual([])
    expect(gen("205712010607Z")).toMatchObject({
      iso: "2057-12-01T06:07:00.000Z",
      warnings: ["t: GeneralizedTime without seconds"]
    })
    expect(gen("20571201060708").warnings).toEqual(["t: GeneralizedTime without time zone (read as UTC)"])
  })

  it("warns about a year RFC 5280 wants as UTCTime", () => {
    expect(gen("20490627223832Z").warnings).toEqual([
      "t: GeneralizedTime for a year RFC 5280 encodes as UTCTime"
    ])
  })

  it("rejects garbage", () => {
    expect(() => gen("2057120106070Z")).toThrow(DerError)
    expect(() => gen("20571201060708.Z")).toThrow(DerError)
    expect(() => gen("2057-12-01T06:07:08Z")).toThrow(/malformed GeneralizedTime/)
    expect(() => gen("20571201060708+2400")).toThrow(/invalid offset/)
  })
})
