/**
 * `certory import` of directories: every file under them, recursively, by content; a broken file is
 * named, the rest still imported, exit 1; a summary line; no progress line when stderr is not a terminal.
 * Eight imports at once on overlapping sets into one SQLite file and one PostgreSQL schema lose and
 * duplicate nothing.
 */
import { copyFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { certory, DC, IDP, SMART_CARD, sample, tempDir, USER, withPgSchema } from "./support.js"

/** A directory with the three samples (one twice, under another name, in a subdirectory) and a README. */
const sampleTree = () => {
  const root = join(tempDir(), "certs")
  mkdirSync(join(root, "nested", "deeper"), { recursive: true })
  copyFileSync(USER, join(root, "user.der"))
  copyFileSync(DC, join(root, "nested", "dc.pem"))
  copyFileSync(IDP, join(root, "nested", "deeper", "idp.txt"))
  copyFileSync(IDP, join(root, "nested", "idp-again.bin"))
  copyFileSync(sample("README.md"), join(root, "nested", "README.md"))
  return root
}

/** Eight runs at once, each on an overlapping subset; then the owner holds each certificate once. */
const concurrent = async (store: ReadonlyArray<string>) => {
  const sets = [
    [USER, DC],
    [DC, IDP],
    [IDP, USER],
    [USER, DC, IDP],
    [sample("README.md"), USER],
    [DC],
    [IDP, sample("README.md"), DC],
    [USER, IDP]
  ]
  const runs = await Promise.all(
    sets.map((set) => certory(["import", SMART_CARD, ...set, "--create-owner", ...store]))
  )
  for (const [i, run] of runs.entries()) {
    const broken = sets[i]?.some((path) => path.endsWith("README.md")) === true
    expect(run.status, run.stderr).toBe(broken ? 1 : 0)
    if (broken) expect(run.stderr).toMatch(/README\.md: .*\(nothing imported from it\)\n$/)
    else expect(run.stderr).toBe("")
  }
  const created = runs.reduce((n, run) => n + (run.stdout.match(/: created /g)?.length ?? 0), 0)
  expect(created).toBe(3)
  const listed = await certory(["list", SMART_CARD, "--json", ...store])
  const page = JSON.parse(listed.stdout) as {
    total: number
    items: Array<{ certificate: { sha256: string } }>
  }
  expect(page.total).toBe(3)
  expect(new Set(page.items.map((item) => item.certificate.sha256)).size).toBe(3)
}

describe("certory import of directories", { timeout: 600_000 }, () => {
  it("imports every certificate under a directory by content, names the broken file, exits 1", async () => {
    const root = sampleTree()
    const db = join(tempDir(), "certory.sqlite")
    const run = await certory(["import", SMART_CARD, root, "--create-owner", "--db", db])
    expect(run.status).toBe(1)
    expect(run.stderr).toBe(
      `certory import: ${join(root, "nested", "README.md")}: input is neither PEM, DER nor base64 (nothing imported from it)\n`
    )
    expect(run.stderr).not.toContain("\r")
    expect(run.stdout).toContain(`${join(root, "nested", "deeper", "idp.txt")} #1: created `)
    expect(run.stdout).toContain(`${join(root, "nested", "idp-again.bin")} #1: already bound `)
    expect(run.stdout).toMatch(
      /\nimported 3, already present 1, duplicate in input 0, failed 1 \(5 inputs\)\n$/
    )
    const again = await certory(["import", SMART_CARD, root, "--json", "--db", db])
    expect(again.status).toBe(1)
    const outcomes = (JSON.parse(again.stdout) as Array<{ outcome: string }>).map((r) => r.outcome)
    expect(outcomes).toEqual(["alreadyBound", "alreadyBound", "alreadyBound", "alreadyBound"])
  })

  it("eight concurrent imports of overlapping sets into one SQLite file", async () => {
    await concurrent(["--db", join(tempDir(), "certory.sqlite")])
  })

  it("eight concurrent imports of overlapping sets into one PostgreSQL schema", async () => {
    await withPgSchema(async (url) => {
      expect((await certory(["migrate", "--store", url])).status).toBe(0)
      await concurrent(["--store", url])
    })
  })
})
