/** The engine's Log on stderr: a progress bar from the `[k/n] project: status` lines on a terminal, plain lines elsewhere. */
import type { AnnotationProperties, Log } from '../model.js'

/** Where the log goes: process.stderr, or a test's stand-in. */
export interface TextStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

/** One line of the engine's progress (report/progress.ts). */
const PROGRESS = /^\[(\d+)\/(\d+)\] ([\s\S]*)$/
const CLEAR_LINE = '\r\x1b[2K'
const BAR_WIDTH = 24

export class TerminalLog implements Log {
  /** The bar as last drawn, redrawn below every line printed while it shows. */
  private bar: string | undefined

  constructor(
    private readonly stream: TextStream,
    private readonly verbose = false
  ) {}

  info(message: string): void {
    const progress = this.stream.isTTY ? PROGRESS.exec(message) : null
    if (progress) this.draw(Number(progress[1]), Number(progress[2]), progress[3] ?? '')
    else this.print(message)
  }

  debug(message: string): void {
    if (this.verbose) this.print(`debug: ${message}`)
  }

  warning(message: string, properties?: AnnotationProperties): void {
    this.print(`warning: ${where(properties)}${message}`)
  }

  error(message: string, properties?: AnnotationProperties): void {
    this.print(`error: ${where(properties)}${message}`)
  }

  /** Takes the bar away, so that what follows starts on a clean line. */
  finish(): void {
    if (this.bar !== undefined) this.stream.write(CLEAR_LINE)
    this.bar = undefined
  }

  private print(text: string): void {
    if (this.bar === undefined) {
      this.stream.write(`${text}\n`)
      return
    }
    this.stream.write(`${CLEAR_LINE}${text}\n${this.bar}`)
  }

  private draw(done: number, total: number, latest: string): void {
    const filled = total > 0 ? Math.round((BAR_WIDTH * Math.min(done, total)) / total) : BAR_WIDTH
    const gauge = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`
    // One character short of the width, so that the bar never wraps onto a second line.
    const room = (this.stream.columns || 80) - gauge.length - 3
    const text = latest.split('\n')[0] ?? ''
    if (room < 2) this.bar = gauge
    else this.bar = `${gauge}  ${text.length > room ? `${text.slice(0, room - 1)}…` : text}`
    this.stream.write(`${CLEAR_LINE}${this.bar}`)
  }
}

function where(properties: AnnotationProperties | undefined): string {
  return properties?.file ? `${properties.file}: ` : ''
}
