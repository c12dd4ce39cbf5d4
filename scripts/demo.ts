// npm run demo: a sample organisation on the local fake GitHub server, synced by dist/index.js in
// the order the workflow enforces (pull-docs -> push-docs -> push-claude), with what each mode did.
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { resultOf, runAction } from '../__fixtures__/run-action.js'
import { seedSampleOrg } from '../__fixtures__/sample-org.js'

const TOKEN = 'test-token'
const MODES = ['pull-docs', 'push-docs', 'push-claude'] as const

async function main(): Promise<number> {
  const fake = await FakeGitHub.start()
  try {
    const { org, codex } = await seedSampleOrg(fake)
    console.log(
      `Sample organisation '${org}' on a local fake GitHub (${fake.url}); codex: ${codex}\n`
    )
    const runMode = (mode: Mode) =>
      runAction(fake.url, {
        mode,
        token: TOKEN,
        organization: org,
        codex_repository: codex,
        write_interval_ms: '0'
      })
    let failed = false
    for (const mode of MODES) {
      const run = await runMode(mode)
      console.log(
        `=== ${mode}: dist/index.js exited ${run.code}; its job summary (GITHUB_STEP_SUMMARY):\n`
      )
      console.log(resultOf(run) ? run.summary.trim() : `${run.stdout}\n${run.stderr}`, '\n')
      await printWhereFilesWent(fake, org, codex, mode)
      failed ||= run.code !== 0
    }
    console.log('=== the same three modes again: nothing changed, so nothing is written')
    for (const mode of MODES) {
      const run = await runMode(mode)
      const result = resultOf(run)
      const unchanged =
        result?.projects.filter(project => project.status === 'unchanged').length ?? 0
      console.log(
        `  ${mode}: ${unchanged} projects unchanged, ${result?.commits_created ?? '?'} commits`
      )
      failed ||= run.code !== 0 || result?.commits_created !== 0
    }
    return failed ? 1 : 0
  } finally {
    await fake.stop()
  }
}

type Mode = (typeof MODES)[number]

async function printWhereFilesWent(
  fake: FakeGitHub,
  org: string,
  codex: string,
  mode: Mode
): Promise<void> {
  const [repo, ref, prefix] =
    mode === 'pull-docs'
      ? [codex, 'test', 'projects/']
      : mode === 'push-docs'
        ? ['api', 'main', '.codex/']
        : ['web', 'main', '.claude/']
  const files = Object.entries(await fake.files(org, repo, ref)).filter(([path]) =>
    path.startsWith(prefix)
  )
  console.log(`  ${org}/${repo}@${ref} now has under ${prefix}:`)
  for (const [path, file] of files) console.log(`    ${file.mode} ${path}`)
  console.log('')
}

main().then(
  code => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
