import { describe, expect, it } from '@jest/globals'
import { ConfigError } from '../src/inputs/config.js'
import { EmptyRepositoryError } from '../src/github/errors.js'
import { SetupError } from '../src/model.js'
import { explain } from '../src/result/explain.js'
import { InputError } from '../src/inputs/settings.js'

const SUBJECT = 'acme/api'

function httpError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status })
}

describe('SetupError', () => {
  it('is an Error with a name, a message and a resolution', () => {
    const error = new SetupError('No codex repository found', 'Set codex_repository.')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('SetupError')
    expect(error.message).toBe('No codex repository found')
    expect(error.resolution).toBe('Set codex_repository.')
  })
})

describe('explain', () => {
  it('401: bad credentials, fix the token', () => {
    const explained = explain(httpError(401, 'Requires authentication'), SUBJECT)
    expect(explained.error).toMatch(/bad credentials/i)
    expect(explained.resolution).toMatch(/token/i)
    expect(explained.resolution).toMatch(/invalid or expired/)
  })

  it('403 on an archived repository: unarchive or exclude it', () => {
    const explained = explain(httpError(403, 'Repository was archived so is read-only.'), SUBJECT)
    expect(explained.error).toBe('Repository was archived so is read-only.')
    expect(explained.resolution).toContain(SUBJECT)
    expect(explained.resolution).toMatch(/archived/)
    expect(explained.resolution).toMatch(/exclude/)
  })

  it('403 without write access: give the token write permission on the subject', () => {
    const explained = explain(httpError(403, 'Resource not accessible by integration'), SUBJECT)
    expect(explained.error).toBe('Resource not accessible by integration')
    expect(explained.resolution).toContain(SUBJECT)
    expect(explained.resolution).toMatch(/Contents: read and write/)
    expect(explained.resolution).not.toMatch(/archived/)
  })

  it('403 rate limit: lower the load or wait', () => {
    const explained = explain(httpError(403, 'API rate limit exceeded for installation'), SUBJECT)
    expect(explained.resolution).toMatch(/rate limit/i)
    expect(explained.resolution).toMatch(/parallel/)
  })

  it('404: the repository or branch is not visible to the token', () => {
    const explained = explain(httpError(404, 'Not Found'), SUBJECT)
    expect(explained.error).toBe('Not Found')
    expect(explained.resolution).toContain(SUBJECT)
    expect(explained.resolution).toMatch(/not visible to the token/)
  })

  it('422: GitHub refused the change', () => {
    const explained = explain(httpError(422, 'Reference update failed'), SUBJECT)
    expect(explained.error).toContain('Reference update failed')
    expect(explained.error).toMatch(/refused/)
    expect(explained.resolution).toMatch(/again/)
  })

  it.each([500, 502, 503, 504])('%i: a GitHub outage, run again later', status => {
    const explained = explain(httpError(status, 'Server Error'), SUBJECT)
    expect(explained.error).toContain(String(status))
    expect(explained.error).toContain('Server Error')
    expect(explained.resolution).toMatch(/later/)
  })

  it('another status or no status: the message and a generic resolution', () => {
    for (const error of [httpError(409, 'Conflict'), new Error('socket hang up'), 'plain string']) {
      const explained = explain(error, SUBJECT)
      expect(explained.error).toBe(error instanceof Error ? error.message : error)
      expect(explained.resolution).not.toBe('')
    }
    // A non-numeric status is no status.
    expect(explain(Object.assign(new Error('odd'), { status: '500' }), SUBJECT).error).toBe('odd')
  })

  it('SetupError: its own resolution', () => {
    const explained = explain(
      new SetupError(
        'Several codex repositories in acme: a, b.',
        'Set the codex_repository input.'
      ),
      SUBJECT
    )
    expect(explained).toEqual({
      error: 'Several codex repositories in acme: a, b.',
      resolution: 'Set the codex_repository input.'
    })
  })

  it('ConfigError with a key: fix that key', () => {
    const explained = explain(
      new ConfigError("codex@test:.github/codex-sync.yml: unknown key 'routs'", 'routs'),
      SUBJECT
    )
    expect(explained.error).toBe("codex@test:.github/codex-sync.yml: unknown key 'routs'")
    expect(explained.resolution).toContain("'routs'")
    expect(explained.resolution).toMatch(/config/)
  })

  it('ConfigError without a key: fix the file', () => {
    const explained = explain(new ConfigError('invalid YAML at line 3'), SUBJECT)
    expect(explained.resolution).toMatch(/the file/)
    expect(explained.resolution).not.toContain("'undefined'")
  })

  it('InputError: correct the named input', () => {
    const explained = explain(
      new InputError('parallel', "Input 'parallel' must be an integer from 1 to 50, got '0'"),
      SUBJECT
    )
    expect(explained.error).toContain("got '0'")
    expect(explained.resolution).toContain("'parallel'")
  })

  it('EmptyRepositoryError: push a first commit or exclude it', () => {
    const explained = explain(new EmptyRepositoryError(SUBJECT), SUBJECT)
    expect(explained.error).toContain('api')
    expect(explained.resolution).toContain(SUBJECT)
    expect(explained.resolution).toMatch(/first commit/)
  })
})
