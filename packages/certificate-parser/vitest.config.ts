import { defineConfig } from "vitest/config"

// The adapter's tests need the real-certificate fixtures, so they live in @certory/testing
// (test/X509CertificateParser.test.ts): a test here importing them would make a dependency cycle.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], passWithNoTests: true }
})
