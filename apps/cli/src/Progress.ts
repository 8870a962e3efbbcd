/**
 * A progress line on stderr for long imports: only when stderr is a terminal and there are enough inputs
 * for it to matter; redrawn at most ten times a second; cleared before other output is printed.
 */

export interface Progress {
  readonly step: () => void
  readonly clear: () => void
  readonly done: () => void
}

const NONE: Progress = { step: () => {}, clear: () => {}, done: () => {} }

/** Fewer inputs than this finish in a moment: no progress line. */
const MIN_INPUTS = 50
const WIDTH = 30

export const make = (total: number, stream: NodeJS.WriteStream = process.stderr): Progress => {
  if (!stream.isTTY || total < MIN_INPUTS) return NONE
  let current = 0
  let drawnAt = 0
  let shown = false
  const draw = () => {
    const filled = Math.round((current / total) * WIDTH)
    stream.write(`\r\x1b[Kimporting [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${current}/${total}`)
    shown = true
  }
  const clear = () => {
    if (shown) stream.write("\r\x1b[K")
    shown = false
  }
  return {
    step: () => {
      current++
      const now = Date.now()
      if (now - drawnAt >= 100 || current === total) {
        drawnAt = now
        draw()
      }
    },
    clear,
    done: clear
  }
}
