/**
 * The load both HTTP benches drive (http.bench.ts, worker.bench.ts): autocannon GETs on `url` with the
 * given headers, each request's path from `nextPath`; any non-2xx, error or timeout fails the run.
 */
import autocannon from "autocannon"

export interface Figure {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
}

export const load = (
  url: string,
  headers: Record<string, string>,
  nextPath: () => string,
  connections: number,
  duration: number
): Promise<Figure> =>
  new Promise((done, fail) => {
    autocannon(
      {
        url,
        connections,
        duration,
        headers,
        requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: nextPath() }) }]
      },
      (error, result) => {
        if (error) return fail(error)
        if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
          return fail(
            new Error(
              `${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`
            )
          )
        done({
          requests: result.requests.total,
          rps: result.requests.total / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99
        })
      }
    )
  })
