/**
 * `certory tokens create|list|revoke`: API tokens for the HTTP API. The secret is printed once, at
 * creation; the store keeps only its hash.
 */
import { Ids, Principal as P, Page, type Token, Tokens } from "@certory/domain"
import { Args, Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Option, Schema } from "effect"
import * as Confirm from "../Confirm.js"
import * as Flags from "../Flags.js"
import * as Json from "../Json.js"
import * as Local from "../Local.js"
import * as Report from "../Report.js"

const name = Options.text("name").pipe(Options.withDescription("what the token is for (1 to 128 characters)"))
const role = Options.choice("role", ["administrator", "delegated-administrator", "operator", "reader"]).pipe(
  Options.withDescription(
    "administrator (everything), delegated-administrator (one identity store and its IdPs), operator (read, import, unbind the --owner ones), reader (read the --owner ones)"
  )
)
const identityStore = Options.text("identity-store").pipe(
  Options.mapEffect(Flags.decodeOption(Ids.IdentityStoreId, "--identity-store")),
  Options.withDescription("delegated-administrator: the identity store it administers"),
  Options.optional
)
const owners = Options.text("owner").pipe(
  Options.withDescription("operator, reader: an owner it may act on (repeat for several)"),
  Options.repeated,
  Options.mapEffect((texts) => Effect.forEach(texts, Flags.decodeOption(Ids.OwnerRefFromString, "--owner")))
)
const expires = Flags.duration("expires").pipe(
  Options.withDescription('how long it lives, e.g. 90d, "12 hours" (default: until revoked)'),
  Options.optional
)

class Usage {
  readonly _tag = "Usage"
  constructor(readonly message: string) {}
}

/** The grant the flags describe; a flag that does not fit the role is refused, not ignored. */
const grantOf = (
  role: "administrator" | "delegated-administrator" | "operator" | "reader",
  identityStore: Option.Option<Ids.IdentityStoreId>,
  owners: ReadonlyArray<Ids.OwnerRef>
): Effect.Effect<P.Grant, Usage> => {
  if (role !== "delegated-administrator" && Option.isSome(identityStore))
    return Effect.fail(new Usage(`--identity-store is for --role delegated-administrator, not ${role}`))
  if ((role === "administrator" || role === "delegated-administrator") && owners.length > 0)
    return Effect.fail(new Usage(`--owner is for --role operator or reader, not ${role}`))
  switch (role) {
    case "administrator":
      return Effect.succeed(new P.Administrator())
    case "delegated-administrator":
      return Option.match(identityStore, {
        onNone: () => Effect.fail(new Usage("--role delegated-administrator needs --identity-store ID")),
        onSome: (identityStoreId) => Effect.succeed(new P.DelegatedAdministrator({ identityStoreId }))
      })
    case "operator":
    case "reader":
      return owners.length === 0
        ? Effect.fail(new Usage(`--role ${role} needs at least one --owner REF`))
        : Effect.succeed(
            role === "operator" ? new P.OwnerOperator({ owners }) : new P.OwnerReader({ owners })
          )
  }
}

/** How a grant reads in a table. */
export const describeGrant = (grant: P.Grant): string => {
  switch (grant._tag) {
    case "Administrator":
      return "administrator"
    case "DelegatedAdministrator":
      return `delegated-administrator of ${grant.identityStoreId}`
    case "OwnerOperator":
      return `operator of ${grant.owners.map(Ids.ownerKey).join(", ")}`
    case "OwnerReader":
      return `reader of ${grant.owners.map(Ids.ownerKey).join(", ")}`
  }
}

const stateOf = (token: Token.ApiToken, now: number): string =>
  token.revokedAt !== undefined
    ? "revoked"
    : token.expiresAt !== undefined && now >= token.expiresAt
      ? "expired"
      : "active"

const encodeGrant = Schema.encodeSync(P.Grant)

const create = Command.make(
  "create",
  { ...Local.storeOptions, name, role, identityStore, owners, expires, json: Flags.json },
  ({ name, role, identityStore, owners, expires, json, ...choice }) =>
    Local.run("tokens create", choice, (principal) =>
      Effect.gen(function* () {
        const grant = yield* grantOf(role, identityStore, owners)
        const created = yield* Tokens.createToken(principal, {
          name,
          grant: encodeGrant(grant),
          ...(Option.isSome(expires) ? { expiresIn: expires.value } : {})
        })
        if (json) return yield* Console.log(Json.stringify(Json.CreatedToken, created))
        const { token, secret } = created
        yield* Console.log(
          `created token ${token.id} ${JSON.stringify(token.name)}: ${describeGrant(token.grant)}, ${
            token.expiresAt === undefined ? "until revoked" : `expires ${Report.iso(token.expiresAt)}`
          }`
        )
        yield* Console.log(`secret (shown only now; send it as Authorization: Bearer): ${secret}`)
      })
    )
).pipe(
  Command.withDescription(
    "Create an API token and print its secret once. Example: certory tokens create --name monitoring --role reader --owner idp:d-66f1a2b3b80/idp-azure --expires 90d"
  )
)

const list = Command.make("list", { ...Local.storeOptions, json: Flags.json }, ({ json, ...choice }) =>
  Local.run("tokens list", choice, (principal) =>
    Effect.gen(function* () {
      const items = yield* Page.allItems((cursor) =>
        Tokens.listTokens(principal, { limit: 1000, ...Page.at(cursor) })
      )
      if (json) return yield* Console.log(Json.stringify(Json.TokenList, items))
      if (items.length === 0) return yield* Console.log("no tokens")
      const now = yield* Clock.currentTimeMillis
      const width = Report.terminalWidth()
      // Fitted to a width, instants to the minute (UTC); whole on a pipe without COLUMNS and in JSON.
      const instant = (millis: number | undefined) =>
        millis === undefined
          ? "-"
          : width === undefined
            ? Report.iso(millis)
            : Report.iso(millis).slice(0, 16).replace("T", " ")
      yield* Console.log(
        Report.table(
          ["TOKEN ID", "NAME", "GRANT", "STATE", "EXPIRES", "LAST USED", "CREATED"],
          items.map((token) => [
            token.id,
            token.name,
            describeGrant(token.grant),
            stateOf(token, now),
            instant(token.expiresAt),
            instant(token.lastUsedAt),
            instant(token.createdAt)
          ]),
          // Fitted like `list`: the name and the grant give way first; the id is only ever cut at the
          // right edge. What a token may do comes before when it was made.
          { width, shrink: ["NAME", "GRANT"] }
        )
      )
    })
  )
).pipe(Command.withDescription("List API tokens (never their secrets). Example: certory tokens list --json"))

const tokenId = Args.text({ name: "token-id" }).pipe(
  Args.withDescription("the id `certory tokens list` shows")
)

/** The token as listed (the use-case lists, it has no single read): its name for the confirmation. */
const findToken = Effect.fn("findToken")(function* (principal: P.Principal, tokenId: string) {
  let cursor: string | undefined
  do {
    const page = yield* Tokens.listTokens(principal, {
      limit: 1000,
      ...(cursor === undefined ? {} : { cursor })
    })
    const found = page.items.find((token) => token.id === tokenId)
    if (found !== undefined) return Option.some(found)
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return Option.none<Token.ApiToken>()
})

const revoke = Command.make(
  "revoke",
  { ...Local.storeOptions, tokenId, yes: Confirm.yes },
  ({ tokenId, yes, ...choice }) =>
    Local.run("tokens revoke", choice, (principal) =>
      findToken(principal, tokenId).pipe(
        Effect.flatMap((found) =>
          Option.match(found, {
            // Unknown: the use-case says so in its own words, nothing to confirm.
            onNone: () => Effect.void,
            onSome: (token) =>
              token.revokedAt !== undefined
                ? Effect.void
                : Confirm.confirm(
                    `the API token ${token.id} ${JSON.stringify(token.name)} (its clients lose access)`,
                    yes
                  )
          })
        ),
        Effect.zipRight(Tokens.revokeToken(principal, tokenId)),
        Effect.flatMap((token) =>
          Console.log(
            `revoked token ${token.id} ${JSON.stringify(token.name)} (at ${Report.iso(token.revokedAt ?? 0)})`
          )
        )
      )
    )
).pipe(
  Command.withDescription(
    "Revoke an API token (at once; revoking again keeps the first time); asks first, or --yes. Example: certory tokens revoke <token-id> --yes"
  )
)

export const tokens = Command.make("tokens").pipe(
  Command.withDescription("Manage API tokens for the HTTP API"),
  Command.withSubcommands([create, list, revoke])
)
