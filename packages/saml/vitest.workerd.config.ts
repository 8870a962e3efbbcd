import { readFileSync } from "node:fs"
import { defineWorkersConfig } from "@cloudflare/vitest-pool-workers/config"

// workerd has no file system: the fixtures the test parses are handed over as text bindings.
const fixture = (name: string) => readFileSync(new URL(`./test/fixtures/${name}`, import.meta.url), "utf8")

export default defineWorkersConfig({
  test: {
    include: ["test/workerd/**/*.test.ts"],
    testTimeout: 60_000,
    poolOptions: {
      workers: {
        miniflare: {
          // No newer than the workerd bundled with vitest-pool-workers 0.12.21 (1.20260310); no nodejs_compat.
          compatibilityDate: "2026-03-10",
          bindings: {
            ADFS_METADATA: fixture("adfs.xml"),
            TESTSHIB_METADATA: fixture("testshib-providers.xml")
          }
        }
      }
    }
  }
})
