// Builders shared by the tests: tree entries, file lists, Markdown documents and git blob SHAs.
import { createHash } from 'node:crypto'
import type { FileMap, TreeFile } from '../src/model.js'

/** A regular file entry; its sha defaults to `sha-<path>`, its mode to 100644. */
export function blob(path: string, { sha = `sha-${path}`, mode = '100644' } = {}): TreeFile {
  return { path, mode, sha, type: 'blob' }
}

export function tree(...files: TreeFile[]): FileMap {
  return new Map(files.map(file => [file.path, file]))
}

/** A Markdown document with the given frontmatter (a string, or its lines) and body. */
export function doc(frontmatter: string | readonly string[], body = 'body\n'): string {
  const lines = typeof frontmatter === 'string' ? frontmatter : frontmatter.join('\n')
  return `---\n${lines}\n---\n${body}`
}

/** The SHA git gives a blob of these bytes, as GitHub reports it. */
export function gitBlobSha(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex')
}
