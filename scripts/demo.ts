// npm run demo: a sample organisation on the local fake GitHub server, synced by dist/index.js as
// the runner runs it. It shows the product: the action's own log, each mode's job summary (with
// the routing picture), the plan of a codex change before it is merged, a protected branch served
// through a pull request, a failure with what to do about it, and a rerun that writes nothing.
import { FakeGitHub, git } from '../__fixtures__/fake-github/index.js'
import { resultOf, runAction, type ActionRun } from '../__fixtures__/run-action.js'
import { seedSampleOrg } from '../__fixtures__/sample-org.js'

const TOKEN = 'test-token'
const MODES = ['pull-docs', 'push-docs', 'push-claude'] as const

/** The action's log as a person reads it in the Actions UI: workflow commands turned into words. */
function readableLog(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter(line => line.trim() !== '' && !/^::(add-mask|debug|set-output)/.test(line))
    .map(line => line.replace(/^::(error|warning|notice)[^:]*::/, (_, kind: string) => `${kind}: `))
    .map(line => `  | ${line}`)
    .join('\n')
}

function section(title: string): void {
  console.log(`\n${'='.repeat(100)}\n${title}\n${'='.repeat(100)}\n`)
}

function show(label: string, run: ActionRun): boolean {
  console.log(`--- ${label}: dist/index.js exited ${run.code}; its log:\n`)
  console.log(readableLog(run))
  console.log(`\n--- ${label}: its job summary (GITHUB_STEP_SUMMARY):\n`)
  console.log(resultOf(run) ? run.summary.trim() : run.stderr)
  return run.code === 0
}

async function main(): Promise<number> {
  const started = Date.now()
  const fake = await FakeGitHub.start()
  try {
    const { org, codex } = await seedSampleOrg(fake)
    console.log(
      `Sample organisation '${org}' on a local fake GitHub (${fake.url}); codex: ${codex}.`
    )
    const run = (inputs: Record<string, string>) =>
      runAction(fake.url, {
        token: TOKEN,
        organization: org,
        codex_repository: codex,
        write_interval_ms: '0',
        ...inputs
      })
    let ok = true

    section('1. The three phases, in the order the workflow runs them')
    for (const mode of MODES) ok = show(mode, await run({ mode })) && ok
    const placed = Object.keys(await fake.files(org, 'api', 'main')).filter(path =>
      path.startsWith('.codex/')
    )
    console.log(`\napi now holds under .codex/: ${placed.join(', ')}`)

    section('2. A change to the codex, planned before it is merged (codex_ref: its branch)')
    const test = (await fake.head(org, codex, 'test')) as string
    await git(fake.repoDir(org, codex), ['update-ref', 'refs/heads/proposal', test, ''])
    await fake.commit(org, codex, 'proposal', {
      'docs/guides/release-process.md':
        '---\ncodex_sync_include: [*]\ncodex_sync_exclude: [legacy-*]\n---\n# Release process\n\nHow we ship.\n',
      'docs/guides/api-only.md': null
    })
    const plan = await run({ mode: 'push-docs', codex_ref: 'proposal' })
    ok = show('push-docs planned against proposal', plan) && ok

    section('3. The change merged; web protects its main branch; worker has a file in the way')
    const proposal = (await fake.head(org, codex, 'proposal')) as string
    await git(fake.repoDir(org, codex), ['update-ref', 'refs/heads/test', proposal, test])
    fake.setRepo(org, 'web', { protectedBranches: [{ branch: 'main', kind: 'ruleset' }] })
    await fake.commit(org, 'worker', 'main', {
      '.claude/commands/acme': 'a file where a folder goes\n'
    })
    const delivered = await run({ mode: 'push-docs', commit_strategy: 'auto' })
    show('push-docs with commit_strategy auto', delivered)
    const claude = await run({ mode: 'push-claude', commit_strategy: 'auto' })
    show('push-claude with commit_strategy auto (worker fails, with what to do)', claude)
    const pulls = fake.pulls(org, 'web').map(pull => `${pull.html_url} (${pull.state})`)
    console.log(`\nweb's pull requests: ${pulls.join(', ')}`)

    section('4. Everything again: nothing changed, so nothing is written')
    for (const mode of MODES) {
      const again = resultOf(await run({ mode, commit_strategy: 'auto' }))
      const unchanged = again?.projects.filter(project => project.status === 'unchanged').length
      console.log(
        `  ${mode}: ${unchanged ?? '?'} projects unchanged, ${again?.commits_created ?? '?'} commits, status ${again?.status ?? '?'}`
      )
      ok = ok && again?.commits_created === 0
    }
    console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
    return ok ? 0 : 1
  } finally {
    await fake.stop()
  }
}

main().then(
  code => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
