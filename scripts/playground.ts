// npm run playground: the fake GitHub server with the sample organisation, kept running so that the
// command line (dist/cli.js) can be tried against it from another terminal. It prints the two
// environment variables to export and three commands to try (a plan, a sync, the same sync again),
// then waits until Ctrl-C (SIGINT) or SIGTERM, when it stops the server and removes its repositories.
import { fileURLToPath } from 'node:url'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { seedSampleOrg } from '../__fixtures__/sample-org.js'

/** The token the fake accepts (with write access to every repository). */
const TOKEN = 'test-token'

/** What the playground prints, from the server's URL: `export` lines, then one command a line. */
export function instructions(url: string, org: string, codex: string, repoDir: string): string {
  const push = `node dist/cli.js sync --org ${org} --mode push-docs --write-interval-ms 0`
  return [
    `A fake GitHub is serving the sample organisation '${org}' at ${url}:`,
    `the codex ${codex}, the projects api, web and worker, and an archived repository, a fork and an`,
    'empty one, which every run skips. In another terminal, in this folder:',
    '',
    `export GITHUB_API_URL=${url}`,
    `export GITHUB_TOKEN=${TOKEN}`,
    '',
    `node dist/cli.js plan --org ${org} --mode push-docs   # what push-docs would write: the paths, nothing written`,
    `${push}   # writes it: one commit per project`,
    `${push}   # the rerun: every project unchanged, nothing written`,
    '',
    'Try the other modes too (--mode pull-docs, --mode push-claude), one project (--project web),',
    'or the result as JSON (--json); node dist/cli.js --help lists every flag. Each repository is a',
    `bare git repository, e.g. git --git-dir ${repoDir} log --stat -1 main`,
    '',
    'Ctrl-C stops the fake GitHub and removes its repositories.'
  ].join('\n')
}

async function main(): Promise<void> {
  const fake = await FakeGitHub.start()
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    fake.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const { org, codex } = await seedSampleOrg(fake)
  console.log(instructions(fake.url, org, codex, fake.repoDir(org, 'web')))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
