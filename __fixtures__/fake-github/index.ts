// Public API of the fake GitHub server (test and demo support only; never imported by src/).
export { FakeGitHub } from './server.js'
export { git } from './git.js'
export type {
  Fault,
  FakeGitHubOptions,
  FileInfo,
  FileSpec,
  FileTree,
  PullRecord,
  RepoOptions,
  RequestLogEntry,
  RequestMatcher,
  TokenGrant
} from './types.js'
