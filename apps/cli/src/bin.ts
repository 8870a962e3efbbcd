#!/usr/bin/env node
/**
 * The CLI entrypoint: composes the Node platform and runs the command tree. @effect/cli prints usage
 * errors itself, so the runtime's own error report is off; an unexpected defect prints one line, not a
 * stack trace, and exits 2.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect } from "effect"
import { run } from "./Cli.js"

run(process.argv).pipe(
  Effect.catchAllDefect((defect) =>
    Console.error(`certory: internal error: ${Cause.pretty(Cause.die(defect)).split("\n")[0]}`).pipe(
      Effect.zipRight(Effect.sync(() => process.exit(2)))
    )
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
