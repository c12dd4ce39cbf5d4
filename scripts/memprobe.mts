import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { runAction } from '../__fixtures__/run-action.js'
const N = 1000, DOCS = 50
const fake = await FakeGitHub.start({ rateLimit: 1e9 })
const codex: Record<string, string> = { '.github/codex-sync.yml': 'deletion_threshold: 100000\nclaude_namespace: bench\n', '.claude/agents/bench/a.md': 'a\n' }
for (let p = 0; p < N; p++) for (let d = 0; d < DOCS; d++) codex[`projects/project-${p}/docs/page-${d}.md`] = `# page ${d} of ${p}\n`
await fake.createRepo('bench', 'codex.bench.io', { files: codex })
await fake.commit('bench', 'codex.bench.io', 'test', {})
await Promise.all(Array.from({ length: 4 }, async (_, w) => { for (let p = w; p < N; p += 4) await fake.createRepo('bench', `project-${p}`, { files: { 'README.md': `# ${p}\n` } }) }))
console.log('seeded')
const RSS = "data:text/javascript,process.on('exit',()=>{const m=process.memoryUsage();process.stderr.write('maxrss:'+(process.resourceUsage().maxRSS>>10)+' heapTotal '+(m.heapTotal>>20)+' heapUsed '+(m.heapUsed>>20)+' external '+(m.external>>20)+' rss '+(m.rss>>20)+'\\n')})"
const base = { token: 'test-token', organization: 'bench', codex_repository: 'codex.bench.io', write_interval_ms: '0', writes_per_hour: '0', parallel: '20' }
for (const [label, inputs, args] of [
  ['push-claude first', { mode: 'push-claude' }, []],
  ['push-claude rerun', { mode: 'push-claude' }, []],
  ['push-claude rerun old=100', { mode: 'push-claude' }, ['--max-old-space-size=100']],
  ['push-claude rerun semi=1', { mode: 'push-claude' }, ['--max-semi-space-size=1']],
  ['push-docs first', { mode: 'push-docs' }, []],
  ['push-docs rerun', { mode: 'push-docs' }, []],
] as const) {
  const t = Date.now()
  const run = await runAction(fake.url, { ...base, ...inputs }, {}, ['--import', RSS, ...args])
  console.log(label, run.code, Date.now() - t, 'ms', run.stderr.split('\n').find(l => l.startsWith('maxrss')), run.code ? run.stderr.slice(-400) : '')
}
await fake.stop()
