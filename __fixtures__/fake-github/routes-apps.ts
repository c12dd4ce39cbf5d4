// GitHub App endpoints, authenticated with the App's JWT (see server.ts): the App, its
// installations and installation access tokens.
import type { components } from '@octokit/openapi-types'
import type { AppRecord } from './apps.js'
import type { Backend } from './backend.js'
import {
  HttpError,
  isObject,
  isoDate,
  notFound,
  unprocessable,
  type RequestContext
} from './http.js'
import type { Route } from './routing.js'
import { htmlBase, ownerJson, repoJson } from './shapes.js'

type Schemas = components['schemas']
const A = 'https://docs.github.com/rest/apps/apps'
const DOCS = {
  app: `${A}#get-the-authenticated-app`,
  orgInstallation: `${A}#get-an-organization-installation-for-the-authenticated-app`,
  installations: `${A}#list-installations-for-the-authenticated-app`,
  accessToken: `${A}#create-an-installation-access-token-for-an-app`
}

/** Paths that take the App's JWT instead of a token. */
export const APP_PATH = /^\/app(?:\/|$)|^\/orgs\/[^/]+\/installation$/

/** The App whose JWT the server verified (server.ts lets no other credential reach these routes). */
function appOf(ctx: RequestContext, docs: string): AppRecord {
  if (!ctx.app) throw new HttpError(401, 'A JSON web token could not be decoded', docs)
  return ctx.app
}

function permissions(app: AppRecord): Record<string, string> {
  const access = app.write === 'none' ? 'read' : 'write'
  return { contents: access, issues: access, metadata: 'read', pull_requests: access }
}

function installationJson(
  ctx: RequestContext,
  backend: Backend,
  app: AppRecord
): Schemas['installation'] {
  const org = backend.ensureOrg(app.owner)
  const at = app.createdAt
  return {
    id: app.installationId,
    account: ownerJson(ctx.base, org.login, org.id),
    repository_selection: app.repositories === 'all' ? 'all' : 'selected',
    access_tokens_url: `${ctx.base}/app/installations/${app.installationId}/access_tokens`,
    repositories_url: `${ctx.base}/installation/repositories`,
    html_url: `${htmlBase(ctx.base)}/organizations/${org.login}/settings/installations/${app.installationId}`,
    app_id: app.id,
    client_id: app.clientId,
    app_slug: app.slug,
    target_id: org.id,
    target_type: 'Organization',
    permissions: permissions(app),
    events: [],
    created_at: at,
    updated_at: at,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null
  }
}

/** `repositories` (names) or `repository_ids` of the token request, checked against the installation. */
function narrowedTo(ctx: RequestContext, backend: Backend, app: AppRecord): string[] | undefined {
  const body = isObject(ctx.body) ? ctx.body : {}
  const names = Array.isArray(body.repositories) ? body.repositories : undefined
  const ids = Array.isArray(body.repository_ids) ? body.repository_ids : undefined
  if (!names && !ids) return undefined
  const repos = [...backend.repos.values()].filter(r => backend.apps.installed(app, r))
  const picked = [
    ...(names ?? []).map(n => repos.find(r => r.name.toLowerCase() === String(n).toLowerCase())),
    ...(ids ?? []).map(id => repos.find(r => r.id === id))
  ]
  if (picked.some(r => r === undefined)) {
    throw unprocessable(
      'There is at least one repository that does not exist or is not accessible to the parent installation.',
      DOCS.accessToken
    )
  }
  return picked.map(r => (r?.name ?? '').toLowerCase())
}

export const appRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/app$/,
    handler: async (ctx, backend) => {
      const app = appOf(ctx, DOCS.app)
      const org = backend.ensureOrg(app.owner)
      const body: Schemas['integration'] = {
        id: app.id,
        slug: app.slug,
        node_id: Buffer.from(`03:Integration${app.id}`).toString('base64'),
        client_id: app.clientId,
        owner: ownerJson(ctx.base, org.login, org.id),
        name: app.slug,
        description: '',
        external_url: `${htmlBase(ctx.base)}/apps/${app.slug}`,
        html_url: `${htmlBase(ctx.base)}/apps/${app.slug}`,
        created_at: app.createdAt,
        updated_at: app.createdAt,
        permissions: permissions(app),
        events: [],
        installations_count: 1
      }
      return { status: 200, body }
    }
  },
  {
    method: 'GET',
    pattern: /^\/orgs\/([^/]+)\/installation$/,
    handler: async (ctx, backend) => {
      const app = appOf(ctx, DOCS.orgInstallation)
      if (app.owner.toLowerCase() !== (ctx.params[0] ?? '').toLowerCase())
        throw notFound(DOCS.orgInstallation)
      return { status: 200, body: installationJson(ctx, backend, app) }
    }
  },
  {
    method: 'GET',
    pattern: /^\/app\/installations$/,
    handler: async (ctx, backend) => ({
      status: 200,
      body: [installationJson(ctx, backend, appOf(ctx, DOCS.installations))]
    })
  },
  {
    method: 'POST',
    pattern: /^\/app\/installations\/(\d+)\/access_tokens$/,
    handler: async (ctx, backend) => {
      const app = appOf(ctx, DOCS.accessToken)
      if (Number(ctx.params[0]) !== app.installationId) throw notFound(DOCS.accessToken)
      const only = narrowedTo(ctx, backend, app)
      const { token, expiresAt } = backend.apps.mint(app, only)
      const selection = app.repositories === 'all' && !only ? 'all' : 'selected'
      const grant = { write: app.write, login: `${app.slug}[bot]` }
      const repos = [...backend.repos.values()]
        .filter(r => backend.apps.installed(app, r, only))
        .sort((a, b) => a.id - b.id)
      const body: Schemas['installation-token'] = {
        token,
        expires_at: isoDate(Math.floor(expiresAt / 1000)),
        permissions: permissions(app),
        repository_selection: selection,
        ...(selection === 'selected'
          ? {
              repositories: repos.map(r =>
                repoJson(ctx.base, r, backend.org(r.owner)?.id ?? 0, grant)
              )
            }
          : {})
      }
      return { status: 201, body }
    }
  }
]
