/**
 * The xs:duration and xs:dateTime readers the sync uses for `cacheDuration` and `validUntil`.
 */
import { describe, expect, it } from "@effect/vitest"
import { dateTimeMillis, durationMillis } from "../src/MetadataReader.js"

describe("MetadataReader", () => {
  it("durationMillis reads xs:duration, a year as 365 days and a month as 30", () => {
    expect(durationMillis("PT1M")).toBe(60_000)
    expect(durationMillis("PT6H")).toBe(21_600_000)
    expect(durationMillis("P1D")).toBe(86_400_000)
    expect(durationMillis("P1Y2M3DT4H5M6.5S")).toBe(
      365 * 86_400_000 + 60 * 86_400_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_500
    )
    expect(durationMillis(" P0D ")).toBe(0)
  })

  it("durationMillis refuses what is not a non-negative xs:duration", () => {
    for (const bad of ["", "P", "PT", "P1DT", "-P1D", "1D", "P1H", "PT1D", "P1.5.5D", "P1DT1H1H", "soon"]) {
      expect(durationMillis(bad), bad).toBeUndefined()
    }
  })

  it("dateTimeMillis reads xs:dateTime with or without a zone (none: UTC)", () => {
    expect(dateTimeMillis("2026-11-30T10:00:00Z")).toBe(Date.UTC(2026, 10, 30, 10))
    expect(dateTimeMillis("2026-11-30T10:00:00")).toBe(Date.UTC(2026, 10, 30, 10))
    expect(dateTimeMillis("2026-11-30T12:00:00+02:00")).toBe(Date.UTC(2026, 10, 30, 10))
    expect(dateTimeMillis("2026-11-30T10:00:00.250Z")).toBe(Date.UTC(2026, 10, 30, 10) + 250)
    for (const bad of ["", "2026-11-30", "tomorrow", "2026-13-40T99:00:00Z", "2026-11-30 10:00:00Z"]) {
      expect(dateTimeMillis(bad), bad).toBeUndefined()
    }
  })
})
