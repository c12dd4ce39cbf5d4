// The client's HTTP: what Octokit reads of an answer, from a real local server.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { RequestError } from '@octokit/request-error'
import { AnswerHeaders, createTransport } from '../src/github/transport.js'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

let server: http.Server
let base = ''
const seen: Seen[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      if (req.url === '/moved') {
        res.writeHead(307, { location: `${base}/here` })
        res.end()
      } else if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
        res.end(JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs' }))
      } else if (req.url === '/silent') {
        // never answers: the caller's signal ends the wait
      } else {
        res.setHeader('content-type', 'application/json; charset=utf-8')
        res.setHeader('link', ['<a>; rel="next"', '<b>; rel="last"'])
        res.setHeader('X-RateLimit-Remaining', '4999')
        res.end(JSON.stringify({ path: req.url, method: req.method }))
      }
    })
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>(done => server.close(() => done()))
})

describe('createTransport', () => {
  it('gives the status, the headers in lower case with repeated fields joined, and the body', async () => {
    const ask = createTransport(base)
    const answer = await ask(`${base}/here?page=2`, { headers: { accept: 'application/json' } })
    expect(answer.status).toBe(200)
    expect(answer.statusText).toBe('OK')
    expect(answer.headers.get('X-RATELIMIT-REMAINING')).toBe('4999')
    expect(answer.headers.get('link')).toBe('<a>; rel="next", <b>; rel="last"')
    expect(Object.fromEntries(answer.headers)).toMatchObject({ 'x-ratelimit-remaining': '4999' })
    expect(JSON.parse(await answer.text())).toEqual({ path: '/here?page=2', method: 'GET' })
  })

  it('sends the method, headers and body it is given, and follows a redirect as fetch does', async () => {
    seen.length = 0
    const ask = createTransport(base)
    const answer = await ask(`${base}/moved`, {
      method: 'PATCH',
      headers: { authorization: 'token abc', 'content-type': 'application/json' },
      body: '{"sha":"1"}'
    })
    expect(JSON.parse(await answer.text())).toEqual({ path: '/here', method: 'PATCH' })
    expect(seen.map(request => `${request.method} ${request.url} ${request.body}`)).toEqual([
      'PATCH /moved {"sha":"1"}',
      'PATCH /here {"sha":"1"}'
    ])
    expect(seen[1]?.headers.authorization).toBe('token abc')
  })

  it("serves Octokit: a parsed answer, a RequestError with GitHub's message, a 500 when the signal ends the wait", async () => {
    const octokit = new Octokit({ baseUrl: base, request: { fetch: createTransport(base) } })
    const { data, headers } = await octokit.request('GET /here')
    expect(data).toEqual({ path: '/here', method: 'GET' })
    expect(headers['x-ratelimit-remaining']).toBe('4999')

    const missing = await octokit.request('GET /missing').catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(RequestError)
    expect((missing as RequestError).status).toBe(404)
    expect((missing as RequestError).message).toBe('Not Found - https://docs')

    const silent = await octokit
      .request('GET /silent', { request: { signal: AbortSignal.timeout(50) } })
      .catch((error: unknown) => error)
    expect((silent as { status?: number }).status).toBe(500)
  })
})

describe('AnswerHeaders', () => {
  it('skips absent fields and answers null for a name it does not hold', () => {
    // undici gives the names in lower case; a name is asked in any case.
    const headers = new AnswerHeaders({ etag: '"x"', missing: undefined })
    expect(headers.get('ETag')).toBe('"x"')
    expect(headers.get('missing')).toBeNull()
    expect([...headers]).toEqual([['etag', '"x"']])
  })
})
