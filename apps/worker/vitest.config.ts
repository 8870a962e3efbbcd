import { defineConfig } from "vitest/config"

// Node only; test/workerd runs inside workerd (vitest.workerd.config.ts).
export default defineConfig({ test: { include: ["test/*.test.ts"], testTimeout: 60_000 } })
