/**
 * Following a listing's cursors: every page from the first, in order, and a failure stops the walk.
 */
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { Page } from "../src/index.js"

/** A listing of `items`, `size` per page, whose cursor is the next index as text; the cursors asked are recorded. */
const listing =
  (items: ReadonlyArray<number>, size: number, asked: Array<string | undefined>) =>
  (cursor: string | undefined): Effect.Effect<Page.Page<number>> =>
    Effect.sync(() => {
      asked.push(cursor)
      const from = cursor === undefined ? 0 : Number(cursor)
      const next = from + size
      return {
        items: items.slice(from, next),
        total: items.length,
        ...(next < items.length ? { nextCursor: String(next) } : {})
      }
    })

describe("Page", () => {
  it("allItems follows nextCursor from the first page to the last, in order", () => {
    const asked: Array<string | undefined> = []
    const items = Array.from({ length: 7 }, (_, i) => i * 10)
    expect(Effect.runSync(Page.allItems(listing(items, 3, asked)))).toEqual(items)
    expect(asked).toEqual([undefined, "3", "6"])
    // One page (no nextCursor) is read once; an empty listing gives nothing.
    expect(Effect.runSync(Page.allItems(listing([1], 3, [])))).toEqual([1])
    expect(Effect.runSync(Page.allItems(listing([], 3, [])))).toEqual([])
  })

  it("forEachPage hands each page over in order and stops at the first failure", () => {
    const asked: Array<string | undefined> = []
    const seen: Array<ReadonlyArray<number>> = []
    const outcome = Effect.runSync(
      Effect.either(
        Page.forEachPage(listing([1, 2, 3, 4, 5], 2, asked), (page) =>
          page.items.includes(3) ? Effect.fail("stop") : Effect.sync(() => seen.push(page.items))
        )
      )
    )
    expect(outcome).toEqual(Either.left("stop"))
    expect(seen).toEqual([[1, 2]])
    expect(asked).toEqual([undefined, "2"])
  })

  it("at gives the cursor property only when there is a cursor", () => {
    expect(Page.at(undefined)).toEqual({})
    expect(Page.at("abc")).toEqual({ cursor: "abc" })
  })
})
