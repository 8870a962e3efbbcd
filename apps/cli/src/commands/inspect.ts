/**
 * `certory inspect [--json] <file|->...`: prints the facts of every certificate in every input. Exits 1
 * when any input failed (each failure on stderr, naming the input), after still reporting the others.
 */
import { parseCertificates } from "@certory/x509"
import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Clock, Console, Effect, Either } from "effect"
import { readStdin } from "../Input.js"
import { toJson, toText } from "../InspectReport.js"

const json = Options.boolean("json").pipe(
  Options.withDescription("one JSON array with an object per certificate")
)
const inputs = Args.text({ name: "file|-" }).pipe(
  Args.withDescription("certificate files (PEM, DER, base64, PKCS#7); - reads standard input"),
  Args.atLeast(1)
)

export const inspect = Command.make("inspect", { json, inputs }, ({ json, inputs }) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const now = yield* Clock.currentTimeMillis
    const reports: Array<unknown> = []
    const texts: Array<string> = []
    let failed = 0
    for (const input of inputs) {
      const name = input === "-" ? "<stdin>" : input
      const bytes = yield* Effect.either(input === "-" ? readStdin : fs.readFile(input))
      if (Either.isLeft(bytes)) {
        failed++
        yield* Console.error(`certory inspect: ${name}: cannot read: ${bytes.left.message}`)
        continue
      }
      const outcome = yield* Effect.promise(() => parseCertificates(bytes.right))
      if (outcome._tag === "Failed") {
        failed++
        yield* Console.error(`certory inspect: ${name}: ${outcome.error.message}`)
        continue
      }
      outcome.certificates.forEach((facts, i) => {
        if (json) reports.push(toJson(name, i + 1, facts))
        else texts.push(toText(name, i + 1, facts, now))
      })
    }
    if (json) yield* Console.log(JSON.stringify(reports, null, 2))
    else if (texts.length > 0) yield* Console.log(texts.join("\n\n"))
    if (failed > 0) process.exitCode = 1
  })
).pipe(Command.withDescription("Print the facts of X.509 certificates"))
