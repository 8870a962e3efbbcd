/**
 * The parts of vitest-pool-workers' `cloudflare:test` the workerd test uses, typed here so the package's
 * tsconfig keeps Node's types only (the D1 binding comes from vitest.workerd.config.ts).
 */
declare module "cloudflare:test" {
  export const env: { readonly DB: unknown }

  interface Interceptor {
    reply(
      status: number,
      body:
        | string
        | ((request: { readonly body?: unknown; readonly headers?: Record<string, string> }) => string),
      options?: {
        readonly headers?: Record<string, string>
      }
    ): unknown
  }
  export const fetchMock: {
    activate(): void
    disableNetConnect(): void
    get(origin: string): {
      intercept(options: { readonly path: string; readonly method?: string }): Interceptor
    }
  }
}
