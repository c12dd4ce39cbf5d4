// npm run bench [-- PROJECTS] [--docs N] [--latency MS] [--parallel N]: runs the bundled action on a
// generated organisation on the local fake GitHub server, every mode first and rerun, and prints
// per run the requests by kind against the minimum that work needs, the writes, the wall time and
// the peak memory, then what a schedule every ten minutes would spend of an installation's hourly
// requests. Not a test: it checks the targets and exits 1 when one is missed. The fake's rate limit
// is set out of reach, so it never waits on it.
import { FakeGitHub, type RequestLogEntry } from '../__fixtures__/fake-github/index.js'
import { resultOf, runAction } from '../__fixtures__/run-action.js'
import type { RunResult } from '../src/result/run.js'

const ORG = 'bench'
const CODEX = 'codex.bench.io'
const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? Number(args[index + 1]) : fallback
}
const PROJECTS = Number(args.find(arg => /^\d+$/.test(arg)) ?? 200)
const DOCS = option('docs', 10)
const LATENCY_MS = option('latency', 50)
const PARALLEL = option('parallel', 20)
const SHARED_DOCS = 20
/** Projects given one changed doc in the "a few changed" run. */
const FEW = Math.min(10, PROJECTS)
/** Repositories a page of the listing holds. */
const PAGE = 100
/** Blobs GraphQL reads in one query; trees it lists three levels deep in one. */
const BLOBS_PER_QUERY = 100
const TREES_PER_QUERY = 500
/** GitHub lists at most this many entries of a tree in one answer. */
const TREE_ENTRY_LIMIT = 100_000
/** Signs the codex state, as the workflow's secret would. */
const STATE_KEY = 'bench-state-key-0123456789abcdef'
/** A GitHub App installation's hourly requests at the most (GitHub's rate limits). */
const INSTALLATION_HOURLY = 12_500
/** A schedule users ask for: every ten minutes. */
const RUNS_PER_HOUR = 6

const TARGETS = {
  requestRatio: 1.1,
  noOpRequests: PROJECTS <= 1_000 ? 60 : 400,
  noOpWallSeconds: 1.5,
  fewChangedRequests: 40,
  changedOneDocWrites: 10,
  peakRssMb: PROJECTS <= 1_000 ? 250 : 400,
  hourlyShare: 0.1
}

/**
 * Loaded into the action's process: at exit it prints its peak memory and CPU. On Linux the peak is
 * VmHWM, the high-water mark of the process's own memory: getrusage's maxRSS would also count the
 * pages of the process that forked it (this benchmark, holding the fake server) before exec.
 */
const REPORT_MAX_RSS =
  "data:text/javascript,import{readFileSync}from'node:fs';process.on('exit',()=>{const u=process.resourceUsage();let kb=u.maxRSS;try{kb=Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1])}catch{}process.stderr.write('maxrss:'+kb+' cpu:'+(u.userCPUTime+u.systemCPUTime)+'\\n')})"

interface Scenario {
  label: string
  inputs: Record<string, string>
  /** The requests the work needs at the least. */
  minimum: number
  noOp: boolean
}

interface Measure extends Scenario {
  seconds: number
  /** CPU seconds of the action's process, and of the fake server (this process). */
  actionCpu: number
  fakeCpu: number
  requests: number
  kinds: Record<Kind, number>
  writes: number
  peakRssMb: number
  /** Where the wall time went: before the first request, the requests, after the last answer. */
  timeline: string
  result: RunResult
}

const name = (index: number) => `project-${String(index).padStart(5, '0')}`
const batches = (count: number, size: number) => Math.ceil(count / size)
const listing = batches(PROJECTS + 1, PAGE)
/** Entries of the codex tree once every project's docs are in it: folders and files. */
const codexEntries = 8 + SHARED_DOCS + PROJECTS * (DOCS + 3)
/** Reads of the codex tree: one answer, or one cut short and the rest three levels a query. */
const codexTree = (whole: boolean) =>
  codexEntries <= TREE_ENTRY_LIMIT ? 1 : whole ? 2 + batches(PROJECTS, TREES_PER_QUERY) : 3
/** The first look (config, branch heads, state) and the codex tree. */
const codex = (whole = true) => 1 + codexTree(whole)

async function seed(fake: FakeGitHub): Promise<void> {
  const shared: Record<string, string> = {
    '.github/codex-sync.yml': `claude_namespace: ${ORG}\ndeletion_threshold: 100000\n`
  }
  for (let index = 0; index < SHARED_DOCS; index++) {
    shared[`docs/shared/guide-${index}.md`] =
      `---\ncodex_sync_include: [*]\n---\n# Guide ${index}\n${'text '.repeat(200)}\n`
  }
  shared[`.claude/agents/${ORG}/helper.md`] = '# helper agent\n'
  shared[`.claude/commands/${ORG}/sync.md`] = '# sync command\n'
  await fake.createRepo(ORG, CODEX, { files: shared })
  await fake.commit(ORG, CODEX, 'test', {})
  for (let project = 0; project < PROJECTS; project++) {
    const files: Record<string, string> = { 'README.md': `# ${name(project)}\n` }
    for (let doc = 1; doc < DOCS; doc++) {
      files[`docs/page-${doc}.md`] = `# page ${doc} of ${name(project)}\n${'words '.repeat(100)}\n`
    }
    await fake.createRepo(ORG, name(project), { files })
    if (project % 1000 === 999) process.stdout.write(`  ${project + 1} projects seeded\n`)
  }
}

function isWrite(entry: RequestLogEntry): boolean {
  if (entry.method === 'GET') return false
  if (entry.path !== '/graphql') return true
  return entry.graphql?.operation === 'mutation'
}

const KINDS = ['listing', 'codex', 'project trees', 'texts', 'other reads', 'writes'] as const
type Kind = (typeof KINDS)[number]

function kindOf(entry: RequestLogEntry): Kind {
  if (isWrite(entry)) return 'writes'
  const query = String((entry.body as { query?: unknown } | undefined)?.query ?? '')
  if (entry.path === '/graphql') {
    if (entry.graphql?.fields.includes('organization')) return 'listing'
    if (/codexSyncBlobs/.test(query)) return 'texts'
    return 'codex'
  }
  if (entry.path.startsWith(`/orgs/${ORG}/repos`)) return 'listing'
  if (entry.path.startsWith(`/repos/${ORG}/${CODEX}/`)) return 'codex'
  if (/\/git\/trees\//.test(entry.path)) return 'project trees'
  return 'other reads'
}

async function measure(fake: FakeGitHub, scenario: Scenario): Promise<Measure> {
  fake.clearLog()
  const fakeCpuBefore = process.cpuUsage()
  const startedAt = Date.now()
  const started = performance.now()
  const run = await runAction(
    fake.url,
    {
      token: 'test-token',
      organization: ORG,
      codex_repository: CODEX,
      state_key: STATE_KEY,
      write_interval_ms: '0',
      writes_per_hour: '0',
      parallel: String(PARALLEL),
      ...scenario.inputs
    },
    {},
    ['--import', REPORT_MAX_RSS, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
  )
  const seconds = (performance.now() - started) / 1000
  const fakeCpu = process.cpuUsage(fakeCpuBefore)
  const result = resultOf(run)
  if (!result || run.code !== 0) {
    throw new Error(`${scenario.label} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`)
  }
  const usage = /maxrss:(\d+) cpu:(\d+)/.exec(run.stderr)
  const maxRssKb = Number(usage?.[1] ?? 0)
  const kinds = Object.fromEntries(KINDS.map(kind => [kind, 0])) as Record<Kind, number>
  for (const entry of fake.log) kinds[kindOf(entry)]++
  return {
    ...scenario,
    seconds,
    actionCpu: Number(usage?.[2] ?? 0) / 1e6,
    fakeCpu: (fakeCpu.user + fakeCpu.system) / 1e6,
    requests: fake.log.length,
    kinds,
    writes: fake.log.filter(isWrite).length,
    peakRssMb: maxRssKb / 1024,
    timeline: timeline(fake.log, startedAt, seconds),
    result
  }
}

/** No-op runs this many times, each the same requests. */
const NO_OP_REPEATS = 3

/**
 * A no-op run is measured NO_OP_REPEATS times and the median wall kept (all walls are printed, and
 * the highest peak memory): a run of a second or two on a shared machine moves by a tenth either
 * way. Runs that write are measured once, since a second run would not do the same work.
 */
async function measureMedian(fake: FakeGitHub, scenario: Scenario): Promise<Measure> {
  if (!scenario.noOp) return measure(fake, scenario)
  const runs: Measure[] = []
  for (let index = 0; index < NO_OP_REPEATS; index++) runs.push(await measure(fake, scenario))
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds)
  const median = sorted[Math.floor(sorted.length / 2)] as Measure
  const walls = runs.map(run => run.seconds.toFixed(2)).join(', ')
  const peakRssMb = Math.max(...runs.map(run => run.peakRssMb))
  return { ...median, peakRssMb, timeline: `${median.timeline}; walls ${walls} s, median kept` }
}

function timeline(log: RequestLogEntry[], startedAt: number, seconds: number): string {
  if (log.length === 0) return 'no requests'
  const first = Math.min(...log.map(entry => entry.time))
  const last = Math.max(...log.map(entry => entry.answered))
  const busy = log.reduce((sum, entry) => sum + entry.answered - entry.time, 0)
  const span = Math.max(last - first, 1)
  return `${((first - startedAt) / 1000).toFixed(1)} s to the first request, ${(span / 1000).toFixed(1)} s of requests with ${(busy / span).toFixed(1)} in flight on average, ${(seconds - (last - startedAt) / 1000).toFixed(1)} s after the last answer`
}

function scenarios(): { prepare?: (fake: FakeGitHub) => Promise<void>; scenario: Scenario }[] {
  const docsRead = PROJECTS * DOCS
  // pull-docs, first import: a tree per project, every doc's text, one commit of all files
  // (GitHub takes at most a few hundred tree entries a request) with its ref.
  const importWrites = Math.ceil(docsRead / 300) + 2
  // A push mode's first run: the codex documents' routing, then per project its tree and one
  // write (createCommitOnBranch), and the codex state saved (tree, commit, ref).
  const pushFirst = (markdown: number, whole: boolean) =>
    listing + codex(whole) + batches(markdown, BLOBS_PER_QUERY) + PROJECTS * 2 + 3
  const changeDocs = (count: number, label: string) => async (fake: FakeGitHub) => {
    for (let project = 0; project < count; project++) {
      await fake.commit(ORG, name(project), 'main', { 'docs/page-1.md': `${label} ${project}\n` })
    }
  }
  return [
    {
      scenario: {
        label: 'pull-docs import',
        inputs: { mode: 'pull-docs' },
        minimum: listing + codex() + PROJECTS + batches(docsRead, BLOBS_PER_QUERY) + importWrites,
        noOp: false
      }
    },
    {
      scenario: {
        label: 'pull-docs rerun',
        inputs: { mode: 'pull-docs' },
        minimum: listing + codex(),
        noOp: true
      }
    },
    {
      prepare: changeDocs(FEW, 'a few changed'),
      scenario: {
        label: `pull-docs ${FEW} changed`,
        inputs: { mode: 'pull-docs' },
        // Their trees, their texts in one query, one codex commit (createCommitOnBranch).
        minimum: listing + codex() + FEW + 1 + 1,
        noOp: false
      }
    },
    {
      prepare: changeDocs(PROJECTS, 'changed'),
      scenario: {
        label: 'pull-docs 1 doc/project',
        inputs: { mode: 'pull-docs' },
        minimum:
          listing +
          codex() +
          PROJECTS +
          batches(PROJECTS, BLOBS_PER_QUERY) +
          Math.ceil(PROJECTS / 300) +
          2,
        noOp: false
      }
    },
    {
      scenario: {
        label: 'push-docs first',
        // The projects' own pulled docs are routed too: their routing is read once.
        inputs: { mode: 'push-docs' },
        minimum: pushFirst(SHARED_DOCS + docsRead, true),
        noOp: false
      }
    },
    {
      scenario: {
        label: 'push-docs rerun',
        inputs: { mode: 'push-docs' },
        minimum: listing + codex(),
        noOp: true
      }
    },
    {
      scenario: {
        label: 'push-claude first',
        inputs: { mode: 'push-claude' },
        minimum: pushFirst(2, false),
        noOp: false
      }
    },
    {
      scenario: {
        label: 'push-claude rerun',
        inputs: { mode: 'push-claude' },
        minimum: listing + codex(false),
        noOp: true
      }
    }
  ]
}

/**
 * What the fake server itself allows on this machine: seconds a request when plain fetch sends
 * tree reads `PARALLEL` at a time. A run cannot be faster than its requests at this rate.
 */
async function fakeFloor(fake: FakeGitHub): Promise<number> {
  const count = 500
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < count) {
        const index = next++
        const response = await fetch(
          `${fake.url}/repos/${ORG}/${name(index % PROJECTS)}/git/trees/main`,
          { headers: { authorization: 'token test-token' } }
        )
        await response.arrayBuffer()
      }
    })
  )
  return (performance.now() - started) / 1000 / count
}

function table(runs: Measure[]): string {
  const lines = [
    `| run | requests | minimum | ratio | ${KINDS.join(' | ')} | wall s | action CPU s | fake CPU s | peak RSS MB |`,
    `| --- | ---: | ---: | ---: | ${KINDS.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: |`,
    ...runs.map(
      run =>
        `| ${run.label} | ${run.requests} | ${run.minimum} | ${(run.requests / run.minimum).toFixed(2)} | ${KINDS.map(kind => run.kinds[kind]).join(' | ')} | ${run.seconds.toFixed(2)} | ${run.actionCpu.toFixed(1)} | ${run.fakeCpu.toFixed(1)} | ${run.peakRssMb.toFixed(0)} |`
    )
  ]
  return lines.join('\n')
}

async function main(): Promise<number> {
  const fake = await FakeGitHub.start({ rateLimit: 1_000_000_000 })
  try {
    console.log(
      `Seeding ${PROJECTS} projects with ${DOCS} docs each, and a codex with ${SHARED_DOCS} shared docs...`
    )
    const seeding = performance.now()
    await seed(fake)
    console.log(`  seeded in ${((performance.now() - seeding) / 1000).toFixed(0)} s`)
    fake.addFault({ kind: 'latency', ms: LATENCY_MS })
    const floorPerRequest = await fakeFloor(fake)
    console.log(
      `Latency ${LATENCY_MS} ms a request, parallel ${PARALLEL}; the fake answers plain tree reads at ${(1 / floorPerRequest).toFixed(0)} requests/s here (${((PARALLEL * 1000) / LATENCY_MS).toFixed(0)}/s at most at this latency).`
    )
    const runs: Measure[] = []
    for (const { prepare, scenario } of scenarios()) {
      if (prepare) {
        fake.clearFaults()
        await prepare(fake)
        fake.addFault({ kind: 'latency', ms: LATENCY_MS })
      }
      const run = await measureMedian(fake, scenario)
      console.log(
        `  ${run.label}: ${run.requests} requests, ${run.seconds.toFixed(2)} s; ${run.timeline}`
      )
      runs.push(run)
    }
    console.log(`\n${table(runs)}\n`)
    const noOps = runs.filter(run => run.noOp)
    const noOpRequests = noOps.reduce((sum, run) => sum + run.requests, 0)
    const hourly = noOpRequests * RUNS_PER_HOUR
    console.log(
      `A no-op run of the three modes: ${noOpRequests} requests. Every ten minutes: ${RUNS_PER_HOUR} x ${noOpRequests} = ${hourly} requests an hour, ${((hourly / INSTALLATION_HOURLY) * 100).toFixed(1)}% of an App installation's ${INSTALLATION_HOURLY.toLocaleString('en-US')} (${((hourly / 5_000) * 100).toFixed(1)}% of the 5,000 of a small one).\n`
    )
    const few = runs.find(run => run.label.startsWith(`pull-docs ${FEW} changed`))
    const changedOneDoc = runs.find(run => run.label === 'pull-docs 1 doc/project')
    const checks: [string, boolean][] = [
      [
        `requests <= ${TARGETS.requestRatio} x the minimum, every run`,
        runs.every(run => run.requests <= TARGETS.requestRatio * run.minimum)
      ],
      [
        `a no-op run of the three modes: <= ${TARGETS.noOpRequests} requests`,
        noOpRequests <= TARGETS.noOpRequests
      ],
      ['no-op runs write nothing', noOps.every(run => run.writes === 0)],
      [
        `peak memory <= ${TARGETS.peakRssMb} MB`,
        runs.every(run => run.peakRssMb <= TARGETS.peakRssMb)
      ],
      ['every run succeeded', runs.every(run => run.result.status === 'success')]
    ]
    // The targets set for an organisation of up to a thousand projects (a run's listing alone is
    // a hundred requests at 10,000).
    if (PROJECTS <= 1_000) {
      checks.push(
        [
          `pull-docs with one doc changed in ${FEW} projects: <= ${TARGETS.fewChangedRequests} requests`,
          (few?.requests ?? Infinity) <= TARGETS.fewChangedRequests
        ],
        [
          `pull-docs with one changed doc a project: <= ${TARGETS.changedOneDocWrites} codex writes`,
          (changedOneDoc?.writes ?? Infinity) <= TARGETS.changedOneDocWrites
        ],
        [
          `a schedule every ten minutes: <= ${TARGETS.hourlyShare * 100}% of an installation's hourly requests`,
          hourly <= TARGETS.hourlyShare * INSTALLATION_HOURLY
        ]
      )
    }
    if (PROJECTS <= 1_000 && LATENCY_MS === 50) {
      checks.push([
        `no-op runs: wall <= ${TARGETS.noOpWallSeconds} s a mode (median of ${NO_OP_REPEATS})`,
        noOps.every(run => run.seconds <= TARGETS.noOpWallSeconds)
      ])
    }
    for (const [check, ok] of checks) console.log(`${ok ? 'met   ' : 'MISSED'} ${check}`)
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
