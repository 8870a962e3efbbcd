import { defineWorkersConfig, readD1Migrations } from "@cloudflare/vitest-pool-workers/config"

// The wrangler migration files, handed to the tests in workerd (which has no file system).
const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname)

export default defineWorkersConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    poolOptions: {
      workers: {
        miniflare: {
          // No newer than the workerd bundled with vitest-pool-workers 0.12.21 (1.20260310).
          compatibilityDate: "2026-03-10",
          d1Databases: ["DB"],
          bindings: { TEST_MIGRATIONS: migrations }
        }
      }
    }
  }
})
