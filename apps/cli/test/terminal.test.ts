/**
 * What the CLI does only on a terminal, through a pseudo-terminal from script(1) (as tables.test.ts
 * does): the import progress line on stderr (50+ inputs; never on a pipe) and the `[y/N]` question of a
 * destructive command (only y goes ahead; n, Ctrl-C and a closed stdin remove nothing). SQLite.
 */
import { spawn } from "node:child_process"
import { copyFileSync, mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { certory, cliArgv, cliEnv, DC, IDP, SMART_CARD, tempDir, USER } from "./support.js"

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes is the point.
const ESC = /\u001b/
const CLEAR = "\r\u001b[K"
// biome-ignore lint/suspicious/noControlCharactersInRegex: the progress line as Progress.ts draws it.
const DRAWN = /\r\u001b\[Kimporting \[[#.]{30}\] \d+\/\d+/g

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`

interface TerminalRun {
  readonly status: number | null
  /** What the terminal showed: stdout and stderr together, "\n" as "\r\n". */
  readonly out: string
}

/**
 * Runs the CLI on a pseudo-terminal (stdin, stdout and stderr; `shell` may redirect some elsewhere).
 * `answer`: once the output shows "[y/N]", what is typed (then stdin stays open), or "eof" to close stdin
 * (Ctrl-D); without it stdin is closed at once.
 */
const onTerminal = (
  args: ReadonlyArray<string>,
  options: { readonly answer?: string; readonly shell?: (line: string) => string } = {}
) =>
  new Promise<TerminalRun>((resolve, reject) => {
    const line = cliArgv(args).map(quote).join(" ")
    const child = spawn("script", ["-qec", options.shell?.(line) ?? line, "/dev/null"], {
      env: cliEnv({ NO_COLOR: undefined })
    })
    let out = ""
    let answered = false
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      if (options.answer !== undefined && !answered && out.includes("[y/N]")) {
        answered = true
        if (options.answer === "eof") child.stdin.end()
        else child.stdin.write(options.answer)
      }
    })
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, out }))
    if (options.answer === undefined) child.stdin.end()
  })

describe("on a terminal", { timeout: 600_000 }, () => {
  it("import shows a progress line on a terminal stderr for 50+ inputs, cleared before the summary; none on a pipe", async () => {
    const dir = tempDir()
    const inputs = join(dir, "inputs")
    mkdirSync(inputs)
    // 60 inputs: the three sample certificates, each under 20 names (one binding each, 57 already bound).
    for (let i = 0; i < 20; i++)
      for (const [source, name] of [
        [USER, "user.der"],
        [DC, "dc.pem"],
        [IDP, "idp.pem"]
      ] as const)
        copyFileSync(source, join(inputs, `${String(i).padStart(2, "0")}-${name}`))
    const summary = "imported 3, already present 57, duplicate in input 0, failed 0 (60 inputs)"

    const terminal = await onTerminal([
      "import",
      SMART_CARD,
      inputs,
      "--create-owner",
      "--db",
      join(dir, "terminal.sqlite")
    ])
    expect(terminal.status).toBe(0)
    const out = terminal.out
    // The last draw shows every input done; it is cleared before the summary, which follows it.
    expect(out).toContain(`${CLEAR}importing [${"#".repeat(30)}] 60/60`)
    const last = out.lastIndexOf("importing [")
    const end = out.indexOf(summary)
    expect(end).toBeGreaterThan(last)
    expect(out.slice(last, end)).toContain(CLEAR)
    // Every draw starts by clearing the line; without the draws and clears, the lines are whole.
    expect(out.split("importing [").length - 1).toBe(out.match(DRAWN)?.length)
    const rest = out.replace(DRAWN, "").replaceAll(CLEAR, "").replaceAll("\r\n", "\n")
    expect(rest).not.toMatch(ESC)
    const restLines = rest.replace(/\n$/, "").split("\n")
    expect(restLines).toHaveLength(61)
    for (const line of restLines.slice(0, 60))
      expect(line).toMatch(/^\S+\/\d\d-(user\.der|dc\.pem|idp\.pem) #1: (created|already bound) /)
    expect(restLines[60]).toBe(summary)

    // stdout on the terminal, stderr to a pipe (into a file through cat): no progress line at all.
    const stderrFile = join(dir, "stderr.txt")
    const half = await onTerminal(["import", SMART_CARD, inputs, "--db", join(dir, "terminal.sqlite")], {
      shell: (line) => `{ ${line} 2>&1 1>&3 3>&- | cat > ${quote(stderrFile)}; } 3>&1`
    })
    expect(half.status).toBe(0)
    expect(readFileSync(stderrFile, "utf8")).toBe("")
    expect(half.out).not.toContain("importing")
    expect(half.out).not.toMatch(ESC)
    expect(half.out).toContain("imported 0, already present 60, duplicate in input 0, failed 0 (60 inputs)")

    // Everything to pipes: no "\r", no escape codes, no progress line.
    const piped = await certory([
      "import",
      SMART_CARD,
      inputs,
      "--create-owner",
      "--db",
      join(dir, "piped.sqlite")
    ])
    expect(piped.status).toBe(0)
    expect(piped.stderr).toBe("")
    for (const text of [piped.stdout, piped.stderr]) {
      expect(text).not.toContain("\r")
      expect(text).not.toMatch(ESC)
      expect(text).not.toContain("importing")
    }
    expect(piped.stdout.endsWith(`\n${summary}\n`)).toBe(true)
  })

  it("owners remove asks [y/N] on a terminal: n, Ctrl-C, a closed stdin or stderr off the terminal remove nothing, y removes", async () => {
    const db = ["--db", join(tempDir(), "certory.sqlite")]
    const imported = await certory(["import", SMART_CARD, USER, DC, "--create-owner", ...db])
    expect(imported.status).toBe(0)
    const question = `Remove ${SMART_CARD} and its 2 certificate bindings? [y/N]`
    const stillThere = async () => {
      const shown = await certory(["owners", "show", SMART_CARD, "--json", ...db])
      expect(shown.stderr).toBe("")
      expect(shown.status).toBe(0)
      expect((JSON.parse(shown.stdout) as { certificates: { total: number } }).certificates.total).toBe(2)
    }

    // n, Ctrl-C (readline has the terminal raw: it reads the byte) and Ctrl-D / a closed stdin.
    for (const answer of ["n\r", "\u0003", "eof"]) {
      const run = await onTerminal(["owners", "remove", SMART_CARD, ...db], { answer })
      expect(run.out).toContain(question)
      expect(run.out).toContain("certory owners remove: not confirmed: nothing removed")
      expect(run.out).not.toContain("removed smartcard")
      expect(run.status).toBe(1)
      await stillThere()
    }

    // stdin on the terminal but stderr (where the question goes) in a file: not asked, refused.
    const stderrFile = join(tempDir(), "stderr.txt")
    const hidden = await onTerminal(["owners", "remove", SMART_CARD, ...db], {
      shell: (line) => `${line} 2>${quote(stderrFile)}`
    })
    expect(hidden.status).toBe(1)
    expect(hidden.out).not.toContain("[y/N]")
    expect(readFileSync(stderrFile, "utf8")).toBe(
      `certory owners remove: this would remove ${SMART_CARD} and its 2 certificate bindings; nothing removed: add --yes to confirm (stderr is not a terminal)\n`
    )
    await stillThere()

    const yes = await onTerminal(["owners", "remove", SMART_CARD, ...db], { answer: "y\r" })
    expect(yes.out).toContain(question)
    expect(yes.out).toContain(`removed ${SMART_CARD}`)
    expect(yes.out).not.toContain("not confirmed")
    expect(yes.status).toBe(0)
    const owners = await certory(["owners", "list", "--json", ...db])
    expect(owners.status).toBe(0)
    expect(owners.stdout).not.toContain(SMART_CARD)
    const gone = await certory(["owners", "show", SMART_CARD, ...db])
    expect(gone.status).not.toBe(0)
  })
})
