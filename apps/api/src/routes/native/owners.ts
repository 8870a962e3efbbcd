/**
 * Owners: each kind (smart cards, profiles, identity stores, their IdPs) created idempotently with PUT
 * (201 + Location, else 200 unchanged), read, changed with PATCH and removed; and the list of the
 * owners the caller may read. The kinds' paths are here, for the certificate routes under them too.
 */

import type { Authorization } from "@certory/domain"
import { CreateOwner, GetIdpSync, GetOwner, Ids, ListOwners, RemoveOwner, UpdateOwner } from "@certory/domain"
import { Effect, Option, Schema } from "effect"
import type { Context } from "hono"
import * as Auth from "../../Auth.js"
import type { Env } from "../../Http.js"
import * as Wire from "../../NativeWire.js"
import type * as OpenApi from "../../OpenApi.js"
import { type BadPath, DECODED, guidOf, idpOf, storeOf } from "../../Paths.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import { problems } from "./Problems.js"
import { PREFIX, type Routes, SECURITY } from "./Routes.js"

/** One kind of owner: its paths (Hono and OpenAPI), parameters and how the path names it. */
export interface Kind {
  readonly name: string
  readonly what: string
  readonly hono: string
  readonly openapi: string
  readonly parameters: ReadonlyArray<OpenApi.Parameter>
  readonly ref: (c: Context<Env>) => Effect.Effect<Ids.OwnerRef, BadPath>
}

const guidKind = (segment: "smartcards" | "profiles"): Kind => ({
  name: segment === "smartcards" ? "SmartCard" : "Profile",
  what: segment === "smartcards" ? "smart card" : "software profile",
  hono: `${PREFIX}/${segment}/:guid`,
  openapi: `${PREFIX}/${segment}/{guid}`,
  parameters: [
    { name: "guid", in: "path", schema: Ids.Guid, description: "the GUID, in any case or with braces" }
  ],
  ref: (c) =>
    Effect.map(guidOf(c, "guid"), (id) =>
      segment === "smartcards" ? Ids.SmartCardRef.make({ id }, DECODED) : Ids.ProfileRef.make({ id }, DECODED)
    )
})

const storeParameter: OpenApi.Parameter = {
  name: "identity_store_id",
  in: "path",
  schema: Ids.IdentityStoreId,
  description: "e.g. d-66f1a2b3b80"
}

export const KINDS: ReadonlyArray<Kind> = [
  guidKind("smartcards"),
  guidKind("profiles"),
  {
    name: "IdentityStore",
    what: "identity store",
    hono: `${PREFIX}/identity-stores/:identity_store_id`,
    openapi: `${PREFIX}/identity-stores/{identity_store_id}`,
    parameters: [storeParameter],
    ref: (c) => Effect.map(storeOf(c), (id) => Ids.IdentityStoreRef.make({ id }, DECODED))
  },
  {
    name: "Idp",
    what: "external identity provider",
    hono: `${PREFIX}/identity-stores/:identity_store_id/idps/:idp_id`,
    openapi: `${PREFIX}/identity-stores/{identity_store_id}/idps/{idp_id}`,
    parameters: [
      storeParameter,
      { name: "idp_id", in: "path", schema: Ids.IdpId, description: "the IdP's id within its store" }
    ],
    ref: idpOf
  }
]

/** The OpenAPI tags of a kind's operations (the owner's and its certificates'). */
export const tagsOf = (kind: Kind) => [`Native: ${kind.what}s`]

/** The caller and the owner the path names, the grant checked for `action` before anything else. */
export const ownerAccess = (routes: Routes, c: Context<Env>, kind: Kind, action: Authorization.Action) =>
  Auth.ownerAccess(routes.authenticate(c), kind.ref(c), action)

const encodeOwner = Schema.encodeSync(Wire.Owner)

const OwnersPage = Wire.Page(Wire.Owner, "OwnersPage")

const OwnersQuery = Schema.Struct({
  kind: Input.optional(Wire.OwnerKind),
  identityStoreId: Input.optional(Schema.String),
  ...Input.PageQuery
})

/** PUT, GET, PATCH and DELETE of one kind of owner. */
export const registerKind = (routes: Routes, kind: Kind): void => {
  const { app, registry, respond } = routes
  const tags = tagsOf(kind)
  const ownerTag = kind.name

  // PUT: create if absent (201), else the existing owner unchanged (200).
  app.put(kind.hono, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "administer")
        const body = yield* Input.json(c, Wire.PutOwnerBody, true)
        const { owner, created } = yield* CreateOwner.ensureOwner(principal, { ref, ...body })
        return { body: encodeOwner(Wire.fromOwner(owner)), created, location: Wire.ownerPath(owner.ref) }
      }),
      ({ body, created, location }) =>
        Output.json(c, body, created ? 201 : 200, created ? { Location: location } : {})
    )
  )
  registry.add({
    method: "put",
    path: kind.openapi,
    operationId: `put${ownerTag}`,
    tags,
    summary: `Create the ${kind.what} unless it exists`,
    description:
      "Idempotent: 201 when this call created it, 200 with the existing owner (unchanged; PATCH changes it) " +
      "otherwise. The body is optional; `metadataUrl`, `saml` and `enabled` are for IdPs only." +
      (kind.name === "Idp" ? " The IdP's identity store must exist (404 otherwise)." : ""),
    security: SECURITY,
    parameters: kind.parameters,
    requestBody: { required: false, content: { [Output.JSON_TYPE]: Wire.PutOwnerBody } },
    responses: {
      "200": { description: "it existed already", content: { [Output.JSON_TYPE]: Wire.Owner } },
      "201": {
        description: "created",
        content: { [Output.JSON_TYPE]: Wire.Owner },
        headers: { Location: { description: "the owner's path" } }
      },
      ...problems("400", "403", "404", "409", "413", "415")
    }
  })

  app.get(kind.hono, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "read")
        return encodeOwner(Wire.fromOwner(yield* GetOwner.getOwner(principal, ref)))
      }),
      (body) => Output.json(c, body, 200)
    )
  )
  registry.add({
    method: "get",
    path: kind.openapi,
    operationId: `get${ownerTag}`,
    tags,
    summary: `The ${kind.what}`,
    security: SECURITY,
    parameters: kind.parameters,
    responses: {
      "200": { description: "the owner", content: { [Output.JSON_TYPE]: Wire.Owner } },
      ...problems("400", "403", "404")
    }
  })

  app.patch(kind.hono, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "administer")
        const body = yield* Input.json(c, Wire.PatchOwnerBody, false)
        const patch: UpdateOwner.Patch = {
          ...(body.displayName === undefined ? {} : { displayName: body.displayName ?? undefined }),
          ...(body.metadataUrl === undefined ? {} : { metadataUrl: body.metadataUrl ?? undefined }),
          ...(body.saml === undefined ? {} : { saml: body.saml ?? undefined }),
          ...(body.enabled === undefined ? {} : { enabled: body.enabled })
        }
        return encodeOwner(Wire.fromOwner(yield* UpdateOwner.updateOwner(principal, ref, patch)))
      }),
      (body) => Output.json(c, body, 200)
    )
  )
  registry.add({
    method: "patch",
    path: kind.openapi,
    operationId: `patch${ownerTag}`,
    tags,
    summary: `Change the ${kind.what}`,
    description: "An absent field is kept; `null` clears `displayName` or `metadataUrl`.",
    security: SECURITY,
    parameters: kind.parameters,
    requestBody: { required: true, content: { [Output.JSON_TYPE]: Wire.PatchOwnerBody } },
    responses: {
      "200": { description: "the owner as changed", content: { [Output.JSON_TYPE]: Wire.Owner } },
      ...problems("400", "403", "404", "409", "413", "415")
    }
  })

  app.delete(kind.hono, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "administer")
        return yield* RemoveOwner.removeOwner(principal, ref)
      }),
      () => c.body(null, 204)
    )
  )
  registry.add({
    method: "delete",
    path: kind.openapi,
    operationId: `delete${ownerTag}`,
    tags,
    summary: `Remove the ${kind.what} and its bindings`,
    description:
      kind.name === "IdentityStore"
        ? "Its IdPs and their bindings go with it. Certificates stay (other owners may hold them)."
        : "Certificates stay (other owners may hold them).",
    security: SECURITY,
    parameters: kind.parameters,
    responses: { "204": { description: "removed" }, ...problems("400", "403", "404", "409") }
  })
}

const encodeSync = Schema.encodeSync(Wire.IdpSyncBody)

/** GET .../idps/{idp_id}/sync: the IdP's last metadata sync as the sync job recorded it. */
export const registerSync = (routes: Routes, kind: Kind): void => {
  const { app, registry, respond } = routes
  app.get(`${kind.hono}/sync`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "read")
        const sync = yield* GetIdpSync.getIdpSync(principal, ref)
        return encodeSync({ sync: Option.getOrNull(Option.map(sync, Wire.fromIdpSync)) })
      }),
      (body) => Output.json(c, body, 200)
    )
  )
  registry.add({
    method: "get",
    path: `${kind.openapi}/sync`,
    operationId: "getIdpSync",
    tags: tagsOf(kind),
    summary: "The IdP's last SAML metadata sync",
    description:
      "What the background sync job recorded: when, the outcome, the HTTP status, the certificates it bound " +
      "and those the IdP's certificate limit refused, why nothing changed, and when it syncs next. " +
      "`sync` is null until the job has run for this IdP.",
    security: SECURITY,
    parameters: kind.parameters,
    responses: {
      "200": { description: "the last sync, or null", content: { [Output.JSON_TYPE]: Wire.IdpSyncBody } },
      ...problems("400", "403", "404")
    }
  })
}

/** GET /owners: the owners the caller may read. */
export const registerList = (routes: Routes): void => {
  const { app, registry, respondList, authenticate } = routes
  app.get(`${PREFIX}/owners`, (c) =>
    respondList(
      c,
      OwnersPage,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const { kind, ...query } = yield* Input.query(c, OwnersQuery)
        const result = yield* ListOwners.listOwners(principal, {
          ...query,
          ...(kind === undefined ? {} : { kind: Wire.tagOf(kind) })
        })
        return Output.page(result, Wire.fromOwner)
      })
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/owners`,
    operationId: "listOwners",
    tags: ["Native: owners"],
    summary: "The owners the caller may read",
    description: "By canonical key; a token sees only the owners its grant covers.",
    security: SECURITY,
    parameters: [
      { name: "kind", in: "query", schema: Wire.OwnerKind },
      {
        name: "identityStoreId",
        in: "query",
        schema: Ids.IdentityStoreId,
        description: "the identity store and its IdPs"
      },
      ...Output.pageParameters
    ],
    responses: Output.listResponses(OwnersPage, "400")
  })
}
