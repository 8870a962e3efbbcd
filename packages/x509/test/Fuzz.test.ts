/**
 * A fixed slice of the fuzz campaign (`pnpm fuzz` runs the full one): the same generator with a fixed
 * seed over the fixtures only, so it takes a few seconds and never depends on the corpus. It fails on
 * any escape (a throw, a rejection, an InternalError), on any message or warning of 1 KB or more or on
 * several lines, on any unsafe number in the facts, and on a hang. Timing is the benchmark's and the
 * full campaign's concern: the per-input bound here is generous, so a loaded CI machine cannot make it
 * flaky, yet an input that went quadratic again would still cross it.
 */
import { describe, expect, it } from "vitest"
import { prepare, runCampaign } from "../fuzz/Fuzzer.js"
import { fixtureSeeds } from "../fuzz/Seeds.js"

describe("fuzz slice (seed 20261201, fixtures only)", () => {
  it("5,000 inputs, hostile shapes up to 256 KiB: no escape, no bad outcome, no input over 2 s", async () => {
    const report = await runCampaign(prepare(fixtureSeeds()), {
      seed: 20261201,
      runs: 5000,
      largeShare: 0.01,
      maxLargeBytes: 256 * 1024,
      boundMs: 2000
    })
    expect(report.inputs).toBe(5000)
    expect(report.escapes).toEqual([])
    expect(report.badOutcomes).toEqual([])
    expect(report.overBound).toEqual([])
    // The slice really exercises the parser: both outcomes, several error codes, and every input kind.
    expect(report.parsed).toBeGreaterThan(300)
    expect(Object.keys(report.failedByCode).length).toBeGreaterThanOrEqual(5)
    expect(Object.keys(report.byKind).sort()).toEqual([
      "bytes",
      "container",
      "shape",
      "splice",
      "structure",
      "text"
    ])
  }, 60_000)
})
