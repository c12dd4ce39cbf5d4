import { describe, expect, it } from '@jest/globals'
import { blob, tree } from '../__fixtures__/builders.js'
import type { FileMap, TreeFile } from '../src/model.js'
import {
  applyPlans,
  deletionLimitExceeded,
  isEmptyPlan,
  isUnder,
  ownedFiles,
  planFiles,
  type DesiredFile,
  type DesiredFiles,
  type FilePlan
} from '../src/plan/files.js'
import { applicable, planScopes, type Scope } from '../src/plan/scopes.js'

function submodule(path: string): TreeFile {
  return { path, mode: '160000', sha: `commit-${path}`, type: 'commit' }
}

function symlink(path: string): TreeFile {
  return { path, mode: '120000', sha: `link-${path}`, type: 'blob' }
}

function want(path: string, sha = `sha-${path}`, mode = '100644'): DesiredFile {
  return { path, mode, sha, source: { repo: 'api', path: path.replace(/^projects\/api\//, '') } }
}

function desired(...files: DesiredFile[]): DesiredFiles {
  return new Map(files.map(file => [file.path, file]))
}

const paths = (files: { path: string }[]) => files.map(file => file.path)

/** A plan that deletes `deleted` of `owned` files. */
function deletionPlan(deleted: number, owned: number): FilePlan {
  const files = Array.from({ length: deleted }, (_, i) =>
    blob(`p/${String(i).padStart(3, '0')}.md`)
  )
  return { added: [], modified: [], deleted: files, ownedCount: owned }
}

const limits = { deletionThreshold: 50, deletionThresholdPercent: 20 }

describe('isUnder / ownedFiles', () => {
  const files = tree(
    blob('README.md'),
    blob('projects/api/README.md'),
    blob('projects/api/docs/a.md'),
    blob('projects/api-gateway/README.md'),
    blob('projects/apiREADME.md'),
    blob('other/projects/api/x.md'),
    blob('.claude/agents/acme/a.md'),
    blob('.claude/agents/acme-other/b.md'),
    blob('.claude/commands/acme/c.md')
  )

  it('keeps only the files below one of the owner folders', () => {
    expect([...ownedFiles(files, ['projects/api/']).keys()].sort()).toEqual([
      'projects/api/README.md',
      'projects/api/docs/a.md'
    ])
  })

  it('does not treat a sibling folder sharing the prefix as owned (trailing slash)', () => {
    const owned = ownedFiles(files, ['projects/api/'])
    expect(owned.has('projects/api-gateway/README.md')).toBe(false)
    expect(owned.has('projects/apiREADME.md')).toBe(false)
    expect(owned.has('other/projects/api/x.md')).toBe(false)
  })

  it('unites several owner folders', () => {
    const owned = ownedFiles(files, ['.claude/agents/acme/', '.claude/commands/acme/'])
    expect([...owned.keys()].sort()).toEqual([
      '.claude/agents/acme/a.md',
      '.claude/commands/acme/c.md'
    ])
  })

  it('keeps the entries themselves (mode, sha, type), including submodules and symlinks', () => {
    const withOdd = tree(
      blob('projects/api/a.md', { sha: 'abc', mode: '100755' }),
      submodule('projects/api/sub'),
      symlink('projects/api/link')
    )
    const owned = ownedFiles(withOdd, ['projects/api/'])
    expect(owned.get('projects/api/a.md')).toEqual({
      path: 'projects/api/a.md',
      mode: '100755',
      sha: 'abc',
      type: 'blob'
    })
    expect(owned.get('projects/api/sub')?.type).toBe('commit')
    expect(owned.get('projects/api/link')?.mode).toBe('120000')
  })

  it('owns nothing with no folders, and does not change the input', () => {
    expect(ownedFiles(files, []).size).toBe(0)
    expect(files.size).toBe(9)
  })

  it('isUnder is a plain prefix test', () => {
    expect(isUnder('.codex/a.md', ['.codex/'])).toBe(true)
    expect(isUnder('.codexx/a.md', ['.codex/'])).toBe(false)
    expect(isUnder('docs/.codex/a.md', ['.codex/'])).toBe(false)
    expect(isUnder('x', [])).toBe(false)
  })
})

describe('planFiles', () => {
  it('adds missing files, modifies changed ones, deletes unwanted ones, leaves equal ones', () => {
    const owned = tree(
      blob('projects/api/same.md', { sha: 's1' }),
      blob('projects/api/changed.md', { sha: 'old' }),
      blob('projects/api/gone.md', { sha: 'g1' })
    )
    const plan = planFiles(
      desired(
        want('projects/api/same.md', 's1'),
        want('projects/api/changed.md', 'new'),
        want('projects/api/new.md', 'n1')
      ),
      owned
    )
    expect(paths(plan.added)).toEqual(['projects/api/new.md'])
    expect(paths(plan.modified)).toEqual(['projects/api/changed.md'])
    expect(plan.modified[0]?.sha).toBe('new')
    expect(paths(plan.deleted)).toEqual(['projects/api/gone.md'])
    expect(plan.deleted[0]).toEqual(blob('projects/api/gone.md', { sha: 'g1' }))
    expect(plan.ownedCount).toBe(3)
  })

  it('carries the desired file (with its source) into added and modified', () => {
    const file = want('projects/api/docs/x.md', 'x1', '100755')
    const plan = planFiles(desired(file), new Map())
    expect(plan.added).toEqual([file])
  })

  it('treats a mode-only change (644 -> 755) as a modification', () => {
    const plan = planFiles(
      desired(want('projects/api/run.sh', 'same', '100755')),
      tree(blob('projects/api/run.sh', { sha: 'same', mode: '100644' }))
    )
    expect(paths(plan.modified)).toEqual(['projects/api/run.sh'])
    expect(plan.added).toEqual([])
    expect(plan.deleted).toEqual([])
  })

  it('treats a mode-only change back (755 -> 644) as a modification', () => {
    const plan = planFiles(
      desired(want('projects/api/run.sh', 'same', '100644')),
      tree(blob('projects/api/run.sh', { sha: 'same', mode: '100755' }))
    )
    expect(paths(plan.modified)).toEqual(['projects/api/run.sh'])
  })

  it('replaces a submodule in the owned folder by the desired file', () => {
    const path = 'projects/api/docs'
    const owned = tree({ path, mode: '160000', sha: 'same', type: 'commit' })
    const plan = planFiles(desired(want(path, 'same', '160000')), owned)
    // Even with equal sha and mode, a commit entry is not the desired blob.
    expect(paths(plan.modified)).toEqual([path])
    expect(plan.deleted).toEqual([])
  })

  it('replaces a symlink in the owned folder by the desired regular file', () => {
    const path = 'projects/api/README.md'
    const plan = planFiles(desired(want(path, 'content')), tree(symlink(path)))
    expect(paths(plan.modified)).toEqual([path])
  })

  it('deletes submodules and symlinks in the owned folder that are not desired', () => {
    const plan = planFiles(
      new Map(),
      tree(submodule('projects/api/sub'), symlink('projects/api/link'), blob('projects/api/a.md'))
    )
    expect(paths(plan.deleted)).toEqual([
      'projects/api/a.md',
      'projects/api/link',
      'projects/api/sub'
    ])
    expect(plan.deleted.find(file => file.path === 'projects/api/sub')?.type).toBe('commit')
    expect(plan.ownedCount).toBe(3)
  })

  it('is empty when the owned folder already equals the desired content', () => {
    const owned = tree(
      blob('projects/api/a.md', { sha: 'a' }),
      blob('projects/api/b.sh', { sha: 'b', mode: '100755' })
    )
    const plan = planFiles(
      desired(want('projects/api/a.md', 'a'), want('projects/api/b.sh', 'b', '100755')),
      owned
    )
    expect(plan).toEqual({ added: [], modified: [], deleted: [], ownedCount: 2 })
    expect(isEmptyPlan(plan)).toBe(true)
  })

  it('deletes everything when nothing is desired any more', () => {
    const plan = planFiles(new Map(), tree(blob('projects/api/a.md'), blob('projects/api/b.md')))
    expect(paths(plan.deleted)).toEqual(['projects/api/a.md', 'projects/api/b.md'])
    expect(plan.ownedCount).toBe(2)
  })

  it('sorts added, modified and deleted by path (code-unit order), whatever the input order', () => {
    const owned = tree(
      blob('z/old2', { sha: 'o' }),
      blob('Z/mod', { sha: 'o' }),
      blob('a/mod', { sha: 'o' }),
      blob('a/old1', { sha: 'o' })
    )
    const plan = planFiles(
      desired(
        want('z/new', 'n'),
        want('a/mod', 'n'),
        want('B/new', 'n'),
        want('Z/mod', 'n'),
        want('a/new', 'n')
      ),
      owned
    )
    expect(paths(plan.added)).toEqual(['B/new', 'a/new', 'z/new'])
    expect(paths(plan.modified)).toEqual(['Z/mod', 'a/mod'])
    expect(paths(plan.deleted)).toEqual(['a/old1', 'z/old2'])
  })
})

describe('isEmptyPlan', () => {
  const empty: FilePlan = { added: [], modified: [], deleted: [], ownedCount: 7 }
  it('is true only when nothing is added, modified or deleted', () => {
    expect(isEmptyPlan(empty)).toBe(true)
    expect(isEmptyPlan({ ...empty, added: [want('a')] })).toBe(false)
    expect(isEmptyPlan({ ...empty, modified: [want('a')] })).toBe(false)
    expect(isEmptyPlan({ ...empty, deleted: [blob('a')] })).toBe(false)
  })
})

describe('deletionLimitExceeded', () => {
  it('allows a plan without deletions', () => {
    expect(deletionLimitExceeded(deletionPlan(0, 0), limits)).toBeUndefined()
    expect(
      deletionLimitExceeded({ ...deletionPlan(0, 3), added: [want('a')] }, limits)
    ).toBeUndefined()
  })

  it('allows exactly deletion_threshold deletions and refuses one more', () => {
    expect(deletionLimitExceeded(deletionPlan(50, 1000), limits)).toBeUndefined()
    const reason = deletionLimitExceeded(deletionPlan(51, 1000), limits)
    expect(reason).toBeDefined()
    expect(reason).toContain('51')
    expect(reason).toContain('deletion_threshold (50)')
  })

  it('applies the count threshold even when the share is small', () => {
    expect(
      deletionLimitExceeded(deletionPlan(4, 100_000), {
        deletionThreshold: 3,
        deletionThresholdPercent: 20
      })
    ).toMatch(/deletion_threshold \(3\)/)
  })

  it('with deletion_threshold 0 refuses any deletion', () => {
    const zero = { deletionThreshold: 0, deletionThresholdPercent: 100 }
    expect(deletionLimitExceeded(deletionPlan(1, 1000), zero)).toBeDefined()
    expect(deletionLimitExceeded(deletionPlan(0, 1000), zero)).toBeUndefined()
  })

  it('does not count the share when 5 or fewer files would go', () => {
    // 5 of 5 = 100%, 1 of 1 = 100%: still allowed, small folders change a lot.
    expect(deletionLimitExceeded(deletionPlan(5, 5), limits)).toBeUndefined()
    expect(deletionLimitExceeded(deletionPlan(1, 1), limits)).toBeUndefined()
    expect(deletionLimitExceeded(deletionPlan(5, 6), limits)).toBeUndefined()
  })

  it('counts the share from 6 deletions on', () => {
    const reason = deletionLimitExceeded(deletionPlan(6, 6), limits)
    expect(reason).toBeDefined()
    expect(reason).toContain('6 of 6')
    expect(reason).toContain('100%')
    expect(reason).toContain('deletion_threshold_percent (20%)')
  })

  it('allows exactly deletion_threshold_percent and refuses more', () => {
    expect(deletionLimitExceeded(deletionPlan(6, 30), limits)).toBeUndefined() // 20%
    expect(deletionLimitExceeded(deletionPlan(6, 29), limits)).toMatch(/6 of 29 files \(21%\)/) // 20.7%
    expect(deletionLimitExceeded(deletionPlan(10, 50), limits)).toBeUndefined() // 20%
    expect(deletionLimitExceeded(deletionPlan(11, 50), limits)).toBeDefined() // 22%
  })

  it('uses the configured percent', () => {
    const loose = { deletionThreshold: 50, deletionThresholdPercent: 60 }
    expect(deletionLimitExceeded(deletionPlan(6, 10), loose)).toBeUndefined()
    expect(deletionLimitExceeded(deletionPlan(7, 10), loose)).toMatch(/70%.*60%/)
    const strict = { deletionThreshold: 50, deletionThresholdPercent: 0 }
    expect(deletionLimitExceeded(deletionPlan(6, 1000), strict)).toBeDefined()
    expect(deletionLimitExceeded(deletionPlan(5, 1000), strict)).toBeUndefined()
  })

  it('a percent of 100 never refuses by share', () => {
    const anyShare = { deletionThreshold: 1000, deletionThresholdPercent: 100 }
    expect(deletionLimitExceeded(deletionPlan(40, 40), anyShare)).toBeUndefined()
  })

  it('reports the count rule first when both are exceeded', () => {
    expect(deletionLimitExceeded(deletionPlan(60, 60), limits)).toMatch(
      /more than deletion_threshold \(50\)/
    )
  })

  it('works on plans made by planFiles (share of the owned files before the sync)', () => {
    const owned = tree(...Array.from({ length: 20 }, (_, i) => blob(`projects/api/${i}.md`)))
    const keep = [...owned.values()].slice(0, 14).map(file => want(file.path, file.sha))
    const plan = planFiles(desired(...keep), owned) // 6 of 20 = 30%
    expect(plan.deleted).toHaveLength(6)
    expect(deletionLimitExceeded(plan, limits)).toMatch(/6 of 20 files \(30%\)/)
    expect(deletionLimitExceeded(plan, { ...limits, deletionThresholdPercent: 30 })).toBeUndefined()
  })
})

describe('applyPlans', () => {
  it('gives the tree as it will be after the commit', () => {
    const files = tree(
      blob('README.md', { sha: 'root' }),
      blob('projects/api/keep.md', { sha: 'k' }),
      blob('projects/api/change.md', { sha: 'old' }),
      blob('projects/api/gone.md', { sha: 'g' })
    )
    const owned = ownedFiles(files, ['projects/api/'])
    const plan = planFiles(
      desired(
        want('projects/api/keep.md', 'k'),
        want('projects/api/change.md', 'new', '100755'),
        want('projects/api/added.md', 'a')
      ),
      owned
    )
    const next = applyPlans(files, [plan])
    expect([...next.keys()].sort()).toEqual([
      'README.md',
      'projects/api/added.md',
      'projects/api/change.md',
      'projects/api/keep.md'
    ])
    expect(next.get('projects/api/change.md')).toEqual({
      path: 'projects/api/change.md',
      mode: '100755',
      sha: 'new',
      type: 'blob'
    })
    expect(next.get('projects/api/added.md')).toEqual({
      path: 'projects/api/added.md',
      mode: '100644',
      sha: 'a',
      type: 'blob'
    })
    expect(next.get('README.md')).toEqual(blob('README.md', { sha: 'root' }))
    // Planning again against the applied tree gives nothing to do.
    expect(
      isEmptyPlan(
        planFiles(
          desired(...[...plan.added, ...plan.modified, want('projects/api/keep.md', 'k')]),
          ownedFiles(next, ['projects/api/'])
        )
      )
    ).toBe(true)
  })

  it('turns a replaced submodule into a blob and does not mutate the input', () => {
    const files = tree(submodule('projects/api/sub'))
    const plan = planFiles(desired(want('projects/api/sub', 'blob-sha')), files)
    const next = applyPlans(files, [plan])
    expect(next.get('projects/api/sub')).toEqual({
      path: 'projects/api/sub',
      mode: '100644',
      sha: 'blob-sha',
      type: 'blob'
    })
    expect(files.get('projects/api/sub')?.type).toBe('commit')
    expect(next).not.toBe(files)
  })

  it("applies every plan of a commit: one project's deletion, another's addition", () => {
    const files = tree(blob('projects/api/gone.md', { sha: 'g' }), blob('projects/web/a.md'))
    const api = planFiles(desired(), ownedFiles(files, ['projects/api/']))
    const web = planFiles(
      desired(want('projects/web/a.md', 'a'), want('projects/web/new.md', 'n')),
      ownedFiles(files, ['projects/web/'])
    )
    expect([...applyPlans(files, [api, web]).keys()].sort()).toEqual([
      'projects/web/a.md',
      'projects/web/new.md'
    ])
  })

  it('an empty plan leaves the files as they are', () => {
    const files = tree(blob('a'), blob('b'))
    expect(applyPlans(files, [{ added: [], modified: [], deleted: [], ownedCount: 0 }])).toEqual(
      files
    )
  })
})

describe('planScopes: refusals', () => {
  const snapshot = (files: FileMap) => ({ commitSha: 'c', treeSha: 't', files })
  const scope = (folders: string[], ...files: DesiredFile[]): Scope => ({
    project: 'api',
    folders,
    desired: desired(...files)
  })

  it.each([
    ['a file named like distribution_dir', blob('.codex'), ['.codex/'], 'a file'],
    [
      'a file at a parent of the folder',
      blob('.claude/commands'),
      ['.claude/commands/acme/'],
      'a file'
    ],
    [
      'a file at the namespace folder',
      blob('.claude/commands/acme'),
      ['.claude/agents/acme/', '.claude/commands/acme/'],
      'a file'
    ],
    ['a symlink at the folder', symlink('docs/shared'), ['docs/shared/'], 'a symlink'],
    ['a submodule at a parent', submodule('docs'), ['docs/shared/'], 'a submodule'],
    [
      'a codex README.md meeting a repository named README.md',
      blob('projects/README.md'),
      ['projects/README.md/'],
      'a file'
    ]
  ])('refuses to replace %s, naming the path and what to do', (_, file, folders, kind) => {
    const target = `${folders[folders.length - 1]}x.md`
    const [entry] = planScopes(
      [scope(folders, want(target))],
      snapshot(tree(file, blob('README.md'))),
      limits
    )
    expect(entry?.refusal?.error).toBe(
      `'${file.path}' is ${kind} where codex-sync writes the folder '${folders.find(folder => folder.startsWith(file.path + '/'))}'`
    )
    expect(entry?.refusal?.resolution).toContain(`Move or remove '${file.path}'`)
    expect(entry?.refusal?.resolution).toMatch(/projects_dir, distribution_dir or claude_namespace/)
    expect(applicable(entry ? [entry] : [])).toEqual([])
  })

  it('does not refuse a scope with nothing to write, nor a folder that merely shares a prefix', () => {
    const files = tree(blob('.codex'), blob('.codexignore'), blob('projects/api.md'))
    const [idle, sibling] = planScopes(
      [scope(['.codex/']), scope(['projects/api/'], want('projects/api/a.md'))],
      snapshot(files),
      limits
    )
    expect(idle?.refusal).toBeUndefined()
    expect(sibling?.refusal).toBeUndefined()
    expect(applicable([idle, sibling].filter(entry => entry !== undefined))).toHaveLength(1)
  })

  it('refuses a plan over the deletion threshold with the error and resolution of the contract', () => {
    const owned = tree(...Array.from({ length: 60 }, (_, i) => blob(`projects/api/${i}.md`)))
    const [entry] = planScopes([scope(['projects/api/'])], snapshot(owned), limits)
    expect(entry?.refusal).toEqual({
      error: 'Deletion threshold exceeded',
      resolution:
        '60 files would be deleted, more than deletion_threshold (50); nothing was written. Check why those files are gone, or raise deletion_threshold / deletion_threshold_percent in the codex config.'
    })
  })
})
