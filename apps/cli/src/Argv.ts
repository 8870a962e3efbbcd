/**
 * Checks the command line against the command tree before anything runs: an option the command does not
 * have is a usage error naming it (with the closest known option when one is close), instead of being
 * taken as a file or owner argument after some of the work was done.
 *
 * The tree is read from @effect/cli's descriptors (`Standard` commands with their options' usage,
 * `Subcommands` with their children, `Map` around either), so it cannot drift from what is parsed.
 */
import { type Command, CommandDescriptor, type Usage } from "@effect/cli"
import { HashSet } from "effect"

/**
 * What an option takes: nothing (a flag), or a value described as @effect/cli describes it ("text",
 * "integer", "duration", or the choices "table | wide | json").
 */
export interface OptionSpec {
  readonly value: string | undefined
}

/** One command of the tree: its options, its positional arguments' names (`<owner>`), its subcommands. */
export interface Node {
  readonly options: Map<string, OptionSpec>
  readonly args: Array<string>
  readonly children: Map<string, Node>
}

/** @effect/cli's own options, accepted by every command. */
export const BUILT_IN: ReadonlyMap<string, OptionSpec> = new Map([
  ["--help", { value: undefined }],
  ["-h", { value: undefined }],
  ["--version", { value: undefined }],
  ["--wizard", { value: undefined }],
  ["--completions", { value: "sh | bash | fish | zsh" }],
  ["--log-level", { value: "all | trace | debug | info | warning | error | fatal | none" }]
])

const collect = (usage: Usage.Usage, node: Node): void => {
  switch (usage._tag) {
    case "Named":
      for (const name of usage.names) {
        if (name.startsWith("-"))
          node.options.set(name, {
            value: usage.acceptedValues._tag === "Some" ? usage.acceptedValues.value : undefined
          })
        else if (name.startsWith("<")) node.args.push(name)
      }
      return
    case "Optional":
    case "Repeated":
      collect(usage.usage, node)
      return
    case "Concat":
    case "Alternation":
      collect(usage.left, node)
      collect(usage.right, node)
      return
    default:
      return
  }
}

type Descriptor = CommandDescriptor.Command<unknown> & {
  readonly _tag: "Standard" | "GetUserInput" | "Map" | "Subcommands"
  readonly command?: Descriptor
  readonly parent?: Descriptor
  readonly children?: ReadonlyArray<Descriptor>
}

const nameOf = (descriptor: Descriptor): string =>
  [...HashSet.values(CommandDescriptor.getNames(descriptor))][0] ?? ""

const walk = (descriptor: Descriptor): Node => {
  if (descriptor._tag === "Map" && descriptor.command !== undefined) return walk(descriptor.command)
  if (descriptor._tag === "Subcommands" && descriptor.parent !== undefined) {
    const parent = walk(descriptor.parent)
    for (const child of descriptor.children ?? []) parent.children.set(nameOf(child), walk(child))
    return parent
  }
  const node: Node = { options: new Map(), args: [], children: new Map() }
  // The command's own name in its usage (`owners`) is neither an option nor an argument: not collected.
  collect(CommandDescriptor.getUsage(descriptor), node)
  return node
}

/** The command tree as the parser sees it, read from the descriptors. */
export const tree = (root: Pick<Command.Command<string, never, never, unknown>, "descriptor">): Node =>
  walk(root.descriptor as Descriptor)

/** Edit distance, for the did-you-mean (names are short). */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

const suggestion = (name: string, known: Iterable<string>): string => {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const d = distance(name, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4))
    ? ` (did you mean ${best}?)`
    : ""
}

export interface UnknownOption {
  /** The command path, for the message (`certory owners add`). */
  readonly command: string
  readonly message: string
}

export interface Scan {
  /** The command the line names (`["certory", "owners", "add"]`). */
  readonly path: ReadonlyArray<string>
  /** The first option its command does not have, if any. */
  readonly unknown?: UnknownOption
  /** Whether `--help` / `-h` is given (before any `--`). */
  readonly help: boolean
}

/**
 * Reads the command line (`argv` without node and the script) against the tree: which command it names,
 * whether it asks for help, and the first option its command does not have. Tokens after `--` are
 * arguments.
 */
export const scan = (
  root: Pick<Command.Command<string, never, never, unknown>, "descriptor">,
  argv: ReadonlyArray<string>
): Scan => {
  let node = tree(root)
  const path = ["certory"]
  let positional = false
  let help = false
  let unknown: UnknownOption | undefined
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? ""
    if (token === "--") break
    if (/^--?[A-Za-z]/.test(token)) {
      const equals = token.indexOf("=")
      const name = equals === -1 ? token : token.slice(0, equals)
      if (name === "--help" || name === "-h") help = true
      const spec = node.options.get(name) ?? BUILT_IN.get(name)
      if (spec === undefined) {
        unknown ??= {
          command: path.join(" "),
          message: `unknown option ${name.slice(0, 64)}${suggestion(name, [...node.options.keys(), "--help"])}`
        }
        continue
      }
      if (spec.value !== undefined && equals === -1) i++
      continue
    }
    const child = positional || unknown !== undefined ? undefined : node.children.get(token)
    if (child !== undefined) {
      node = child
      path.push(token)
    } else positional = true
  }
  return { path, help, ...(unknown === undefined ? {} : { unknown }) }
}

/** The first option on the command line that its command does not have; undefined when there is none. */
export const unknownOption = (
  root: Pick<Command.Command<string, never, never, unknown>, "descriptor">,
  argv: ReadonlyArray<string>
): UnknownOption | undefined => scan(root, argv).unknown
