/**
 * Destructive commands (`owners remove`, `unbind`, `tokens revoke`, `templates remove`) say what they
 * will remove first. With `--yes` they go ahead; on a terminal they ask; otherwise (a script, a pipe on
 * stdin, stderr redirected away from the terminal) they refuse with one line and remove nothing, so a
 * script never removes more than it meant.
 */
import { createInterface } from "node:readline"
import { Options } from "@effect/cli"
import { Effect } from "effect"

export const yes = Options.boolean("yes").pipe(
  Options.withAlias("y"),
  Options.withDescription("do not ask for confirmation (needed when stdin is not a terminal)")
)

export class NotConfirmed {
  readonly _tag = "NotConfirmed"
  constructor(readonly message: string) {}
}

/** Asks on stderr, reads one line from stdin: only y / yes goes ahead. */
const ask = (question: string): Effect.Effect<boolean> =>
  Effect.async<boolean>((resume) => {
    const prompt = createInterface({ input: process.stdin, output: process.stderr })
    let answered = false
    prompt.question(`${question} [y/N] `, (answer) => {
      answered = true
      prompt.close()
      resume(Effect.succeed(/^\s*y(es)?\s*$/i.test(answer)))
    })
    // Ctrl-D or a closed stdin is a no.
    prompt.on("close", () => {
      if (!answered) resume(Effect.succeed(false))
    })
    return Effect.sync(() => prompt.close())
  })

/**
 * Goes ahead when `--yes` was given or the user confirms on a terminal; otherwise fails with one line
 * naming what would have been removed. `what` reads after "remove" ("identity-store:x and its 2 IdPs").
 */
export const confirm = (what: string, yes: boolean): Effect.Effect<void, NotConfirmed> => {
  if (yes) return Effect.void
  // The question goes to stderr and the answer comes from stdin: both must be the terminal, or the
  // user would be asked where they cannot see it (`2>log`) or answer where they cannot type.
  const notTerminal =
    process.stdin.isTTY !== true ? "stdin" : process.stderr.isTTY !== true ? "stderr" : undefined
  if (notTerminal !== undefined)
    return Effect.fail(
      new NotConfirmed(
        `this would remove ${what}; nothing removed: add --yes to confirm (${notTerminal} is not a terminal)`
      )
    )
  return Effect.flatMap(ask(`Remove ${what}?`), (confirmed) =>
    confirmed ? Effect.void : Effect.fail(new NotConfirmed(`not confirmed: nothing removed`))
  )
}
