import { defineConfig } from "vitest/config"

export default defineConfig({
  // The timeout only catches hangs: on a loaded 2-core CI machine the 5 s default was hit by a test that
  // was merely slow (tests assert no timing).
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 }
})
