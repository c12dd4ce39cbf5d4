// The Markdown kit of the reports: outside text goes in inert, whatever it holds.
import { describe, expect, it } from '@jest/globals'
import { code, fold, link, text } from '../src/report/markdown.js'

describe('text', () => {
  it('makes HTML inert: a </details> in an error closes no fold, a tag opens none', () => {
    expect(text('bad </details> <b>x</b> & more')).toBe(
      'bad &lt;/details&gt; &lt;b&gt;x&lt;/b&gt; &amp; more'
    )
  })

  it('escapes what starts Markdown: links, emphasis, code, tables, strikes', () => {
    expect(text('[click](javascript:x) *bold* `tick` a|b ~~gone~~ back\\slash')).toBe(
      '\\[click\\](javascript:x) \\*bold\\* \\`tick\\` a\\|b \\~\\~gone\\~\\~ back\\\\slash'
    )
  })

  it('leaves an underscore inside a word as it is, and escapes one that could start emphasis', () => {
    expect(text('codex_sync_include')).toBe('codex_sync_include')
    expect(text('_private_ doc')).toBe('\\_private\\_ doc')
  })

  it('mentions no one: an @ before a name is kept from notifying', () => {
    expect(text('docs/@acme/team.md and @octocat')).toBe(
      'docs/@\u2060acme/team.md and @\u2060octocat'
    )
    expect(text('a@ b')).toBe('a@ b')
  })

  it('puts every text on one line', () => {
    expect(text('one\ntwo\r\nthree\rfour')).toBe('one two three four')
  })
})

describe('code', () => {
  it('fences with more backticks than the text holds, padded when it starts or ends with one', () => {
    expect(code('a`b')).toBe('``a`b``')
    expect(code('`x`')).toBe('`` `x` ``')
    expect(code('</details>')).toBe('`</details>`')
  })

  it('escapes | only in a table cell, where GitHub reads it before the code span', () => {
    expect(code('a|b', true)).toBe('`a\\|b`')
    expect(code('a|b')).toBe('`a|b`')
  })
})

describe('link and fold', () => {
  it('keeps an address from ending the link early, and its label inert', () => {
    expect(link('pull request #7', 'https://github.com/acme/web/pull/7')).toBe(
      '[pull request #7](https://github.com/acme/web/pull/7)'
    )
    expect(link('x]', 'https://x.test/a b)(c')).toBe('[x\\]](https://x.test/a%20b%29%28c)')
  })

  it('folds lines under a summary that cannot close the fold', () => {
    expect(fold('3 </summary></details> rows', ['| a |'])).toEqual([
      '<details><summary>3 &lt;/summary&gt;&lt;/details&gt; rows</summary>',
      '',
      '| a |',
      '',
      '</details>'
    ])
  })
})
