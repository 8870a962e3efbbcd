/**
 * The API on Node (@hono/node-server): listen, and on SIGINT / SIGTERM stop accepting, let in-flight
 * requests finish (idle keep-alive connections are closed at once), then dispose of the runtime (the
 * store's connections). The caller composes the runtime; `certory serve` is the usual caller.
 */
import type { AddressInfo } from "node:net"
import { serve } from "@hono/node-server"
import type { Hono } from "hono"
import type { Env } from "./Http.js"
import type { ApiRuntime } from "./Runtime.js"

export interface NodeOptions {
  readonly app: Hono<Env>
  readonly runtime: ApiRuntime
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
}

export interface Running {
  readonly url: string
  /** Stops accepting, waits for in-flight requests, disposes of the runtime. Idempotent. */
  readonly close: () => Promise<void>
}

export const start = (options: NodeOptions): Promise<Running> =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch: options.app.fetch, hostname: options.host, port: options.port }, (info) => {
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address
      let closing: Promise<void> | undefined
      resolve({
        url: `http://${host}:${(info as AddressInfo).port}`,
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done())
            // Keep-alive connections with no request in flight would hold close() open.
            if ("closeIdleConnections" in server) server.closeIdleConnections()
          }).then(() => options.runtime.dispose())
          return closing
        }
      })
    })
    server.once("error", reject)
  })

/** SIGINT / SIGTERM close the server gracefully, then the process exits (0, or 1 if closing failed). */
export const closeOnSignals = (running: Running, onClosing?: (signal: string) => void): void => {
  const stop = (signal: NodeJS.Signals) => {
    onClosing?.(signal)
    running.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}
