/**
 * What the HTTP app runs its use-cases on: the domain's services, provided once per process (Node) or
 * per isolate (Workers) by the entrypoint, which alone composes layers. The app itself never builds a
 * store: `createApp` takes a runtime.
 */
import type {
  CertificateParser,
  CertificateStore,
  JobStore,
  TemplateCatalog,
  TokenStore
} from "@certory/domain"
import type { ManagedRuntime } from "effect"

export type Services =
  | CertificateStore.CertificateStore
  | CertificateParser.CertificateParser
  | TokenStore.TokenStore
  | TemplateCatalog.TemplateCatalog
  /** Read by the native API (an IdP's last metadata sync); written by the background jobs. */
  | JobStore.JobStore

export type ApiRuntime = ManagedRuntime.ManagedRuntime<Services, never>
