/**
 * `certory --completions bash`: the script is loaded into a real bash and asked what it offers for a
 * command line, as bash does on TAB (COMP_WORDS / COMP_CWORD, then COMPREPLY): nested commands and their
 * options, choice values (also as --option=value), file names for --db and for file arguments, nothing
 * guessed for owners. zsh and fish stay @effect/cli's scripts.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { certory, tempDir } from "./support.js"

let script = ""
let dir = ""

/** What the script offers for `words`, the last one being the word under the cursor. */
const complete = (...words: ReadonlyArray<string>): Array<string> => {
  const quoted = words.map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(" ")
  const run = spawnSync(
    "bash",
    [
      "-c",
      `source '${script}' && COMP_WORDS=(${quoted}) && COMP_CWORD=${words.length - 1} && _certory_complete && printf '%s\\n' "\${COMPREPLY[@]}"`
    ],
    { cwd: dir, encoding: "utf8" }
  )
  expect(run.stderr).toBe("")
  expect(run.status).toBe(0)
  return run.stdout.split("\n").filter((line) => line !== "")
}

describe("certory --completions bash", { timeout: 300_000 }, () => {
  beforeAll(async () => {
    dir = tempDir()
    const run = await certory(["--completions", "bash"])
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)
    script = join(tempDir(), "certory.bash")
    writeFileSync(script, run.stdout)
    mkdirSync(join(dir, "certs"))
    for (const name of ["card.pem", "card chain.p7b", "old.der"]) writeFileSync(join(dir, "certs", name), "")
    writeFileSync(join(dir, "--odd.pem"), "")
  })

  it("is valid bash that registers the function for certory", () => {
    const run = spawnSync("bash", ["-c", `source '${script}' && complete -p certory`], { encoding: "utf8" })
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toBe("complete -F _certory_complete certory")
  })

  it("offers the commands, then the nested commands, then their own options", () => {
    expect(complete("certory", "")).toEqual(expect.arrayContaining(["owners", "import", "list", "tokens"]))
    expect(complete("certory", "ow")).toEqual(["owners"])
    expect(complete("certory", "owners", "")).toEqual(["add", "list", "show", "remove"])
    expect(complete("certory", "tokens", "")).toEqual(["create", "list", "revoke"])
    const add = complete("certory", "owners", "add", "--")
    expect(add).toEqual(expect.arrayContaining(["--metadata-url", "--name", "--store", "--db", "--help"]))
    expect(add).not.toContain("--kind")
    expect(complete("certory", "owners", "list", "--k")).toEqual(["--kind"])
    // An option's value does not end the command path: options after it are still the command's.
    expect(complete("certory", "--log-level", "info", "owners", "remove", "--y")).toEqual(["--yes"])
    expect(complete("certory", "list", "smartcard:x", "--format", "json", "--key")).toEqual(["--key-history"])
  })

  it("offers an option's choices, also after = (split by COMP_WORDBREAKS or not)", () => {
    const formats = ["table", "wide", "json", "mim", "huawei", "pem"]
    expect(complete("certory", "list", "x", "--format", "")).toEqual(formats)
    expect(complete("certory", "list", "x", "--format", "j")).toEqual(["json"])
    expect(complete("certory", "list", "x", "--format", "=", "")).toEqual(formats)
    expect(complete("certory", "list", "x", "--format", "=", "w")).toEqual(["wide"])
    expect(complete("certory", "list", "x", "--format=h")).toEqual(["--format=huawei"])
    expect(complete("certory", "owners", "list", "--kind", "")).toEqual([
      "smartcard",
      "profile",
      "identity-store",
      "idp"
    ])
    expect(complete("certory", "tokens", "create", "--role", "d")).toEqual(["delegated-administrator"])
    expect(complete("certory", "import", "x", "--use", "")).toEqual(expect.arrayContaining(["signing"]))
    expect(complete("certory", "--completions", "")).toEqual(["sh", "bash", "fish", "zsh"])
    // A free-text value is not guessed.
    expect(complete("certory", "owners", "add", "--name", "")).toEqual([])
  })

  it("offers file names for --db and for file arguments, none for owners", () => {
    const files = ["certs/card chain.p7b", "certs/card.pem", "certs/old.der"]
    expect(complete("certory", "import", "smartcard", ":", "x", "certs/").sort()).toEqual(files)
    expect(complete("certory", "inspect", "--json", "certs/c").sort()).toEqual(files.slice(0, 2))
    expect(complete("certory", "list", "--db", "cer")).toEqual(["certs"])
    expect(complete("certory", "list", "smartcard:x", "")).toEqual([])
    expect(complete("certory", "owners", "show", "c")).toEqual([])
    // After --, a word starting with - is a file name, not an option.
    expect(complete("certory", "inspect", "--", "--")).toEqual(["--odd.pem"])
    expect(complete("certory", "inspect", "--")).toEqual([
      "--json",
      "--help",
      "--version",
      "--wizard",
      "--completions",
      "--log-level"
    ])
  })
})
