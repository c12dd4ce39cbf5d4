/** Where the engine reports progress and problems; main.ts binds it to @actions/core. */
export interface AnnotationProperties {
  title?: string
  file?: string
}

export interface Log {
  info(message: string): void
  debug(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
}
