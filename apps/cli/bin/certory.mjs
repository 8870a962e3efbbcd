#!/usr/bin/env node
/**
 * The `certory` executable: runs the bundled CLI (dist/certory.mjs, built on install by
 * scripts/build.mjs), rebuilding it first when it is missing or older than one of the sources it was
 * built from, so an edit in the work tree is never run stale. Run through `pnpm certory`, relative paths
 * resolve against the caller's directory (pnpm starts scripts in the package root; INIT_CWD is where it
 * was called).
 */
import { readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const bundle = join(root, "dist", "certory.mjs")

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

const stale = () => {
  const built = mtime(bundle)
  if (built === undefined) return true
  let sources
  try {
    sources = JSON.parse(readFileSync(join(root, "dist", "inputs.json"), "utf8"))
  } catch {
    return true
  }
  for (const source of sources) {
    const changed = mtime(join(root, source))
    // A source that is gone or newer than the bundle: build again.
    if (changed === undefined || changed > built) return true
  }
  return false
}

if (process.env.npm_lifecycle_event === "certory" && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD)

let bundled = true
if (stale()) {
  try {
    const { build } = await import(pathToFileURL(join(root, "scripts", "build.mjs")).href)
    await build()
  } catch (error) {
    bundled = false
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error)
    process.stderr.write(`certory: could not bundle the CLI (${reason}); running from source\n`)
  }
}
if (bundled) await import(pathToFileURL(bundle).href)
else {
  const { register } = await import("tsx/esm/api")
  register()
  await import(pathToFileURL(join(root, "src", "bin.ts")).href)
}
