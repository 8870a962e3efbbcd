/**
 * What the CLI writes, tidied at the one place it leaves the process: no colours unless the stream is a
 * terminal and NO_COLOR is unset (@effect/cli colours its help and errors unconditionally), and help
 * text without @effect/cli's filler ("A user-defined piece of text.", "A true or false value."), with the full command in the usage
 * line (`$ certory owners list ...`, not `$ list ...`) and lines wrapped to the terminal width; its usage
 * errors as one line naming the command.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ANSI = /\u001b\[[0-9;]*m/g

/** @effect/cli's type lines that say nothing the usage line does not: free text, and a flag's "true or false". */
const FILLER = /^ {2}(?:A user-defined piece of text(?: that is confidential)?|A true or false value)\.\n\n/gm

/** Wraps one line at spaces to `width`, continuing with `indent`. */
const wrapLine = (line: string, width: number, indent: string): string => {
  if (line.length <= width) return line
  const words = line.split(" ")
  const lines: Array<string> = []
  let current = ""
  for (const word of words) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current)
      current = indent + word
    } else current = current === "" ? word : `${current} ${word}`
  }
  if (current !== "") lines.push(current)
  return lines.join("\n")
}

export const tidyHelp = (text: string, path: ReadonlyArray<string>, width: number): string => {
  const leaf = path.at(-1) ?? "certory"
  return text
    .replace(FILLER, "")
    .replace(new RegExp(`^\\$ ${leaf.replace(/[-]/g, "\\-")}\\b`, "m"), `$ ${path.join(" ")}`)
    .split("\n")
    .map((line) => wrapLine(line, width, line.startsWith("$ ") ? "    " : (/^\s*/.exec(line)?.[0] ?? "")))
    .join("\n")
}

/**
 * @effect/cli's own usage errors ("Missing argument <owner>", "invalid --within: ...") as the CLI's
 * other errors: one line, `certory <command>: <message>`. Anything else passes unchanged.
 */
export const usageError = (text: string, path: ReadonlyArray<string>): string => {
  // @effect/cli ends its messages with a blank line; the API's request log lines (serve) end with one
  // newline and pass unchanged, like our own lines and the progress line.
  if (text.startsWith("certory") || text.startsWith("\r") || !text.endsWith("\n\n")) return text
  const body = text.replace(/\n+$/, "")
  return body === "" || body.includes("\n") ? text : `${path.join(" ")}: ${body}\n`
}

const colourless = (stream: NodeJS.WriteStream): boolean =>
  !stream.isTTY || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "")

/** Installs the filters on stdout and stderr for this run. */
export const install = (options: { readonly help: boolean; readonly path: ReadonlyArray<string> }): void => {
  const columns = Number(process.env.COLUMNS)
  const width = Math.max(
    40,
    process.stdout.columns ?? (Number.isInteger(columns) && columns > 0 ? columns : 100)
  )
  for (const stream of [process.stdout, process.stderr]) {
    const strip = colourless(stream)
    const help = options.help && stream === process.stdout
    const errors = stream === process.stderr
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: Array<unknown>) => boolean
    stream.write = ((chunk: unknown, ...rest: Array<unknown>) => {
      if (typeof chunk !== "string") return write(chunk, ...rest)
      let text = strip ? chunk.replace(ANSI, "") : chunk
      if (help) text = tidyHelp(text, options.path, width)
      if (errors) text = usageError(text, options.path)
      return write(text, ...rest)
    }) as typeof stream.write
  }
}
