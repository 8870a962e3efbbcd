/**
 * Arguments and options shared by the inventory commands, parsed through the domain schemas so the
 * command line accepts exactly what the domain does.
 */
import { Ids, Inputs } from "@certory/domain"
import { Args, HelpDoc, Options, ValidationError } from "@effect/cli"
import { Effect, Either, Option, ParseResult, Schema } from "effect"

/**
 * Decodes a command-line text through a schema; a failure is one line (the schema's own message), not
 * the tree @effect/cli prints for `withSchema`.
 */
export const decodeText =
  <A, I>(schema: Schema.Schema<A, I>, what: string) =>
  (text: string): Effect.Effect<A, HelpDoc.HelpDoc> =>
    Either.match(Schema.decodeUnknownEither(schema)(text), {
      onLeft: (error) => {
        const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
        return Effect.fail(HelpDoc.p(`invalid ${what}: ${issue?.message ?? text}`))
      },
      onRight: Effect.succeed
    })

/** The same for options, whose failures are ValidationErrors. */
export const decodeOption =
  <A, I>(schema: Schema.Schema<A, I>, what: string) =>
  (text: string): Effect.Effect<A, ValidationError.ValidationError> =>
    Effect.mapError(decodeText(schema, what)(text), ValidationError.invalidValue)

export const owner = Args.text({ name: "owner" }).pipe(
  Args.withDescription(
    "smartcard:<guid>, profile:<guid>, identity-store:<id> or idp:<identity-store-id>/<idp-id>"
  ),
  Args.mapEffect(decodeText(Ids.OwnerRefFromString, "owner"))
)

export const json = Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table"))

export const limit = Options.integer("limit").pipe(
  Options.withDescription("page size, 1 to 1000 (default 100)"),
  Options.optional
)

export const cursor = Options.text("cursor").pipe(
  Options.withDescription("continue after the page that printed this cursor"),
  Options.optional
)

/**
 * A duration option (`30d`, `12h`, `2w`, `30 days`, `P30D`): the domain's one parser and bounds
 * (`Inputs.Window`: more than zero, at most a century), so the CLI accepts exactly what the API does.
 */
export const duration = (name: string) =>
  Options.text(name).pipe(
    Options.mapEffect(decodeOption(Inputs.Window, `--${name}`)),
    Options.withPseudoName("duration")
  )

/** Option.Option -> an optional property, for the domain's exact optional inputs. */
export const optional = <K extends string, A>(key: K, value: Option.Option<A>): { [P in K]?: A } =>
  (Option.isSome(value) ? { [key]: value.value } : {}) as { [P in K]?: A }
