/**
 * One page of a listing as use-cases return it: the items, how many match in all, and the cursor of the
 * next page when there is one.
 */
import { Effect, Schema } from "effect"
import { InvalidRequest } from "./Errors.js"

export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly total: number
  readonly nextCursor?: string
}

/** The wire schema of a page of `item`. */
export const Page = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    items: Schema.Array(item),
    total: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
    nextCursor: Schema.optional(Schema.String)
  })

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000

/** Page sizes: 1..1000, default 100. */
export const Limit = Schema.Number.pipe(Schema.int(), Schema.between(1, MAX_LIMIT))

/** The page size to use, or InvalidRequest when the caller asked for one out of range. */
export const checkLimit = (limit: number | undefined): Effect.Effect<number, InvalidRequest> =>
  limit === undefined
    ? Effect.succeed(DEFAULT_LIMIT)
    : Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT
      ? Effect.succeed(limit)
      : Effect.fail(
          new InvalidRequest({ message: `limit must be an integer from 1 to ${MAX_LIMIT}, not ${limit}` })
        )

/**
 * Every page of a listing, from the first, following `nextCursor`: `fetch` reads the page at a cursor
 * (undefined: the first), `onPage` gets each page in order. For callers that need every item (the
 * compatibility surfaces answer whole lists, the CLI prints them).
 */
export const forEachPage = <A, E, R, E2 = never, R2 = never>(
  fetch: (cursor: string | undefined) => Effect.Effect<Page<A>, E, R>,
  onPage: (page: Page<A>) => Effect.Effect<void, E2, R2>
): Effect.Effect<void, E | E2, R | R2> =>
  Effect.gen(function* () {
    let cursor: string | undefined
    do {
      const page = yield* fetch(cursor)
      yield* onPage(page)
      cursor = page.nextCursor
    } while (cursor !== undefined)
  })

/** Every item of a listing, all pages in order (see `forEachPage`). */
export const allItems = <A, E, R>(
  fetch: (cursor: string | undefined) => Effect.Effect<Page<A>, E, R>
): Effect.Effect<Array<A>, E, R> =>
  Effect.suspend(() => {
    const items: Array<A> = []
    return Effect.as(
      forEachPage(fetch, (page) => Effect.sync(() => items.push(...page.items))),
      items
    )
  })

/** `{ cursor }` when there is one, else nothing: the optional property of a listing request. */
export const at = (cursor: string | undefined): { readonly cursor?: string } =>
  cursor === undefined ? {} : { cursor }
