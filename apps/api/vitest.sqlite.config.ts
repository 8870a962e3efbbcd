/** The request suite against `certory serve` on a SQLite file (one child and one file per test file). */
import { serveConfig } from "./vitest.serve.js"

export default serveConfig("sqlite")
