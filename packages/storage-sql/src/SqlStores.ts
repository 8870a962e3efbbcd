/**
 * Every port the SQL stores implement, on ONE SqlClient: what each adapter's `layerStores` provides
 * (SQLite and PostgreSQL with a transaction per write, D1 with its batch as `runBatch`). The caller runs
 * the migrations first.
 */
import type { CertificateStore, JobStore, TemplateCatalog, TokenStore } from "@certory/domain"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Layer from "effect/Layer"
import * as SqlCertificateStore from "./SqlCertificateStore.js"
import * as SqlJobStore from "./SqlJobStore.js"
import type * as SqlStore from "./SqlStore.js"
import * as SqlTemplateCatalog from "./SqlTemplateCatalog.js"
import * as SqlTokenStore from "./SqlTokenStore.js"

export type Stores =
  | CertificateStore.CertificateStore
  | TokenStore.TokenStore
  | TemplateCatalog.TemplateCatalog
  | JobStore.JobStore

export const layer = (options: SqlStore.Options = {}): Layer.Layer<Stores, never, SqlClient.SqlClient> =>
  Layer.mergeAll(
    SqlCertificateStore.layer(options),
    SqlTokenStore.layer(options),
    SqlTemplateCatalog.layer(options),
    SqlJobStore.layer(options)
  )
