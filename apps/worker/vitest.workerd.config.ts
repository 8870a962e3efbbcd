import { defineWorkersConfig } from "@cloudflare/vitest-pool-workers/config"

export default defineWorkersConfig({
  test: {
    include: ["test/workerd/**/*.test.ts"],
    testTimeout: 60_000,
    poolOptions: {
      workers: {
        miniflare: {
          // No newer than the workerd bundled with vitest-pool-workers 0.12.21 (1.20260310); no nodejs_compat.
          compatibilityDate: "2026-03-10",
          d1Databases: ["DB"]
        }
      }
    }
  }
})
