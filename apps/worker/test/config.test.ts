/**
 * WorkerConfig reads its durations with the one duration parser of every surface (`30d`, `15m`,
 * `5 minutes`, `PT5S`), from the environment and from the flags alike.
 */
import { ConfigProvider, Duration, Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { WorkerConfig } from "../src/index.js"

const read = (env: Record<string, string>) =>
  Effect.runSync(
    Effect.either(
      Effect.withConfigProvider(
        WorkerConfig.fromEnv("test"),
        ConfigProvider.fromMap(new Map(Object.entries(env)))
      )
    )
  )

describe("WorkerConfig durations", () => {
  it("reads 15m, PT5S, 2h and 5 minutes as the API and the other commands do", () => {
    const config = Either.getOrThrow(
      read({
        CERTORY_SYNC_EVERY: "15m",
        CERTORY_FETCH_TIMEOUT: "PT5S",
        CERTORY_SYNC_INTERVAL: "2h",
        CERTORY_NOTIFY_EVERY: "5 minutes"
      })
    )
    expect(Duration.toMillis(config.syncEvery)).toBe(15 * 60_000)
    expect(Duration.toMillis(config.fetchTimeout)).toBe(5_000)
    expect(Duration.toMillis(config.syncInterval)).toBe(2 * 3_600_000)
    expect(Duration.toMillis(config.notifyEvery)).toBe(5 * 60_000)
  })

  it("keeps the defaults when nothing is set", () => {
    const config = Either.getOrThrow(read({}))
    expect(Duration.toMillis(config.syncEvery)).toBe(5 * 60_000)
    expect(Duration.toMillis(config.syncInterval)).toBe(3_600_000)
  })

  it("names the variable and the reason for a value that is not a duration", () => {
    const failure = read({ CERTORY_SYNC_EVERY: "often" })
    expect(Either.isLeft(failure)).toBe(true)
    expect(String(Either.getLeft(failure).pipe((left) => (left._tag === "Some" ? left.value : "")))).toMatch(
      /CERTORY_SYNC_EVERY.*not a duration/
    )
    expect(Either.getLeft(WorkerConfig.parseDuration("-5m"))._tag).toBe("Some")
    expect(WorkerConfig.parseDuration("30d")).toEqual(Either.right(Duration.millis(30 * 86_400_000)))
  })
})
