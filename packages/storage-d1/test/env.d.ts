/// <reference types="@cloudflare/vitest-pool-workers" />
/**
 * The bindings vitest.config.ts gives the tests in workerd.
 */
declare module "cloudflare:test" {
  interface ProvidedEnv {
    readonly DB: D1Database
    readonly TEST_MIGRATIONS: ReadonlyArray<D1Migration>
  }
}
