/**
 * `certory import <owner> <file|->...`: binds the certificates of each input to the owner, each input
 * whole or not at all, in batches of inputs (importCertificateBatch: one store write per batch). An input that is not
 * certificates (or would exceed the owner's limit) is reported and skipped, and the command exits 1;
 * a failure about the owner itself stops the command.
 */
import {
  CertificateParser,
  CreateOwner,
  type ImportCertificates as I,
  Ids,
  ImportCertificates,
  RemoveOwner
} from "@certory/domain"
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Either, Option, Schema } from "effect"
import * as Flags from "../Flags.js"
import * as Input from "../Input.js"
import * as Json from "../Json.js"
import * as Local from "../Local.js"
import * as Progress from "../Progress.js"
import * as Report from "../Report.js"

const inputs = Args.text({ name: "file|dir|-" }).pipe(
  Args.withDescription(
    "certificate files (PEM, DER, base64, PKCS#7), directories (every file under them, by content), - for standard input"
  ),
  Args.atLeast(1)
)
const createOwner = Options.boolean("create-owner").pipe(
  Options.withDescription("create the owner first when it does not exist")
)
const keyHistory = Options.boolean("key-history").pipe(
  Options.withDescription("the certificates are key history (kept for decryption)")
)
const archivedOnCa = Options.boolean("archived-on-ca").pipe(
  Options.withDescription("the keys are archived on the CA")
)
const certificateType = Options.integer("certificate-type").pipe(
  Options.withDescription("MIM CM CertificateType, kept as given (default 1)"),
  Options.optional
)
const use = Options.choice("use", ["signing", "encryption", "authentication", "other"]).pipe(
  Options.withDescription("what the owner uses them for (default signing; IdPs only hold signing)"),
  Options.optional
)
const origin = Options.choice("origin", ["native", "external"]).pipe(
  Options.withDescription("issued by the organization's CA (native, default) or elsewhere"),
  Options.optional
)

const ImportedList = Schema.Array(Json.Imported)

/** Inputs per store write (the use-case also splits at DomainConfig.maxImportCertificates certificates). */
const BATCH = 200

export const importCommand = Command.make(
  "import",
  {
    ...Local.storeOptions,
    owner: Flags.owner,
    inputs,
    createOwner,
    keyHistory,
    archivedOnCa,
    certificateType,
    use,
    origin,
    json: Flags.json
  },
  (args) =>
    Local.run(
      "import",
      args,
      (principal) =>
        Effect.gen(function* () {
          // Every input is read before anything is written: an unreadable one is reported, not fatal.
          const inputs: Array<{ readonly name: string; readonly bytes: Uint8Array }> = []
          let failed = 0
          const expanded = Input.expand(args.inputs)
          for (const { path, reason } of expanded.unreadable) {
            failed++
            yield* Console.error(`certory import: ${path}: cannot list: ${reason}`)
          }
          for (const input of expanded.files) {
            const name = Input.displayName(input)
            const bytes = yield* Effect.either(Input.read(input))
            if (Either.isLeft(bytes)) {
              failed++
              yield* Console.error(`certory import: ${name}: cannot read: ${bytes.left.message}`)
            } else inputs.push({ name, bytes: bytes.right })
          }
          let created = false
          if (args.createOwner) {
            // All or nothing: the owner is created only when some input holds certificates, and removed
            // again below when nothing could be bound to it after all.
            // Parsing stops at the first input that holds certificates: the others are parsed once, below.
            const parser = yield* CertificateParser.CertificateParser
            const failures: Array<string> = []
            let importable = false
            for (const { name, bytes } of inputs) {
              const parsed = yield* Effect.either(parser.parse(bytes))
              if (Either.isRight(parsed) && parsed.right.length > 0) {
                importable = true
                break
              }
              const reason = Either.isLeft(parsed) ? parsed.left.message : "the input holds no certificate"
              failures.push(`certory import: ${name}: ${reason} (nothing imported from it)`)
            }
            if (importable) {
              // Idempotent: several imports creating the same owner at once all go on.
              created = (yield* CreateOwner.ensureOwner(principal, { ref: args.owner })).created
            } else {
              for (const failure of failures) yield* Console.error(failure)
              process.exitCode = 1
              return yield* Console.error(
                `certory import: nothing to import: ${Ids.ownerKey(args.owner)} was not created`
              )
            }
          }
          const attributes = {
            isKeyHistory: args.keyHistory,
            archivedOnCa: args.archivedOnCa,
            ...Flags.optional("certificateType", args.certificateType),
            ...Flags.optional("use", args.use)
          }
          // The CLI is the surface: it records where the bindings came from.
          const surface = {
            origin: Option.getOrElse(args.origin, () => "native" as const),
            source: "file" as const
          }
          const reports: Array<(typeof ImportedList.Type)[number]> = []
          let bound = 0
          const counts = { created: 0, alreadyBound: 0, duplicateInInput: 0 }
          const progress = Progress.make(inputs.length)
          // Inputs go to the store in batches (one write per batch, each input still whole or nothing):
          // one write per file made a directory import ~6x slower than the store's own bind.
          for (let start = 0; start < inputs.length; start += BATCH) {
            const group = inputs.slice(start, start + BATCH)
            const outcomes = yield* ImportCertificates.importCertificateBatch(
              principal,
              { owner: args.owner, inputs: group.map((input) => input.bytes), attributes },
              surface
            ).pipe(Effect.tapError(() => Effect.sync(progress.done)))
            for (const [k, { name }] of group.entries()) {
              progress.step()
              const outcome = outcomes[k]!
              if (Either.isLeft(outcome)) {
                failed++
                progress.clear()
                yield* Console.error(
                  `certory import: ${name}: ${outcome.left.message} (nothing imported from it)`
                )
                continue
              }
              const results: ReadonlyArray<I.Imported> = outcome.right
              bound += results.length
              for (const result of results) counts[result.outcome]++
              if (args.json) reports.push(...results.map((result) => ({ input: name, ...result })))
              else {
                progress.clear()
                yield* Console.log(Report.imported(name, results))
              }
            }
          }
          if (created && bound === 0) {
            yield* RemoveOwner.removeOwner(principal, args.owner)
            yield* Console.error(
              `certory import: nothing imported: ${Ids.ownerKey(args.owner)} was not created`
            )
          }
          progress.done()
          if (args.json) yield* Console.log(Json.stringify(ImportedList, reports))
          else
            yield* Console.log(
              `imported ${counts.created}, already present ${counts.alreadyBound}, duplicate in input ${counts.duplicateInInput}, failed ${failed} (${expanded.files.length} ${expanded.files.length === 1 ? "input" : "inputs"})`
            )
          if (failed > 0) process.exitCode = 1
        }),
      { create: true }
    )
).pipe(
  Command.withDescription(
    "Import certificates and bind them to an owner; exits 1 when any input failed, after importing the others. Example: certory import smartcard:5badfea3-de31-4837-99f9-8249515a5473 card.pem --create-owner"
  )
)
