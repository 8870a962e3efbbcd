/**
 * The one module of vitest-pool-workers the workerd test uses, typed here so the package's tsconfig keeps
 * Node's types only (the bindings come from vitest.workerd.config.ts).
 */
declare module "cloudflare:test" {
  export const env: {
    readonly ADFS_METADATA: string
    readonly TESTSHIB_METADATA: string
  }
}
