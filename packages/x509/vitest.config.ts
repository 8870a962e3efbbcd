import { defineConfig } from "vitest/config"

// The timeouts only catch hangs: on a loaded 2-core CI machine the 5 s default was hit by tests that
// were merely slow (tests assert no timing).
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } })
