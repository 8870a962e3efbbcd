/**
 * The template catalog port: template OID -> name, managed by administrators, read for every page of
 * certificates a wire format shows. Adapters (memory, SQLite, PostgreSQL, D1) implement it and pass the
 * TemplateCatalog contract suite in @certory/testing.
 */
import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { Slice } from "./CertificateStore.js"
import type { TemplateNotFound, WriteConflict } from "./Errors.js"
import type { TemplateEntry, TemplateOid } from "./TemplateEntry.js"

export interface TemplateQuery {
  /** Entries whose OID sorts (bytewise) after this one: keyset pagination by OID. */
  readonly afterOid?: TemplateOid
  readonly limit: number
}

export class TemplateCatalog extends Context.Tag("@certory/domain/TemplateCatalog")<
  TemplateCatalog,
  {
    /** Registers the name, or renames an OID already registered (one entry per OID); returns the entry. */
    readonly put: (
      oid: TemplateOid,
      name: string,
      by: string,
      at: number
    ) => Effect.Effect<TemplateEntry, WriteConflict>
    readonly remove: (oid: TemplateOid) => Effect.Effect<void, TemplateNotFound | WriteConflict>
    readonly get: (oid: TemplateOid) => Effect.Effect<Option.Option<TemplateEntry>>
    /** Entries by OID in bytewise order; `total` counts every entry. */
    readonly list: (query: TemplateQuery) => Effect.Effect<Slice<TemplateEntry>>
    /**
     * The registered names of these OIDs, in one query whatever their number (a page of certificates);
     * OIDs without an entry, or that are no OID at all, are absent from the map.
     */
    readonly names: (oids: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, string>>
  }
>() {}
