/** The command line's entry point (dist/cli.js, the package's `codex-sync` bin): runs it on this process. */
import { messageOf } from './model.js'
import { runCli } from './cli/main.js'

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd()
}).then(
  code => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`codex-sync: ${messageOf(error)}\n`)
    process.exitCode = 1
  }
)
