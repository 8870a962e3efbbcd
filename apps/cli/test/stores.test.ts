/**
 * `--store` end to end: every inventory command on SQLite, PostgreSQL and memory:; `certory migrate` and
 * `--no-migrate`; and the ways a store can be wrong (missing, missing directory, not a database, a foreign
 * database, an unreachable server, a bad URL), each one line and exit 1, with nothing created.
 */
import { X509Certificate } from "node:crypto"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Migrations } from "@certory/storage-sql"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { certory, DC, IDP, oneLine, SMART_CARD, tempDir, USER, withPgSchema } from "./support.js"

/** Runs SQL on a SQLite file through the store's own client (no migrations). */
const onSqlite = (filename: string, statements: ReadonlyArray<string>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      for (const statement of statements) yield* sql.unsafe(statement)
    }).pipe(Effect.provide(SqliteCertificateStore.layerClient({ filename })))
  )

const NO_STORE_COMMANDS: ReadonlyArray<ReadonlyArray<string>> = [
  ["expiring"],
  ["list", SMART_CARD],
  ["find", "00"],
  ["owners", "list"],
  ["owners", "remove", SMART_CARD],
  ["unbind", SMART_CARD, "00000000-0000-0000-0000-000000000001"]
]

/** The commands of one session over any store, checked the same way on each. */
const session = async (store: ReadonlyArray<string>) => {
  const imported = await certory(["import", SMART_CARD, USER, DC, "--create-owner", "--json", ...store])
  expect(imported.stderr).toBe("")
  expect(imported.status).toBe(0)
  expect((JSON.parse(imported.stdout) as Array<unknown>).length).toBe(2)
  const [listed, owners, found, expiring] = await Promise.all([
    certory(["list", SMART_CARD, "--json", ...store]),
    certory(["owners", "list", "--json", ...store]),
    certory(["find", new X509Certificate(readFileSync(DC)).fingerprint256, "--json", ...store]),
    certory(["expiring", "--within", "30 days", ...store])
  ])
  expect(listed.stderr).toBe("")
  expect((JSON.parse(listed.stdout) as { total: number }).total).toBe(2)
  expect((JSON.parse(owners.stdout) as { items: Array<{ ref: string }> }).items.map((o) => o.ref)).toEqual([
    SMART_CARD
  ])
  expect((JSON.parse(found.stdout) as Array<{ bindings: Array<{ owner: string }> }>)[0]?.bindings).toEqual([
    expect.objectContaining({ owner: SMART_CARD })
  ])
  expect(expiring.status).toBe(0)
  return JSON.parse(listed.stdout) as { items: Array<{ binding: { certificateId: string } }> }
}

describe("certory --store", { timeout: 300_000 }, () => {
  it("read commands on a path with no store fail with one line and create nothing", async () => {
    const dir = tempDir()
    const file = join(dir, "certory.sqlite")
    const runs = await Promise.all(NO_STORE_COMMANDS.map((args) => certory([...args, "--db", file])))
    for (const [i, run] of runs.entries()) {
      expect(run.status, NO_STORE_COMMANDS[i]?.join(" ")).toBe(1)
      expect(run.stderr).toMatch(new RegExp(`^certory [a-z ]+: no certory store at ${file} `))
      expect(oneLine(run.stderr)).toBe(true)
      expect(run.stdout).toBe("")
    }
    // The default file in the caller's directory, through CERTORY_STORE, and through --store.
    const [cwd, env, flag] = await Promise.all([
      certory(["expiring"], { cwd: dir }),
      certory(["expiring"], { env: { CERTORY_STORE: `sqlite:${file}` } }),
      certory(["expiring", "--store", `sqlite:${file}`])
    ])
    expect(cwd.stderr).toBe(
      "certory expiring: no certory store at ./certory.sqlite (certory migrate, owners add or import creates one)\n"
    )
    for (const run of [env, flag]) expect(run.stderr).toContain(`no certory store at ${file} `)
    expect(existsSync(file)).toBe(false)
  })

  it("a missing directory, a directory, a text file, a foreign SQLite database: one line, exit 1", async () => {
    const dir = tempDir()
    const text = join(dir, "notes.txt")
    writeFileSync(text, "not a database\n".repeat(10))
    const foreign = join(dir, "other.sqlite")
    await onSqlite(foreign, ["CREATE TABLE notes (body TEXT)"])
    const [missingDir, directory, notDb, other, otherImport] = await Promise.all([
      certory(["owners", "add", SMART_CARD, "--db", join(dir, "nowhere", "x.sqlite")]),
      certory(["list", SMART_CARD, "--db", dir]),
      certory(["import", SMART_CARD, USER, "--create-owner", "--db", text]),
      certory(["expiring", "--db", foreign]),
      certory(["import", SMART_CARD, USER, "--create-owner", "--db", foreign])
    ])
    expect(missingDir.stderr).toBe(`certory owners add: no such directory: ${join(dir, "nowhere")}\n`)
    expect(directory.stderr).toBe(`certory list: ${dir} is a directory, not a certory store\n`)
    expect(notDb.stderr).toBe(`certory import: ${text} is not a certory store (not a SQLite database)\n`)
    expect(other.stderr).toBe(
      `certory expiring: ${foreign} is not a certory store (a SQLite database with other tables)\n`
    )
    expect(otherImport.stderr).toContain("is not a certory store")
    for (const run of [missingDir, directory, notDb, other, otherImport]) expect(run.status).toBe(1)
    expect(existsSync(join(dir, "nowhere"))).toBe(false)
  })

  it("a bad URL and an unreachable server are one line and exit 1", async () => {
    const [bad, empty, refused] = await Promise.all([
      certory(["expiring", "--store", "mysql://db/x"]),
      certory(["expiring", "--store", "sqlite:"]),
      certory(["owners", "list", "--store", "postgres://certory:secret@127.0.0.1:1/none"])
    ])
    expect(bad.stderr).toBe(
      'certory expiring: unknown store "mysql://db/x": use sqlite:PATH, postgres://... or memory:\n'
    )
    expect(empty.stderr).toBe("certory expiring: sqlite: needs a file name (sqlite:./certory.sqlite)\n")
    expect(refused.stderr).toMatch(
      /^certory owners list: cannot open postgres:\/\/certory:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/
    )
    expect(refused.stderr).not.toContain("secret")
    for (const run of [bad, empty, refused]) {
      expect(run.status).toBe(1)
      expect(oneLine(run.stderr)).toBe(true)
    }
  })

  it("migrate creates and migrates; --no-migrate refuses an out-of-date store, which a plain run migrates", async () => {
    const dir = tempDir()
    const file = join(dir, "certory.sqlite")
    const first = await certory(["migrate", "--store", `sqlite:${file}`])
    expect(first.stderr).toBe("")
    const all = Migrations.migrations("sqlite").map((m) => m.id)
    expect(first.stdout).toBe(`schema version ${all.at(-1)} (applied ${all.join(", ")})\n`)
    const again = await certory(["migrate", "--db", file])
    expect(again.stdout).toBe(`schema version ${all.at(-1)} (already current)\n`)
    const current = await certory(["owners", "list", "--no-migrate", "--db", file])
    expect(current.stdout).toBe("no owners\n")

    // A store at version 1 (as an old certory left it).
    const old = join(dir, "old.sqlite")
    const [one] = Migrations.migrations("sqlite")
    await onSqlite(old, [
      "CREATE TABLE effect_sql_migrations (migration_id integer PRIMARY KEY NOT NULL, created_at datetime NOT NULL DEFAULT current_timestamp, name VARCHAR(255) NOT NULL)",
      ...one!.statements,
      "INSERT INTO effect_sql_migrations (migration_id, name) VALUES (1, 'init')"
    ])
    const refused = await certory(["owners", "list", "--no-migrate", "--db", old])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toBe(
      `certory owners list: ${old} has schema version 1, this certory needs ${all.at(-1)}: run certory migrate (or drop --no-migrate)\n`
    )
    const migrated = await certory(["owners", "list", "--db", old])
    expect(migrated.stderr).toBe("")
    expect(migrated.stdout).toBe("no owners\n")
  })

  it("SQLite: --store wins over --db, and a session works through --store", async () => {
    const dir = tempDir()
    const file = join(dir, "a.sqlite")
    await session(["--store", `sqlite:${file}`, "--db", join(dir, "ignored.sqlite")])
    expect(existsSync(join(dir, "ignored.sqlite"))).toBe(false)
  })

  it("PostgreSQL: no store in a fresh schema, then migrate, then every command", async () => {
    await withPgSchema(async (url) => {
      const none = await certory(["expiring", "--store", url])
      expect(none.status).toBe(1)
      expect(none.stderr).toMatch(/^certory expiring: no certory store at postgres:\/\/.*\n$/)
      const migrated = await certory(["migrate"], { env: { CERTORY_STORE: url } })
      expect(migrated.stderr).toBe("")
      expect(migrated.stdout).toMatch(/^schema version \d+ \(applied 1, 2, /)
      const page = await session(["--store", url])
      const id = page.items[0]!.binding.certificateId
      const unbound = await certory(["unbind", SMART_CARD, id, "--yes", "--store", url])
      expect(unbound.stdout).toBe(`unbound ${id} from ${SMART_CARD}\n`)
      const removed = await certory(["owners", "remove", SMART_CARD, "--yes", "--store", url])
      expect(removed.stdout).toBe(`removed ${SMART_CARD}\n`)
    })
  })

  it("memory: every command runs (on a store that lives as long as the process)", async () => {
    const store = ["--store", "memory:"]
    const [imported, listed, owners] = await Promise.all([
      certory(["import", SMART_CARD, IDP, "--create-owner", ...store]),
      certory(["list", SMART_CARD, ...store]),
      certory(["owners", "list", ...store])
    ])
    expect(imported.status).toBe(0)
    expect(imported.stdout).toContain(": created ")
    expect(listed.status).toBe(1)
    expect(listed.stderr).toBe(`certory list: owner ${SMART_CARD} does not exist\n`)
    expect(owners.stdout).toBe("no owners\n")
  })
})
