import { defineConfig } from "vitest/config"

// Node tests; the workerd proof runs under vitest.workerd.config.ts (the `test` script runs both).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/workerd/**"],
    testTimeout: 30_000
  }
})
