/** GitHub App authentication: a JWT for the App's own endpoints, installation tokens refreshed for the rest. */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto'
import type { EndpointDefaults, RequestInterface, RequestParameters, Route } from '@octokit/types'
import { CodexSyncError, type Log } from '../model.js'
import { statusOf } from './errors.js'

export interface AppAuthOptions {
  appId: string
  privateKey: string
  organization: string
  log: Log
}

interface InstallationToken {
  token: string
  expiresAt: number
  /** When to mint the next one: before expiry, by a quarter of its life at most five minutes. */
  refreshAt: number
}

const JWT_BACKDATE_S = 60
/** GitHub accepts JWTs that live at most 10 minutes. */
const JWT_LIFETIME_S = 540
const MAX_REFRESH_MARGIN_MS = 5 * 60_000
const APP_ENDPOINT = /^\/app(?:\/|$)|^\/orgs\/[^/]+\/installation$/

/**
 * An Octokit auth strategy (`authStrategy`) for a GitHub App: it finds the App's installation on
 * the organisation, mints installation tokens and mints a new one before the current one expires,
 * or at once when GitHub rejects it, so a run may last longer than one token.
 */
export function createAppAuth(options: AppAuthOptions & { request: RequestInterface }) {
  const tokens = new InstallationTokens(options)
  const auth = async () => ({ type: 'token', tokenType: 'installation', token: await tokens.get() })
  return Object.assign(auth, {
    hook: (
      request: RequestInterface,
      route: Route | EndpointDefaults,
      parameters?: RequestParameters
    ) => tokens.send(request, route, parameters)
  })
}

class InstallationTokens {
  private readonly key: KeyObject
  private current: InstallationToken | undefined
  private minting: Promise<InstallationToken> | undefined
  private installationId: number | undefined

  constructor(private readonly options: AppAuthOptions & { request: RequestInterface }) {
    try {
      this.key = createPrivateKey(options.privateKey)
    } catch {
      throw new CodexSyncError(
        "The GitHub App's private key cannot be read.",
        "Pass the App's private key (the whole .pem file, BEGIN and END lines included) in the private_key input."
      )
    }
  }

  async send(
    request: RequestInterface,
    route: Route | EndpointDefaults,
    parameters?: RequestParameters
  ) {
    const endpoint = request.endpoint.merge(route as string, parameters)
    if (APP_ENDPOINT.test(pathOf(endpoint.url ?? ''))) {
      endpoint.headers.authorization = `bearer ${this.jwt()}`
      return request(endpoint as EndpointDefaults & { url: string })
    }
    const token = await this.get()
    endpoint.headers.authorization = `token ${token}`
    try {
      return await request(endpoint as EndpointDefaults & { url: string })
    } catch (error) {
      if (statusOf(error) !== 401) throw error
      // Rejected before its time (revoked, or a clock ahead of ours): mint another, once.
      this.forget(token)
      endpoint.headers.authorization = `token ${await this.get()}`
      return request(endpoint as EndpointDefaults & { url: string })
    }
  }

  async get(): Promise<string> {
    if (this.current && Date.now() < this.current.refreshAt) return this.current.token
    this.minting ??= this.mint().finally(() => (this.minting = undefined))
    this.current = await this.minting
    return this.current.token
  }

  private forget(token: string): void {
    if (this.current?.token === token) this.current = undefined
  }

  private async mint(): Promise<InstallationToken> {
    const { request, organization, log } = this.options
    const authorization = `bearer ${this.jwt()}`
    const installation = (this.installationId ??= await this.findInstallation(authorization))
    const { data } = await request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: installation,
      headers: { authorization }
    }).catch((error: unknown) => {
      throw appError(error, organization)
    })
    const now = Date.now()
    const expiresAt = Date.parse(data.expires_at)
    const margin = Math.min(MAX_REFRESH_MARGIN_MS, (expiresAt - now) / 4)
    log.debug(`Minted an installation token for ${organization}, valid until ${data.expires_at}.`)
    return { token: data.token, expiresAt, refreshAt: expiresAt - margin }
  }

  private async findInstallation(authorization: string): Promise<number> {
    const { request, organization } = this.options
    const { data } = await request('GET /orgs/{org}/installation', {
      org: organization,
      headers: { authorization }
    }).catch((error: unknown) => {
      throw appError(error, organization)
    })
    return data.id
  }

  private jwt(): string {
    const now = Math.floor(Date.now() / 1000)
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))
    const payload = base64url(
      JSON.stringify({
        iat: now - JWT_BACKDATE_S,
        exp: now - JWT_BACKDATE_S + JWT_LIFETIME_S,
        iss: this.options.appId
      })
    )
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.key)
    return `${header}.${payload}.${base64url(signature)}`
  }
}

function appError(error: unknown, organization: string): unknown {
  switch (statusOf(error)) {
    case 401:
      return new CodexSyncError(
        'GitHub rejected the GitHub App credentials.',
        'Check that app_id is the id of the App whose private key is in private_key, and that the runner clock is right.'
      )
    case 404:
      return new CodexSyncError(
        `The GitHub App is not installed on ${organization}.`,
        `Install the App on the organisation ${organization} (all repositories, or the codex and the projects to sync).`
      )
    default:
      return error
  }
}

function pathOf(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\?.*$/, '')
  return path.replace(/^\/api\/v3(?=\/)/, '')
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}
