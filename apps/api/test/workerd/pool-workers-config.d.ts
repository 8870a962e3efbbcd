// @cloudflare/vitest-pool-workers' config typings re-export `./d1` without an extension, which NodeNext
// cannot follow; this restores the one export vitest.workerd.config.ts uses.
export {}

declare module "@cloudflare/vitest-pool-workers/config" {
  export function readD1Migrations(
    migrationsPath: string
  ): Promise<Array<{ name: string; queries: Array<string> }>>
}
