/**
 * Help as a new user reads it: no colour codes on a pipe (or with NO_COLOR), no "A user-defined piece of
 * text" or "A true or false value" filler, the full command in the usage line, lines within COLUMNS, an example per command.
 */
import { describe, expect, it } from "vitest"
import { type Node, tree } from "../src/Argv.js"
import { certory as root } from "../src/Cli.js"
import { certory } from "./support.js"

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape sequences.
const ESCAPE = /\u001b\[/

describe("certory --help", { timeout: 300_000 }, () => {
  it("is plain text on a pipe, names the full command, wraps at COLUMNS and shows an example", async () => {
    const commands = [["owners", "list"], ["list"], ["import"], ["expiring"], ["tokens", "create"]]
    const runs = await Promise.all(
      commands.map((command) => certory([...command, "--help"], { env: { COLUMNS: "80" } }))
    )
    for (const [i, run] of runs.entries()) {
      const command = commands[i]!.join(" ")
      expect(run.status, command).toBe(0)
      expect(run.stdout).not.toMatch(ESCAPE)
      expect(run.stdout).not.toContain("A user-defined piece of text")
      expect(run.stdout).not.toContain("A true or false value")
      expect(run.stdout).toMatch(new RegExp(`^\\$ certory ${command} `, "m"))
      for (const line of run.stdout.split("\n"))
        expect(line.length, `${command}: ${line}`).toBeLessThanOrEqual(80)
    }
    // `list` and `owners list` no longer share a usage line.
    expect(runs[0]?.stdout).not.toMatch(/^\$ certory list /m)
    for (const run of runs.slice(1)) expect(run.stdout).toMatch(/Example:\s+certory\s/)
  })

  it("usage errors are one line naming the command, without colour codes", async () => {
    const [window, missing] = await Promise.all([
      certory(["expiring", "--within", "soon", "--store", "memory:"], { env: { NO_COLOR: "1" } }),
      certory(["owners", "add"])
    ])
    expect(window.status).toBe(1)
    expect(window.stderr).not.toMatch(ESCAPE)
    expect(window.stderr).toMatch(/^certory expiring: invalid --within: [^\n]*\n$/)
    expect(missing.status).toBe(1)
    expect(missing.stderr).toBe("certory owners add: Missing argument <owner>\n")
  })

  it("every command's help shows an example", async () => {
    // Every command of the tree the parser reads, so a new command without an example fails here.
    const paths: Array<Array<string>> = []
    const walk = (node: Node, path: Array<string>) => {
      if (path.length > 0) paths.push(path)
      for (const [name, child] of node.children) walk(child, [...path, name])
    }
    walk(tree(root), [])
    expect(paths.length).toBeGreaterThanOrEqual(23)
    for (let i = 0; i < paths.length; i += 6) {
      const runs = await Promise.all(paths.slice(i, i + 6).map((path) => certory([...path, "--help"])))
      runs.forEach((run, k) => {
        const command = paths[i + k]!.join(" ")
        expect(run.status, command).toBe(0)
        expect(run.stdout, command).toMatch(/Example:\s+(?:\S+=\S+\s+)?certory\s/)
      })
    }
  })
})
