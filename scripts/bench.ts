// npm run bench [-- PROJECTS]: runs the bundled action on a generated organisation on the local fake
// GitHub server and measures what users care about at scale: wall time, requests per project
// (GitHub's limits are counted in requests) and the action's peak memory. Not a test: it prints
// the numbers and checks them against the targets below.
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { resultOf, runAction } from '../__fixtures__/run-action.js'
import type { RunResult } from '../src/report/results.js'

const ORG = 'bench'
const CODEX = 'codex.bench.io'
const PROJECTS = Number(process.argv[2] ?? 200)
const DOCS_PER_PROJECT = 8
const SHARED_DOCS = 20

/**
 * Targets. Requests are counted against what a mode must read: pull-docs one tree per project plus
 * each changed file; push modes a ref and a tree per project plus each codex Markdown file once per
 * run (its frontmatter routes it); a few more for discovery and config.
 */
const TARGETS = {
  fixedRequests: 12,
  rerunWrites: 0,
  peakRssMb: 250,
  secondsPerProject: 0.25
}

const REPORT_MAX_RSS =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss:'+process.resourceUsage().maxRSS+'\\n'))"

interface Measure {
  label: string
  seconds: number
  requests: number
  writes: number
  peakRssMb: number
  result: RunResult
}

async function seed(fake: FakeGitHub): Promise<void> {
  const shared: Record<string, string> = {
    '.github/codex-sync.yml': `claude_namespace: ${ORG}\ndeletion_threshold: 1000\n`
  }
  for (let index = 0; index < SHARED_DOCS; index++) {
    shared[`docs/shared/guide-${index}.md`] =
      `---\ncodex_sync_include: [*]\n---\n# Guide ${index}\n${'text '.repeat(200)}\n`
  }
  shared[`.claude/agents/${ORG}/helper.md`] = '# helper agent\n'
  shared[`.claude/scripts/${ORG}/run.sh`] = '#!/bin/sh\necho run\n'
  await fake.createRepo(ORG, CODEX, { files: shared })
  await fake.commit(ORG, CODEX, 'test', {})
  for (let project = 0; project < PROJECTS; project++) {
    const files: Record<string, string> = {
      'README.md': `# project ${project}\n`,
      'src/index.ts': 'export {}\n'
    }
    for (let doc = 0; doc < DOCS_PER_PROJECT; doc++)
      files[`docs/page-${doc}.md`] = `# page ${doc} of ${project}\n${'words '.repeat(100)}\n`
    await fake.createRepo(ORG, `project-${String(project).padStart(4, '0')}`, { files })
  }
}

async function measure(
  fake: FakeGitHub,
  label: string,
  inputs: Record<string, string>
): Promise<Measure> {
  fake.clearLog()
  const started = performance.now()
  const run = await runAction(
    fake.url,
    {
      token: 'test-token',
      organization: ORG,
      codex_repository: CODEX,
      write_interval_ms: '0',
      parallel: '10',
      ...inputs
    },
    {},
    ['--import', REPORT_MAX_RSS]
  )
  const seconds = (performance.now() - started) / 1000
  const result = resultOf(run)
  if (!result || run.code !== 0)
    throw new Error(`${label} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`)
  const maxRssKb = Number(/maxrss:(\d+)/.exec(run.stderr)?.[1] ?? 0)
  const writes = fake.log.filter(entry => entry.method !== 'GET').length
  return { label, seconds, requests: fake.log.length, writes, peakRssMb: maxRssKb / 1024, result }
}

function row(measure: Measure): string {
  const perProject = (measure.requests / PROJECTS).toFixed(1)
  return `${measure.label.padEnd(26)} ${measure.seconds.toFixed(1).padStart(7)} s ${String(measure.requests).padStart(7)} requests (${perProject}/project) ${String(measure.writes).padStart(6)} writes ${measure.peakRssMb.toFixed(0).padStart(5)} MB  ${measure.result.status}`
}

async function main(): Promise<number> {
  const fake = await FakeGitHub.start()
  try {
    console.log(
      `Seeding ${PROJECTS} projects (${DOCS_PER_PROJECT} docs each) and a codex with ${SHARED_DOCS} shared docs...`
    )
    await seed(fake)
    const runs = [
      await measure(fake, 'pull-docs (single commit)', {
        mode: 'pull-docs',
        codex_commit: 'single'
      }),
      await measure(fake, 'pull-docs rerun', { mode: 'pull-docs' }),
      await measure(fake, 'push-docs', { mode: 'push-docs' }),
      await measure(fake, 'push-docs rerun', { mode: 'push-docs' }),
      await measure(fake, 'push-claude', { mode: 'push-claude' })
    ]
    for (const run of runs) console.log(row(run))
    const [pull, pullRerun, push, pushRerun, claude] = runs as [
      Measure,
      Measure,
      Measure,
      Measure,
      Measure
    ]
    const codexMarkdown = Object.keys(await fake.files(ORG, CODEX, 'test')).filter(
      path => path.endsWith('.md') && !path.startsWith('.claude/')
    ).length
    const pages = Math.ceil((PROJECTS + 1) / 100)
    const budget = {
      pull: pages + TARGETS.fixedRequests + PROJECTS * (1 + DOCS_PER_PROJECT + 1),
      pullRerun: pages + TARGETS.fixedRequests + PROJECTS,
      pushRerun: pages + TARGETS.fixedRequests + PROJECTS * 2 + codexMarkdown
    }
    console.log(
      `codex Markdown files read once per push-docs run for their frontmatter: ${codexMarkdown}`
    )
    const checks: [string, boolean][] = [
      [
        `pull-docs reads one tree per project and each new file once (<= ${budget.pull} requests)`,
        pull.requests - pull.writes <= budget.pull
      ],
      [
        `pull-docs rerun reads one tree per project (<= ${budget.pullRerun} requests)`,
        pullRerun.requests <= budget.pullRerun
      ],
      [
        `push-docs rerun reads a ref and a tree per project and each codex Markdown once (<= ${budget.pushRerun})`,
        pushRerun.requests <= budget.pushRerun
      ],
      [
        `push-docs writes 3 requests per changed project (tree, commit, ref): ${push.writes}`,
        push.writes <= PROJECTS * 3
      ],
      [
        'reruns write nothing',
        pullRerun.writes === TARGETS.rerunWrites && pushRerun.writes === TARGETS.rerunWrites
      ],
      [
        `peak memory <= ${TARGETS.peakRssMb} MB`,
        runs.every(run => run.peakRssMb <= TARGETS.peakRssMb)
      ],
      [
        `seconds/project <= ${TARGETS.secondsPerProject}`,
        runs.every(run => run.seconds / PROJECTS <= TARGETS.secondsPerProject)
      ],
      ['every run succeeded', [pull, push, claude].every(run => run.result.status === 'success')]
    ]
    for (const [name, ok] of checks) console.log(`${ok ? 'met   ' : 'MISSED'} ${name}`)
    return checks.every(([, ok]) => ok) ? 0 : 1
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
