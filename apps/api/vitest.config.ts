/**
 * The default `vitest run`: the request suite in process (`app.request` on memory stores), plus the
 * tests that need in-process knobs (test/memory). `CERTORY_API_TARGET=sqlite|postgres vitest run` runs a
 * serve target instead, as vitest.sqlite.config.ts / vitest.postgres.config.ts do; test/workerd has its own
 * config.
 */
import { defineConfig } from "vitest/config"
import { serveConfig } from "./vitest.serve.js"

const target = process.env.CERTORY_API_TARGET ?? "memory"
if (target !== "memory" && target !== "sqlite" && target !== "postgres")
  throw new Error(`CERTORY_API_TARGET=${target}: expected memory, sqlite or postgres`)

export default target === "memory"
  ? defineConfig({
      test: {
        include: ["test/**/*.test.ts"],
        exclude: ["test/workerd/**", "**/node_modules/**"],
        env: { CERTORY_API_TARGET: "memory" },
        // Only to catch hangs: the default 5 s was hit by a 30-request test in CI under load (not a hang).
        testTimeout: 60_000
      }
    })
  : serveConfig(target)
