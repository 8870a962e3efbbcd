/**
 * What the serve targets' configs share: the request suite (test/*.test.ts; not test/memory, whose tests
 * need in-process knobs) against one real `certory serve` child per file, started by test/target/setup.ts.
 */
import { defineConfig } from "vitest/config"

export const serveConfig = (target: "sqlite" | "postgres") =>
  defineConfig({
    test: {
      include: ["test/*.test.ts"],
      setupFiles: ["test/target/setup.ts"],
      // A file mostly waits on its child and the database: three at a time even on two cores.
      maxWorkers: 3,
      minWorkers: 1,
      env: { CERTORY_API_TARGET: target },
      // Only to catch hangs: requests cross a process and a database on a loaded 2-core machine.
      testTimeout: 60_000,
      hookTimeout: 180_000
    }
  })
