/**
 * `certory owners add|list|show|remove`: the owners certificates are bound to.
 */
import { CreateOwner, Ids, ListOwners, RemoveOwner } from "@certory/domain"
import { Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import * as Confirm from "../Confirm.js"
import * as Flags from "../Flags.js"
import * as Json from "../Json.js"
import * as Local from "../Local.js"
import * as OwnerSummary from "../OwnerSummary.js"
import * as Report from "../Report.js"

const name = Options.text("name").pipe(Options.withDescription("display name"), Options.optional)
const metadataUrl = Options.text("metadata-url").pipe(
  Options.withDescription("external IdPs: where their SAML metadata is published"),
  Options.optional
)

const add = Command.make(
  "add",
  { ...Local.storeOptions, owner: Flags.owner, name, metadataUrl },
  ({ owner, name, metadataUrl, ...choice }) =>
    Local.run(
      "owners add",
      choice,
      (principal) =>
        CreateOwner.createOwner(principal, {
          ref: owner,
          ...Flags.optional("displayName", name),
          ...Flags.optional("metadataUrl", metadataUrl)
        }).pipe(Effect.zipRight(Console.log(`created ${Ids.ownerKey(owner)}`))),
      { create: true }
    )
).pipe(
  Command.withDescription(
    "Create an owner (an IdP needs its identity store first). Example: certory owners add idp:d-66f1a2b3b80/idp-okta --metadata-url https://idp.example/metadata.xml"
  )
)

const kind = Options.choiceWithValue("kind", [
  ["smartcard", "SmartCard" as const],
  ["profile", "Profile" as const],
  ["identity-store", "IdentityStore" as const],
  ["idp", "Idp" as const]
]).pipe(Options.withDescription("only owners of this kind"), Options.optional)
const identityStore = Options.text("identity-store").pipe(
  Options.mapEffect(Flags.decodeOption(Ids.IdentityStoreId, "--identity-store")),
  Options.withDescription("only this identity store and its IdPs"),
  Options.optional
)

const list = Command.make(
  "list",
  { ...Local.storeOptions, kind, identityStore, limit: Flags.limit, cursor: Flags.cursor, json: Flags.json },
  ({ kind, identityStore, limit, cursor, json, ...choice }) =>
    Local.run("owners list", choice, (principal) =>
      ListOwners.listOwners(principal, {
        ...Flags.optional("kind", kind),
        ...Flags.optional("identityStoreId", identityStore),
        ...Flags.optional("limit", limit),
        ...Flags.optional("cursor", cursor)
      }).pipe(
        Effect.flatMap((page) =>
          Console.log(json ? Json.stringify(Json.OwnerPage, page) : Report.owners(page))
        )
      )
    )
).pipe(
  Command.withDescription(
    "List owners by canonical reference. Example: certory owners list --kind idp --identity-store d-66f1a2b3b80"
  )
)

const show = Command.make(
  "show",
  { ...Local.storeOptions, owner: Flags.owner, json: Flags.json },
  ({ owner, json, ...choice }) =>
    Local.run("owners show", choice, (principal) =>
      OwnerSummary.summary(principal, owner).pipe(
        Effect.flatMap((summary) =>
          Console.log(json ? Json.stringify(Json.OwnerSummary, summary) : Report.ownerSummary(summary))
        )
      )
    )
).pipe(
  Command.withDescription(
    "Show an owner with its certificate counts (an identity store: its IdPs; an IdP: its last SAML metadata sync). Example: certory owners show idp:d-66f1a2b3b80/idp-azure"
  )
)

const remove = Command.make(
  "remove",
  { ...Local.storeOptions, owner: Flags.owner, yes: Confirm.yes },
  ({ owner, yes, ...choice }) =>
    Local.run("owners remove", choice, (principal) =>
      OwnerSummary.removal(principal, owner).pipe(
        Effect.flatMap((what) => Confirm.confirm(what, yes)),
        Effect.zipRight(RemoveOwner.removeOwner(principal, owner)),
        Effect.zipRight(Console.log(`removed ${Ids.ownerKey(owner)}`))
      )
    )
).pipe(
  Command.withDescription(
    "Remove an owner and its bindings (an identity store takes its IdPs with it); asks first, or --yes. Example: certory owners remove identity-store:d-66f1a2b3b80 --yes"
  )
)

export const owners = Command.make("owners").pipe(
  Command.withDescription("Manage the owners certificates are bound to"),
  Command.withSubcommands([add, list, show, remove])
)
