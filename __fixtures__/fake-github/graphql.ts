// POST /graphql: every document is parsed and validated against GitHub's published schema
// (@octokit/graphql-schema) and executed with graphql-js; a supported subset of fields resolves
// from the bare repositories, any other field is refused before execution.
import { schema as published } from '@octokit/graphql-schema'
import { createHash } from 'node:crypto'
import {
  buildClientSchema,
  execute,
  GraphQLError,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode
} from 'graphql'
import { GqlFailure } from './graphql-paging.js'
import { RESOLVERS, SUPPORTED, SUPPORTED_ARGUMENTS, type GqlContext } from './graphql-resolvers.js'

let built: GraphQLSchema | undefined
function schema(): GraphQLSchema {
  built ??= buildClientSchema(published.json as unknown as IntrospectionQuery)
  return built
}

/** One entry of a GraphQL answer's `errors`, keys in GitHub's order. */
export interface GqlErrorJson {
  type?: string
  path?: (string | number)[]
  extensions?: Record<string, unknown>
  locations?: { line: number; column: number }[]
  message: string
}

export interface GqlAnswer {
  data?: Record<string, unknown> | null
  errors?: GqlErrorJson[]
}

export interface GqlRequest {
  query: string
  variables: Record<string, unknown>
  operationName?: string
  document: DocumentNode
}

/**
 * Documents by their text, the most recently used last: a client sends the same few queries again
 * and again (a listing's every page, a batch of reads), and parsing and checking one against
 * GitHub's schema costs more than answering it.
 */
const parsed = new Map<string, DocumentNode>()
const PARSED_DOCUMENTS = 64
/** What validation and the supported-fields check found in a document (nothing: []). */
const checked = new WeakMap<DocumentNode, GqlErrorJson[]>()

/**
 * Documents found valid and supported, by their text with every string literal emptied: whether a
 * document passes does not depend on what its strings say (any string is a valid String, ID,
 * GitObjectID or URI; a string where an Int or an enum belongs fails whatever it says), so a batch
 * of aliased reads that differs from the last one only in its names, oids and paths is not
 * checked again. Texts with comments or block strings are always checked.
 */
const passedShapes = new Set<string>()
const PASSED_SHAPES = 256

function shapeOf(query: string): string | undefined {
  if (query.includes('#') || query.includes('"""')) return undefined
  const shape = query.replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
  return createHash('sha1').update(shape).digest('hex')
}

/** The request body as GitHub reads it, or GitHub's error answer. */
export function readRequest(body: unknown): GqlRequest | GqlAnswer {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  if (typeof b.query !== 'string')
    return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }
  let variables: unknown = b.variables ?? {}
  if (typeof variables === 'string') {
    try {
      variables = JSON.parse(variables === '' ? '{}' : variables)
    } catch {
      variables = undefined
    }
  }
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables))
    return { errors: [{ message: 'Variables are invalid JSON.' }] }
  let document = parsed.get(b.query)
  if (document) {
    parsed.delete(b.query) // most recently used last
  } else {
    try {
      document = parse(b.query)
    } catch (e) {
      return { errors: [parseError(e)] }
    }
  }
  parsed.set(b.query, document)
  for (const oldest of parsed.keys()) {
    if (parsed.size <= PARSED_DOCUMENTS) break
    parsed.delete(oldest)
  }
  const operationName = typeof b.operationName === 'string' ? b.operationName : undefined
  return {
    query: b.query,
    variables: variables as Record<string, unknown>,
    operationName,
    document
  }
}

const TOKEN_NAMES: Record<string, string> = {
  '{': 'LCURLY',
  '}': 'RCURLY',
  '(': 'LPAREN',
  ')': 'RPAREN',
  '[': 'LBRACKET',
  ']': 'RBRACKET',
  ':': 'COLON',
  '!': 'BANG',
  $: 'VAR_SIGN',
  '=': 'EQUALS',
  '@': 'DIR_SIGN',
  '...': 'ELLIPSIS',
  '|': 'PIPE',
  '&': 'AMP'
}

/** graphql-ruby's wording: `Parse error on "}" (RCURLY) at [1, 10]`. */
function parseError(e: unknown): GqlErrorJson {
  const error = e instanceof GraphQLError ? e : undefined
  const at = error?.locations?.[0]
  const locations = at ? [{ line: at.line, column: at.column }] : undefined
  // graphql-js: 'Syntax Error: Expected Name, found "}".' / 'Syntax Error: Unexpected Name "foo".'
  const found = /(?:found|Unexpected) (.*)\.$/.exec(error?.message ?? '')?.[1] ?? '<EOF>'
  if (found === '<EOF>')
    return { message: 'Unexpected end of document', ...(locations ? { locations } : {}) }
  const m = /^(Name|String|Int|Float|BlockString) "?(.*?)"?$/.exec(found)
  const token = m
    ? `"${m[2]}" (${m[1] === 'Name' ? 'IDENTIFIER' : (m[1] ?? '').toUpperCase()})`
    : `${found} (${TOKEN_NAMES[found.replace(/^"|"$/g, '')] ?? 'UNKNOWN_CHAR'})`
  return {
    message: `Parse error on ${token}${at ? ` at [${at.line}, ${at.column}]` : ''}`,
    ...(locations ? { locations } : {})
  }
}

/**
 * graphql-ruby's wording for a variable that is null or lacks a required input field:
 * `Variable $input of type X! was provided invalid value for a.b (Expected value to not be null)`.
 */
function variableError(error: GraphQLError, request: GqlRequest): GqlErrorJson | undefined {
  const m =
    /^Variable "\$(\w+)" got invalid value .*?(?: at "[^".]+((?:\.[^".]+)*)")?; (?:Field "(\w+)" of required type ".+?" was not provided|Expected non-nullable type ".+?" not to be null)\.$/s.exec(
      error.message
    )
  if (!m) return undefined
  const [, name = '', at = '', field] = m
  const definition = operationOf(request)?.variableDefinitions?.find(
    v => v.variable.name.value === name
  )
  const type = definition ? print(definition.type) : ''
  const path = [...at.split('.').filter(Boolean), ...(field ? [field] : [])]
  return {
    extensions: {
      value: request.variables[name] ?? null,
      problems: [{ path, explanation: 'Expected value to not be null' }]
    },
    ...(error.locations
      ? { locations: error.locations.map(l => ({ line: l.line, column: l.column })) }
      : {}),
    message: `Variable $${name} of type ${type} was provided invalid value${path.length ? ` for ${path.join('.')}` : ''} (Expected value to not be null)`
  }
}

/** The operation a request runs (for the request log), if it can be told. */
export function operationOf(request: GqlRequest): OperationDefinitionNode | undefined {
  const ops = request.document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition'
  )
  return request.operationName === undefined
    ? ops.length === 1
      ? ops[0]
      : undefined
    : ops.find(op => op.name?.value === request.operationName)
}

/** GitHub's path of every field and argument node: `["query", "repository", "alias", ...]`. */
function nodePaths(document: DocumentNode): Map<ASTNode, string[]> {
  const paths = new Map<ASTNode, string[]>()
  const stack: string[] = []
  visit(document, {
    OperationDefinition: {
      enter: op => void stack.push(op.name ? `${op.operation} ${op.name.value}` : op.operation),
      leave: () => void stack.pop()
    },
    FragmentDefinition: {
      enter: f => void stack.push(`fragment ${f.name.value}`),
      leave: () => void stack.pop()
    },
    InlineFragment: {
      enter: f => void stack.push(`... on ${f.typeCondition?.name.value ?? ''}`),
      leave: () => void stack.pop()
    },
    Field: {
      enter: f => {
        stack.push(f.alias?.value ?? f.name.value)
        paths.set(f, [...stack])
      },
      leave: () => void stack.pop()
    },
    Argument: a => void paths.set(a, [...stack, a.name.value])
  })
  return paths
}

/**
 * graphql-js validation errors in graphql-ruby's words where GitHub's are known (unknown field,
 * missing or unknown argument); other messages are graphql-js's own.
 */
function validationErrors(errors: readonly GraphQLError[], document: DocumentNode): GqlErrorJson[] {
  const paths = nodePaths(document)
  const out: GqlErrorJson[] = []
  const missing = new Map<ASTNode, GqlErrorJson>()
  for (const error of errors) {
    const node = error.nodes?.[0]
    const path = node ? paths.get(node) : undefined
    const locations = error.locations?.map(l => ({ line: l.line, column: l.column }))
    const base = { ...(path ? { path } : {}) }
    let m = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(error.message)
    if (m) {
      out.push({
        ...base,
        extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] },
        locations,
        message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`
      })
      continue
    }
    m = /^Field "(.+?)" argument "(.+?)" of type ".+?" is required, but it was not provided\./.exec(
      error.message
    )
    if (m && node) {
      const seen = missing.get(node)
      if (seen?.extensions) {
        const args = `${seen.extensions.arguments as string}, ${m[2]}`
        seen.extensions.arguments = args
        seen.message = `Field '${m[1]}' is missing required arguments: ${args}`
        continue
      }
      const entry: GqlErrorJson = {
        ...base,
        extensions: {
          code: 'missingRequiredArguments',
          className: 'Field',
          name: m[1],
          arguments: m[2]
        },
        locations,
        message: `Field '${m[1]}' is missing required arguments: ${m[2]}`
      }
      missing.set(node, entry)
      out.push(entry)
      continue
    }
    m = /^Unknown argument "(.+?)" on field "(?:.+?)\.(.+?)"\./.exec(error.message)
    if (m) {
      out.push({
        ...base,
        extensions: {
          code: 'argumentNotAccepted',
          name: m[2],
          typeName: 'Field',
          argumentName: m[1]
        },
        locations,
        message: `Field '${m[2]}' doesn't accept argument '${m[1]}'`
      })
      continue
    }
    out.push({ ...base, ...(locations ? { locations } : {}), message: error.message })
  }
  return out
}

/**
 * Fields outside the fake's supported subset, and arguments it does not honour on the fields that
 * list theirs (SUPPORTED_ARGUMENTS), refused loudly rather than answered with nulls or unfiltered.
 */
function unsupportedFields(document: DocumentNode, s: GraphQLSchema): GqlErrorJson[] {
  // paths are for the errors only: a valid document of hundreds of aliases needs none
  let paths: Map<ASTNode, string[]> | undefined
  const pathOf = (node: ASTNode) => (paths ??= nodePaths(document)).get(node)
  const typeInfo = new TypeInfo(s)
  const out: GqlErrorJson[] = []
  const at = (node: ASTNode) =>
    node.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : []
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: node => {
        const parent = typeInfo.getParentType()?.name ?? ''
        const field = node.name.value
        // __typename and introspection (__schema, __type and their fields) are graphql-js's own
        if (field.startsWith('__') || parent.startsWith('__')) return
        if (!SUPPORTED[parent]?.includes(field)) {
          out.push({
            path: pathOf(node),
            extensions: { code: 'unsupportedByFakeGitHub', typeName: parent, fieldName: field },
            locations: at(node),
            message: `Field '${field}' on type '${parent}' is not supported by the fake GitHub server (supported: ${(SUPPORTED[parent] ?? []).join(', ') || 'none'})`
          })
          return
        }
        const honoured = SUPPORTED_ARGUMENTS[`${parent}.${field}`]
        for (const argument of honoured ? (node.arguments ?? []) : []) {
          const name = argument.name.value
          if (honoured?.includes(name)) continue
          out.push({
            path: pathOf(argument),
            extensions: {
              code: 'unsupportedByFakeGitHub',
              typeName: parent,
              fieldName: field,
              argumentName: name
            },
            locations: at(argument),
            message: `Argument '${name}' of field '${field}' on type '${parent}' is not supported by the fake GitHub server (supported: ${honoured?.join(', ')})`
          })
        }
      }
    })
  )
  return out
}

const fieldResolver: GraphQLFieldResolver<unknown, GqlContext> = (source, args, ctx, info) => {
  const key = `${info.parentType.name}.${info.fieldName}`
  const resolve = RESOLVERS[key]
  if (!resolve)
    throw new GqlFailure('INTERNAL', `${key} is not supported by the fake GitHub server`)
  return (resolve as (...a: unknown[]) => unknown)(source, args, ctx, info)
}

function errorJson(error: GraphQLError, request: GqlRequest): GqlErrorJson {
  const variable = error.path ? undefined : variableError(error, request)
  if (variable) return variable
  const original = error.originalError
  // a resolver's GitHub-typed failure; any other thrown Error is a fake bug: INTERNAL
  const type =
    original instanceof GqlFailure
      ? original.type
      : original && !(original instanceof GraphQLError)
        ? 'INTERNAL'
        : undefined
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: [...error.path] } : {}),
    ...(error.locations
      ? { locations: error.locations.map(l => ({ line: l.line, column: l.column })) }
      : {}),
    message: error.message
  }
}

/** Validates and runs one request; the answer always goes out with HTTP 200, as GitHub's does. */
export async function run(request: GqlRequest, ctx: GqlContext): Promise<GqlAnswer> {
  const s = schema()
  let refused = checked.get(request.document)
  const shape = refused ? undefined : shapeOf(request.query)
  if (!refused && shape && passedShapes.has(shape)) refused = []
  if (!refused) {
    const invalid = validate(s, request.document)
    refused =
      invalid.length > 0
        ? validationErrors(invalid, request.document)
        : unsupportedFields(request.document, s)
    if (shape && refused.length === 0) {
      passedShapes.add(shape)
      for (const oldest of passedShapes) {
        if (passedShapes.size <= PASSED_SHAPES) break
        passedShapes.delete(oldest)
      }
    }
  }
  checked.set(request.document, refused)
  if (refused.length > 0) return { errors: refused }
  const result = await execute({
    schema: s,
    document: request.document,
    rootValue: {},
    contextValue: ctx,
    variableValues: request.variables,
    operationName: request.operationName,
    fieldResolver,
    typeResolver: value => (value as { typename: string }).typename
  })
  const errors = result.errors?.map(e => errorJson(e, request))
  return {
    ...(result.data !== undefined ? { data: result.data as Record<string, unknown> | null } : {}),
    ...(errors?.length ? { errors } : {})
  }
}
