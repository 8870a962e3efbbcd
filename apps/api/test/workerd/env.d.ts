/**
 * The part of vitest-pool-workers' `cloudflare:test` the workerd suite uses, typed here so the package's
 * tsconfig keeps Node's types (the bindings come from wrangler.jsonc and vitest.workerd.config.ts).
 */
declare module "cloudflare:test" {
  import type { D1Database, D1Migration } from "@cloudflare/workers-types"

  export const env: {
    readonly DB: D1Database
    readonly CERTORY_ADMIN_TOKEN: string
    readonly TEST_MIGRATIONS: ReadonlyArray<D1Migration>
    readonly ADFS_METADATA: string
  }
  /** The Worker of wrangler.jsonc's `main` (src/worker.ts), called as the runtime calls it. */
  export const SELF: { fetch(input: string | Request | URL, init?: RequestInit): Promise<Response> }
  export function applyD1Migrations(
    db: D1Database,
    migrations: ReadonlyArray<D1Migration>,
    migrationsTableName?: string
  ): Promise<void>
  /** vitest-pool-workers' outbound request mock (scheduled.test.ts). */
  export const fetchMock: {
    activate(): void
    deactivate(): void
    disableNetConnect(): void
    get(origin: string): {
      intercept(options: { readonly path: string; readonly method?: string }): {
        reply(status: number, body: string, options?: { readonly headers?: Record<string, string> }): unknown
      }
    }
  }
  export function createExecutionContext(): import("@cloudflare/workers-types").ExecutionContext
  export function createScheduledController(options?: {
    readonly scheduledTime?: number
    readonly cron?: string
  }): import("@cloudflare/workers-types").ScheduledController
}
