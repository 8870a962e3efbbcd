/**
 * Store URLs: `sqlite:PATH` (the embedded default), `postgres://...` / `postgresql://...`, `memory:`.
 * The one place the CLI turns a URL into store layers (the CertificateStore, the TokenStore and the
 * TemplateCatalog on one connection); a password in a PostgreSQL URL never appears in what is printed.
 */

import type { CertificateStore, TemplateCatalog, TokenStore } from "@certory/domain"
import { MemoryCertificateStore, MemoryTemplateCatalog, MemoryTokenStore } from "@certory/storage-memory"
import { PgCertificateStore } from "@certory/storage-pg"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import { Either, Layer } from "effect"

export type StoreUrl =
  | { readonly _tag: "Sqlite"; readonly filename: string }
  | { readonly _tag: "Postgres"; readonly url: string }
  | { readonly _tag: "Memory" }

export const parse = (text: string): Either.Either<StoreUrl, string> => {
  const trimmed = text.trim()
  if (trimmed === "memory:") return Either.right({ _tag: "Memory" })
  if (trimmed.startsWith("sqlite:")) {
    const filename = trimmed.slice("sqlite:".length)
    return filename === ""
      ? Either.left("sqlite: needs a file name (sqlite:./certory.sqlite)")
      : Either.right({ _tag: "Sqlite", filename })
  }
  if (/^postgres(ql)?:\/\//.test(trimmed)) {
    try {
      new URL(trimmed)
    } catch {
      return Either.left("not a valid postgres:// URL")
    }
    return Either.right({ _tag: "Postgres", url: trimmed })
  }
  return Either.left(`unknown store "${display(trimmed)}": use sqlite:PATH, postgres://... or memory:`)
}

/** The URL as it may be printed: no password. */
export const display = (text: string): string => {
  try {
    const url = new URL(text)
    if (url.password !== "") url.password = "***"
    return url.protocol.startsWith("postgres") ? url.toString() : text
  } catch {
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
  }
}

export const describe = (store: StoreUrl): string =>
  store._tag === "Memory"
    ? "memory: (lost on exit)"
    : store._tag === "Sqlite"
      ? `sqlite:${store.filename}`
      : display(store.url)

export const layer = (
  store: StoreUrl
): Layer.Layer<
  CertificateStore.CertificateStore | TokenStore.TokenStore | TemplateCatalog.TemplateCatalog
> => {
  switch (store._tag) {
    case "Memory":
      return Layer.mergeAll(MemoryCertificateStore.layer, MemoryTokenStore.layer, MemoryTemplateCatalog.layer)
    case "Sqlite":
      return SqliteCertificateStore.layerStores({ filename: store.filename })
    case "Postgres":
      return PgCertificateStore.layerStores({ url: store.url })
  }
}
