/**
 * `certory inspect [--json] <file|->...`: prints the facts of every certificate in every input. Exits 1
 * when any input or any PEM block failed (each failure on stderr, naming the input and the block), after
 * still reporting the others: a bad block does not hide the good ones of the same file.
 */
import { parseCertificatesBlockwise } from "@certory/x509"
import { Args, Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Either } from "effect"
import * as Input from "../Input.js"
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
    const now = yield* Clock.currentTimeMillis
    const reports: Array<unknown> = []
    const texts: Array<string> = []
    let failed = 0
    for (const input of inputs) {
      const name = input === "-" ? "<stdin>" : input
      const bytes = yield* Effect.either(Input.read(input))
      if (Either.isLeft(bytes)) {
        failed++
        yield* Console.error(`certory inspect: ${name}: cannot read: ${bytes.left.message}`)
        continue
      }
      const outcome = yield* Effect.promise(() => parseCertificatesBlockwise(bytes.right))
      for (const failure of outcome.failures) {
        failed++
        yield* Console.error(`certory inspect: ${name}: ${failure.message}`)
      }
      outcome.certificates.forEach((facts, i) => {
        const origin = outcome.origins[i]!
        if (json) reports.push(toJson(name, i + 1, origin, facts))
        else texts.push(toText(name, i + 1, origin, facts, now))
      })
    }
    if (json) yield* Console.log(JSON.stringify(reports, null, 2))
    else if (texts.length > 0) yield* Console.log(texts.join("\n\n"))
    if (failed > 0) process.exitCode = 1
  })
).pipe(
  Command.withDescription(
    "Print the facts of X.509 certificates (no store); exits 1 when any input or PEM block failed, after printing the others. Example: certory inspect card.pem chain.p7b --json"
  )
)
