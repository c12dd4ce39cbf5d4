/** Run-level warnings: said once in the log, and kept for the result so that the report says them too. */
import type { AnnotationProperties, Log } from '../model.js'

export class Notices {
  readonly warnings: string[] = []
  private readonly said = new Set<string>()
  /** A log whose warnings are the run's: each said once and kept (info, debug and errors pass through). */
  readonly log: Log

  constructor(private readonly base: Log) {
    this.log = {
      info: message => base.info(message),
      debug: message => base.debug(message),
      error: (message, properties) => base.error(message, properties),
      warning: (message, properties) => this.warn(message, properties)
    }
  }

  /** A warning about the run: logged and kept, once per text. */
  warn(message: string, properties?: AnnotationProperties): void {
    this.once(message, message, properties)
  }

  /** A warning said once per `key`, however many projects meet the same thing. */
  once(key: string, message: string, properties?: AnnotationProperties): void {
    if (this.said.has(key)) return
    this.said.add(key)
    this.warnings.push(message)
    this.base.warning(message, properties)
  }
}
