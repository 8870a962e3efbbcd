/** The request suite against `certory serve` on PostgreSQL (one child and one fresh schema per test file). */
import { serveConfig } from "./vitest.serve.js"

export default serveConfig("postgres")
