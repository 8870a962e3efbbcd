/**
 * Reading the `<file|dir|->` arguments: a path, a directory (every file under it, recursively, in name
 * order: which ones hold certificates is decided by their content, not their names), or `-` for
 * standard input.
 */
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect } from "effect"

export const readStdin = Effect.promise(async () => {
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return new Uint8Array(Buffer.concat(chunks))
})

/** How an input is named in messages. */
export const displayName = (input: string): string => (input === "-" ? "<stdin>" : input)

/** Why a file could not be read, in the words of `ls` and `cat` (not the platform's error text). */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "file name too long"
}

/** One line from a Node file-system error (its code, else its own words without the path it repeats). */
const nodeReason = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const code = "code" in error ? String(error.code) : undefined
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code]
  if (!(error instanceof Error)) return undefined
  return (/^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message).split("\n")[0]
}

const reasonOf = (error: PlatformError): string =>
  (error._tag === "SystemError" ? nodeReason(error.cause) : undefined) ?? error.message.split("\n")[0]!

/** The bytes of a file, or of standard input for `-`; a failure is one line saying why. */
export const read = (
  input: string
): Effect.Effect<Uint8Array, { readonly message: string }, FileSystem.FileSystem> =>
  input === "-"
    ? readStdin
    : Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFile(input)).pipe(
        Effect.mapError((error) => ({ message: reasonOf(error) }))
      )

/** The most files one command walks out of directories (a guard against pointing it at `/`). */
export const MAX_FILES = 1_000_000

export interface Expanded {
  readonly files: ReadonlyArray<string>
  /** Directories that could not be listed, with the reason. */
  readonly unreadable: ReadonlyArray<{ readonly path: string; readonly reason: string }>
}

/**
 * The arguments with every directory replaced by the regular files under it (symbolic links to
 * directories are not followed, so a link cycle cannot loop). Files and `-` stay as given.
 */
export const expand = (inputs: ReadonlyArray<string>): Expanded => {
  const files: Array<string> = []
  const unreadable: Array<{ path: string; reason: string }> = []
  const walk = (directory: string) => {
    let entries: Array<import("node:fs").Dirent>
    try {
      entries = readdirSync(directory, { withFileTypes: true })
    } catch (error) {
      unreadable.push({ path: directory, reason: nodeReason(error) ?? String(error) })
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return
      const path = join(directory, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) files.push(path)
    }
  }
  for (const input of inputs) {
    let directory = false
    if (input !== "-") {
      try {
        directory = statSync(input).isDirectory()
      } catch {
        // Missing or unreadable: reading it reports why.
      }
    }
    if (directory) walk(input)
    else files.push(input)
  }
  return { files, unreadable }
}
