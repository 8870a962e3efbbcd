#!/usr/bin/env node
/**
 * The CLI entrypoint: checks the command line for unknown options before anything runs, composes the
 * Node platform and runs the command tree. @effect/cli prints usage errors itself, so the runtime's own
 * error report is off; an unexpected defect prints one line, not a stack trace, and exits 1 (2 means
 * "something expires" for `certory expiring`). A closed stdout (`| head`) ends the process quietly; colours only on a terminal (Output.ts).
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect } from "effect"
import { scan } from "./Argv.js"
import { certory, run } from "./Cli.js"
import * as Completions from "./Completions.js"
import * as Output from "./Output.js"

for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0)
    throw error
  })
}

const argv = process.argv.slice(2)
const line = scan(certory, argv)
Output.install({ help: line.help || process.argv.length <= 2, path: line.path })
const unknown = line.unknown
const shell = argv.findIndex((token) => token === "--completions" || token === "--completions=bash")
if (shell !== -1 && (argv[shell] === "--completions=bash" || argv[shell + 1] === "bash")) {
  // Ours: @effect/cli's bash script stops at the first level (Completions.ts). zsh and fish are @effect/cli's.
  process.stdout.write(Completions.bash(certory))
} else if (unknown !== undefined) {
  process.stderr.write(`${unknown.command}: ${unknown.message}; see ${unknown.command} --help\n`)
  process.exitCode = 1
} else {
  run(process.argv).pipe(
    Effect.catchAllDefect((defect) =>
      Console.error(`certory: internal error: ${Cause.pretty(Cause.die(defect)).split("\n")[0]}`).pipe(
        Effect.zipRight(Effect.sync(() => process.exit(1)))
      )
    ),
    Effect.provide(NodeContext.layer),
    NodeRuntime.runMain({ disableErrorReporting: true })
  )
}
