/**
 * Arguments and options shared by the inventory commands, parsed through the domain schemas so the
 * command line accepts exactly what the domain does.
 */
import { Ids } from "@certory/domain"
import { Args, HelpDoc, Options, ValidationError } from "@effect/cli"
import { Duration, Effect, Either, Option, ParseResult, Schema } from "effect"

/**
 * Decodes a command-line text through a schema; a failure is one line (the schema's own message), not
 * the tree @effect/cli prints for `withSchema`.
 */
export const decodeText =
  <A>(schema: Schema.Schema<A, string>, what: string) =>
  (text: string): Effect.Effect<A, HelpDoc.HelpDoc> =>
    Either.match(Schema.decodeEither(schema)(text), {
      onLeft: (error) => {
        const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
        return Effect.fail(HelpDoc.p(`invalid ${what}: ${issue?.message ?? text}`))
      },
      onRight: Effect.succeed
    })

/** The same for options, whose failures are ValidationErrors. */
export const decodeOption =
  <A>(schema: Schema.Schema<A, string>, what: string) =>
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

/** A duration such as "30 days", "12 hours" or "2 weeks". */
export const DurationFromText = Schema.transformOrFail(Schema.String, Schema.DurationFromSelf, {
  strict: true,
  decode: (text, _, ast) =>
    Option.match(Duration.decodeUnknown(text.trim()), {
      onNone: () =>
        ParseResult.fail(
          new ParseResult.Type(ast, text, `"${text}" is not a duration (e.g. "30 days", "12 hours")`)
        ),
      onSome: ParseResult.succeed
    }),
  encode: (duration) => ParseResult.succeed(Duration.format(duration))
})

export const duration = (name: string) =>
  Options.text(name).pipe(
    Options.mapEffect(decodeOption(DurationFromText, `--${name}`)),
    Options.withPseudoName("duration")
  )

/** Option.Option -> an optional property, for the domain's exact optional inputs. */
export const optional = <K extends string, A>(key: K, value: Option.Option<A>): { [P in K]?: A } =>
  (Option.isSome(value) ? { [key]: value.value } : {}) as { [P in K]?: A }
