// GitHub Apps: RSA keys, JWT (RS256) verification and installation access tokens.
import { createPublicKey, generateKeyPair, randomBytes, verify, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { Backend, RepoRecord } from './backend.js'
import { HttpError, isoDate, type Grant } from './http.js'
import type { AppCredentials, AppOptions } from './types.js'

const generateKeys = promisify(generateKeyPair)
const JWT_DOCS = 'https://docs.github.com/rest'
/** GitHub: a JWT expires at most 10 minutes after now; iat/exp may be off by about a minute. */
const MAX_JWT_LIFETIME_S = 600
const CLOCK_SKEW_S = 60

export interface AppRecord {
  id: number
  clientId: string
  slug: string
  owner: string
  publicKey: KeyObject
  installationId: number
  /** lower-case repository names, or 'all' */
  repositories: 'all' | string[]
  tokenTtlMs: number
  /** lower-case "owner/name", or 'all' / 'none' */
  write: 'all' | 'none' | string[]
  createdAt: string
}

interface InstallationToken {
  app: AppRecord
  expiresAt: number
  /** lower-case repository names the token was narrowed to */
  repositories?: string[]
}

const jwtError = (message: string): HttpError => new HttpError(401, message, JWT_DOCS)

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

/** Three base64url segments whose header says it is a JWT: what GitHub treats as an App JWT. */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.')
  if (parts.length !== 3) return false
  const header = decodeSegment(parts[0] ?? '')
  return typeof header === 'object' && header !== null && 'alg' in header
}

export class AppRegistry {
  private readonly apps = new Map<number, AppRecord>()
  private readonly tokens = new Map<string, InstallationToken>()
  private nextAppId = 900001
  private nextInstallationId = 40000001

  constructor(private readonly backend: Backend) {}

  async create(options: AppOptions): Promise<AppCredentials> {
    const { privateKey, publicKey } = await generateKeys('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' }
    })
    const owner = this.backend.ensureOrg(options.owner).login
    const id = this.nextAppId++
    const qualify = (r: string) => (r.includes('/') ? r : `${owner}/${r}`).toLowerCase()
    const app: AppRecord = {
      id,
      clientId: `Iv23li${randomBytes(7).toString('hex')}`,
      slug: options.slug ?? 'codex-sync',
      owner,
      publicKey: createPublicKey(publicKey),
      installationId: this.nextInstallationId++,
      repositories:
        options.repositories === undefined || options.repositories === 'all'
          ? 'all'
          : options.repositories.map(r => r.replace(/^.*\//, '').toLowerCase()),
      tokenTtlMs: options.tokenTtlMs ?? 3600_000,
      write: Array.isArray(options.write) ? options.write.map(qualify) : (options.write ?? 'all'),
      createdAt: isoDate(Math.floor(Date.now() / 1000))
    }
    this.apps.set(id, app)
    return {
      appId: String(id),
      privateKey,
      installationId: app.installationId,
      clientId: app.clientId
    }
  }

  installed(app: AppRecord, rec: RepoRecord, only?: string[]): boolean {
    const name = rec.name.toLowerCase()
    return (
      rec.owner.toLowerCase() === app.owner.toLowerCase() &&
      (app.repositories === 'all' || app.repositories.includes(name)) &&
      (only === undefined || only.includes(name))
    )
  }

  /** Verifies an App JWT like GitHub: signature, `iss`, `iat` and `exp`; throws GitHub's 401s. */
  verifyJwt(jwt: string): AppRecord {
    const [headerPart = '', payloadPart = '', signaturePart = ''] = jwt.split('.')
    const header = decodeSegment(headerPart) as { alg?: unknown } | undefined
    const claims = decodeSegment(payloadPart) as Record<string, unknown> | undefined
    if (header?.alg !== 'RS256' || typeof claims !== 'object' || claims === null)
      throw jwtError('A JSON web token could not be decoded')
    const app = this.issuer(claims.iss)
    const signed = verify(
      'sha256',
      Buffer.from(`${headerPart}.${payloadPart}`),
      app.publicKey,
      Buffer.from(signaturePart, 'base64url')
    )
    if (!signed) throw jwtError('A JSON web token could not be decoded')
    const now = Math.floor(Date.now() / 1000)
    const { iat, exp } = claims
    if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now + CLOCK_SKEW_S) {
      throw jwtError(
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
      )
    }
    if (typeof exp !== 'number' || !Number.isInteger(exp) || exp <= now - CLOCK_SKEW_S) {
      throw jwtError(
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
      )
    }
    if (exp > now + MAX_JWT_LIFETIME_S)
      throw jwtError("'Expiration time' claim ('exp') is too far in the future")
    return app
  }

  /** The App named by `iss`: its id (number or digits) or its client id. */
  private issuer(iss: unknown): AppRecord {
    const byClientId = [...this.apps.values()].find(a => a.clientId === iss)
    if (byClientId) return byClientId
    const id = typeof iss === 'number' ? iss : typeof iss === 'string' ? Number(iss) : NaN
    if (!Number.isInteger(id) || (typeof iss === 'string' && !/^\d+$/.test(iss)))
      throw jwtError("'Issuer' claim ('iss') must be an Integer")
    const app = this.apps.get(id)
    if (!app) throw new HttpError(404, 'Integration not found', JWT_DOCS)
    return app
  }

  /** Mints an installation access token, optionally narrowed to some of its repositories. */
  mint(app: AppRecord, only?: string[]): { token: string; expiresAt: number } {
    const token = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`
    // whole seconds, as `expires_at` says: the token dies at the second it announces
    const expiresAt = Math.ceil((Date.now() + app.tokenTtlMs) / 1000) * 1000
    this.tokens.set(token, { app, expiresAt, repositories: only })
    return { token, expiresAt }
  }

  /** The grant of a live installation token; undefined for unknown or expired ones. */
  grant(token: string): Grant | undefined {
    const entry = this.tokens.get(token)
    if (!entry || Date.now() >= entry.expiresAt) return undefined
    const { app, repositories } = entry
    return {
      write: app.write,
      login: `${app.slug}[bot]`,
      sees: rec => this.installed(app, rec, repositories),
      repositorySelection: app.repositories === 'all' && !repositories ? 'all' : 'selected',
      bucket: `installation:${app.installationId}`
    }
  }

  byInstallation(id: number): AppRecord | undefined {
    return [...this.apps.values()].find(a => a.installationId === id)
  }
}
