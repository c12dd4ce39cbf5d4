// Change detection by object IDs: git's own tree IDs computed here, the roots of sync_patterns, and
// the decision that a project is in sync, never taken on what is not known for sure.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { defaultConfig } from '../src/inputs/config.js'
import type { FileMap, ProjectHead, Tree, TreeFile } from '../src/model.js'
import type { DesiredFiles } from '../src/plan/files.js'
import { folderOid, patternRoots } from '../src/plan/fingerprint.js'
import { isInSync, pullExpectation, pushExpectation } from '../src/plan/triage.js'

const repo = mkdtempSync(join(tmpdir(), 'codex-sync-triage-'))
afterAll(() => rmSync(repo, { recursive: true, force: true }))
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: repo, encoding: 'utf8', input: '' }).trim()
git('init', '-q', '--bare')

/** Blob IDs as git writes them. */
const blob = (content: string) =>
  execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo, input: content })
    .toString()
    .trim()

/** The tree git writes for these files, and the ID of `folder` in it. */
function gitFolderOid(
  files: { path: string; mode: string; sha: string }[],
  folder: string
): string {
  const index = join(repo, `index-${Math.random()}`)
  const env = { ...process.env, GIT_INDEX_FILE: index }
  for (const file of files) {
    execFileSync(
      'git',
      ['update-index', '--add', '--cacheinfo', `${file.mode},${file.sha},${file.path}`],
      { cwd: repo, env }
    )
  }
  const tree = execFileSync('git', ['write-tree'], { cwd: repo, env }).toString().trim()
  return git('rev-parse', `${tree}:${folder.replace(/\/$/, '')}`)
}

describe('folderOid', () => {
  it("is git's tree ID, whatever the names' order, modes and depth", () => {
    const files = [
      { path: '.codex/docs/a.md', mode: '100644', sha: blob('a\n') },
      { path: '.codex/docs/a.b', mode: '100644', sha: blob('a.b\n') },
      { path: '.codex/docs/a-b/x.md', mode: '100644', sha: blob('x\n') },
      { path: '.codex/docs/a/y.md', mode: '100644', sha: blob('y\n') },
      { path: '.codex/run.sh', mode: '100755', sha: blob('#!/bin/sh\n') },
      { path: '.codex/Ünïcode é.md', mode: '100644', sha: blob('u\n') },
      { path: 'outside/b.md', mode: '100644', sha: blob('b\n') }
    ]
    expect(folderOid(files, '.codex/')).toBe(gitFolderOid(files, '.codex/'))
    expect(folderOid(files, '.codex/docs/')).toBe(gitFolderOid(files, '.codex/docs/'))
  })

  it('is undefined for a folder that would hold nothing (git keeps no empty folder)', () => {
    expect(folderOid([{ path: 'docs/a.md', mode: '100644', sha: blob('a\n') }], '.codex/')).toBe(
      undefined
    )
  })
})

describe('patternRoots', () => {
  it('are the fixed folders and files the patterns start below, one inside another left out', () => {
    expect(patternRoots(['docs/**', 'README.md', 'CLAUDE.md'])).toEqual([
      'CLAUDE.md',
      'README.md',
      'docs'
    ])
    expect(patternRoots(['{docs,guides}/*.md', 'docs/api/**'])).toEqual(['docs', 'guides'])
  })

  it('are undefined when a pattern may match anywhere', () => {
    expect(patternRoots(['docs/**', '**/*.md'])).toBeUndefined()
    expect(patternRoots(['*.md'])).toBeUndefined()
  })
})

const file = (path: string, sha: string, mode = '100644'): TreeFile => ({
  path,
  mode,
  sha,
  type: 'blob'
})

function head(paths: Record<string, { oid: string; mode: string } | undefined>): ProjectHead {
  return { commitSha: 'c'.repeat(40), paths: new Map(Object.entries(paths)), offering: undefined }
}

describe('push modes: a project is in sync when its owned folder has the desired tree ID', () => {
  const a = blob('guide\n')
  const desired: DesiredFiles = new Map([
    [
      '.codex/docs/guide.md',
      {
        path: '.codex/docs/guide.md',
        mode: '100644',
        sha: a,
        source: { repo: 'codex', path: 'docs/guide.md' }
      }
    ]
  ])
  const expected = pushExpectation(desired, ['.codex/'])
  const oid = gitFolderOid([{ path: '.codex/docs/guide.md', mode: '100644', sha: a }], '.codex/')

  it('the same files: in sync, without reading the project', () => {
    expect(isInSync(expected, head({ '.codex': { oid, mode: '40000' } }), false)).toBe(true)
  })

  it('a folder edited by hand, or missing, or a file in its place: a look', () => {
    expect(
      isInSync(expected, head({ '.codex': { oid: 'f'.repeat(40), mode: '40000' } }), false)
    ).toBe(false)
    expect(isInSync(expected, head({ '.codex': undefined }), false)).toBe(false)
    expect(isInSync(expected, head({ '.codex': { oid, mode: '100644' } }), false)).toBe(false)
  })

  it('nothing to hold and nothing there: in sync', () => {
    const none = pushExpectation(new Map(), ['.codex/'])
    expect(isInSync(none, head({ '.codex': undefined }), false)).toBe(true)
  })

  it('no head, a path the listing did not ask, or an open pull request that may wait: a look', () => {
    expect(isInSync(expected, undefined, false)).toBe(false)
    expect(isInSync(expected, head({}), false)).toBe(false)
    const open: ProjectHead = {
      ...head({ '.codex': { oid, mode: '40000' } }),
      offering: { head: 'd'.repeat(40), pull: { number: 7, url: 'https://x.test/pull/7' } }
    }
    expect(isInSync(expected, open, true)).toBe(false)
    expect(isInSync(expected, open, false)).toBe(true)
    // The branch of a merged pull request, left behind: nothing waits.
    const leftover: ProjectHead = { ...open, offering: { head: 'd'.repeat(40), pull: undefined } }
    expect(isInSync(expected, leftover, true)).toBe(true)
  })
})

describe('pull-docs: a project is in sync when its roots hold what its codex folder holds there', () => {
  const config = defaultConfig('acme')
  const readme = blob('# web\n')
  const guide = blob('guide\n')
  const docsTree = gitFolderOid([{ path: 'docs/guide.md', mode: '100644', sha: guide }], 'docs/')
  const codex = (extra: TreeFile[] = [], folders?: Record<string, string>): Tree => {
    const files: FileMap = new Map(
      [
        file('projects/web/README.md', readme),
        file('projects/web/docs/guide.md', guide),
        ...extra
      ].map(entry => [entry.path, entry])
    )
    return {
      treeSha: 't'.repeat(40),
      files,
      folders: new Map(Object.entries(folders ?? { 'projects/web/docs': docsTree }))
    }
  }
  const project = head({
    'README.md': { oid: readme, mode: '100644' },
    docs: { oid: docsTree, mode: '40000' },
    'CLAUDE.md': undefined
  })

  it('the same IDs at every root, and nothing else in the codex folder: in sync', () => {
    expect(isInSync(pullExpectation(config, codex(), 'web'), project, false)).toBe(true)
  })

  it('a changed doc in the project: a look', () => {
    const changed = head({
      'README.md': { oid: readme, mode: '100644' },
      docs: { oid: 'e'.repeat(40), mode: '40000' },
      'CLAUDE.md': undefined
    })
    expect(isInSync(pullExpectation(config, codex(), 'web'), changed, false)).toBe(false)
  })

  it('a README made executable: a look (the mode is copied too)', () => {
    const executable = head({
      'README.md': { oid: readme, mode: '100755' },
      docs: { oid: docsTree, mode: '40000' },
      'CLAUDE.md': undefined
    })
    expect(isInSync(pullExpectation(config, codex(), 'web'), executable, false)).toBe(false)
  })

  it('a codex folder holding what pull-docs would not take (now excluded, or outside the roots): a look', () => {
    expect(
      pullExpectation(config, codex([file('projects/web/docs/debug.log', blob('x'))]), 'web')
    ).toBeUndefined()
    expect(
      pullExpectation(config, codex([file('projects/web/notes.txt', blob('n'))]), 'web')
    ).toBeUndefined()
  })

  it('a codex tree listed without its folders, or patterns without a fixed root: a look', () => {
    const partial: Tree = { ...codex(), folders: undefined }
    expect(pullExpectation(config, partial, 'web')).toBeUndefined()
    expect(
      pullExpectation({ ...config, syncPatterns: ['**/*.md'] }, codex(), 'web')
    ).toBeUndefined()
  })
})
