/**
 * Bundles the CLI (src/bin.ts and every workspace package it imports) into one ESM file,
 * dist/certory.mjs, so a command starts without compiling TypeScript. Run on install (postinstall, never
 * failing the install) and by bin/certory.mjs when a source is newer than the bundle.
 *
 * better-sqlite3 stays outside the bundle (its native binding is found relative to its own files), imported
 * by the absolute path of this install; optional native add-ons nobody installs stay plain externals.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = dirname(dirname(fileURLToPath(import.meta.url)))
export const bundle = join(root, "dist", "certory.mjs")
export const inputsFile = join(root, "dist", "inputs.json")

/** Native packages imported by the absolute path of the file they resolve to from their importer. */
const NATIVE = new Set(["better-sqlite3"])
/** Optional add-ons, loaded lazily inside try blocks by their users; absent here. */
const OPTIONAL = ["pg-native", "bufferutil", "utf-8-validate"]

const absoluteNative = {
  name: "absolute-native",
  setup(build) {
    build.onResolve({ filter: /^better-sqlite3$/ }, (args) => {
      if (!NATIVE.has(args.path)) return undefined
      const resolved = createRequire(args.importer).resolve(args.path)
      return { path: pathToFileURL(resolved).href, external: true }
    })
  }
}

export const build = async () => {
  const esbuild = await import("esbuild")
  mkdirSync(dirname(bundle), { recursive: true })
  const result = await esbuild.build({
    entryPoints: [join(root, "src", "bin.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    external: OPTIONAL,
    plugins: [absoluteNative],
    // CommonJS dependencies (pg, better-sqlite3's users) call require: give the ESM bundle one.
    banner: {
      js: 'import { createRequire as __certoryRequire } from "node:module"; const require = __certoryRequire(import.meta.url);'
    },
    legalComments: "none",
    metafile: true,
    write: false,
    logLevel: "warning"
  })
  // Written under a temporary name and renamed: a process starting meanwhile sees the old bundle or the
  // new one, never half of one (several may build at once after an edit).
  const [output] = result.outputFiles
  const temporary = `${bundle}.${process.pid}.tmp`
  writeFileSync(temporary, output.contents, { mode: 0o755 })
  // The sources the bundle was built from (not dependencies), so the launcher can tell when it is stale.
  const sources = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes("node_modules"))
    .map((input) => relative(root, join(process.cwd(), input)))
  const inputsTemporary = `${inputsFile}.${process.pid}.tmp`
  writeFileSync(inputsTemporary, JSON.stringify(sources))
  renameSync(inputsTemporary, inputsFile)
  renameSync(temporary, bundle)
  return bundle
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const optional = process.argv.includes("--if-possible")
  build().then(
    (file) => console.log(`certory: built ${relative(process.cwd(), file)}`),
    (error) => {
      console.error(
        `certory: could not bundle the CLI: ${error instanceof Error ? error.message : String(error)}`
      )
      // On install: never fail the install; bin/certory.mjs builds (or falls back to tsx) on first use.
      if (!optional) process.exitCode = 1
    }
  )
}
