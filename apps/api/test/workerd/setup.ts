/**
 * Before each file: the local D1 gets the wrangler migration files, as `wrangler d1 migrations apply`
 * does before a deployment, so the Worker finds its schema current (its own migration run is then a
 * no-op). Each test's writes are undone after it (isolated storage); the schema stays.
 */
import { applyD1Migrations, env } from "cloudflare:test"

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
