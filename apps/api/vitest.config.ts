/**
 * The default `vitest run`: the request suite in process (`app.request` on memory stores), plus the
 * tests that need in-process knobs (test/memory). The serve targets are vitest.sqlite.config.ts and
 * vitest.postgres.config.ts; test/workerd has its own config.
 */
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/workerd/**", "**/node_modules/**"],
    env: { CERTORY_API_TARGET: "memory" }
  }
})
