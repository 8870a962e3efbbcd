/**
 * The Worker's tests, two projects:
 * - `workerd` (test/workerd/*.test.ts): the request suite inside workerd, against the Worker of
 *   src/worker.ts with the bindings of wrangler.jsonc (D1 `DB`, the compatibility date), reached through
 *   `SELF`, on a local D1 migrated from the wrangler migration files before each file. workerd has no file
 *   system: the SAML fixture and the migrations are handed over as bindings. (The pool adds a few Node
 *   module flags for vitest's own runner; the Worker itself runs without nodejs_compat under `wrangler dev`.)
 * - `dev-worker` (test/workerd/node/*.test.ts, in Node): the smoke test of `pnpm dev:worker` over HTTP.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { defineWorkersProject, readD1Migrations } from "@cloudflare/vitest-pool-workers/config"
import { defineConfig } from "vitest/config"

const migrations = await readD1Migrations(
  fileURLToPath(new URL("../../packages/storage-d1/migrations", import.meta.url))
)
const saml = (name: string) => readFileSync(new URL(`./test/fixtures/saml/${name}`, import.meta.url), "utf8")

const workerd = defineWorkersProject({
  test: {
    name: "workerd",
    include: ["test/workerd/*.test.ts"],
    setupFiles: ["test/workerd/setup.ts"],
    // Only to catch hangs on a loaded 2-core machine.
    testTimeout: 60_000,
    poolOptions: {
      workers: {
        main: "./src/worker.ts",
        wrangler: { configPath: "./wrangler.jsonc" },
        miniflare: {
          bindings: {
            CERTORY_ADMIN_TOKEN: "cty_workerd-bootstrap-admin-token-0123456789",
            TEST_MIGRATIONS: migrations,
            ADFS_METADATA: saml("adfs.xml")
          }
        }
      }
    }
  }
})

export default defineConfig({
  test: {
    projects: [
      workerd,
      {
        test: {
          name: "dev-worker",
          include: ["test/workerd/node/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000
        }
      }
    ]
  }
})
