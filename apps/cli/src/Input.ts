/**
 * Reading the `<file|->` arguments: a path, or `-` for standard input.
 */
import { FileSystem } from "@effect/platform"
import { Effect } from "effect"

export const readStdin = Effect.promise(async () => {
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return new Uint8Array(Buffer.concat(chunks))
})

/** How an input is named in messages. */
export const displayName = (input: string): string => (input === "-" ? "<stdin>" : input)

export const read = (input: string) =>
  input === "-" ? readStdin : Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFile(input))
