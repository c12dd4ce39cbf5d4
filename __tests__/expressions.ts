/**
 * A small evaluator of GitHub Actions expressions (`${{ ... }}`), for tests that run the workflows'
 * conditions and scripts. It follows docs.github.com's "Evaluate expressions" reference: literals,
 * property access, `!`, comparisons (loose, numbers when the types differ, strings compared without
 * case), `&&` / `||` returning an operand, and the functions the workflows use.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value }

/** What the status functions see: the results of the jobs a job needs, and whether the run was cancelled. */
export interface Status {
  needs: string[]
  cancelled?: boolean
}

export interface Context {
  [name: string]: Value
}

type Token =
  { kind: 'op'; text: string } | { kind: 'ident'; text: string } | { kind: 'literal'; value: Value }

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < source.length) {
    const rest = source.slice(at)
    const space = /^\s+/.exec(rest)
    if (space) {
      at += space[0].length
      continue
    }
    const string = /^'((?:[^']|'')*)'/.exec(rest)
    const number = /^-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(rest)
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest)
    const op = /^(?:==|!=|<=|>=|&&|\|\||[!<>().[\],*])/.exec(rest)
    if (string) {
      tokens.push({ kind: 'literal', value: (string[1] ?? '').replace(/''/g, "'") })
      at += string[0].length
    } else if (number && !/^[A-Za-z_]/.test(rest)) {
      tokens.push({ kind: 'literal', value: Number(number[0]) })
      at += number[0].length
    } else if (ident) {
      const word = ident[0]
      const literal: Record<string, Value> = { true: true, false: false, null: null }
      tokens.push(
        word in literal
          ? { kind: 'literal', value: literal[word] ?? null }
          : { kind: 'ident', text: word }
      )
      at += word.length
    } else if (op) {
      tokens.push({ kind: 'op', text: op[0] })
      at += op[0].length
    } else {
      throw new Error(`cannot read the expression at ${JSON.stringify(rest)}`)
    }
  }
  return tokens
}

function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === '' || Number.isNaN(value))
}

function toNumber(value: Value): number {
  if (value === null) return 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number') return value
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value)
  return NaN
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  if (typeof a === 'object' && a !== null) return a === b
  if (typeof b === 'object' && b !== null) return false
  if (typeof a === typeof b) return a === b
  return toNumber(a) === toNumber(b)
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0
  }
  return toNumber(a) - toNumber(b)
}

/** `value` as GitHub writes it into a string: `''` for null, JSON for objects. */
export function stringify(value: Value): string {
  if (value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function property(target: Value, key: Value): Value {
  if (Array.isArray(target)) {
    if (key === '*') return target
    const item = target[toNumber(key)]
    return item === undefined ? null : item
  }
  if (target === null || typeof target !== 'object') return null
  const name = String(key).toLowerCase()
  const found = Object.keys(target).find(candidate => candidate.toLowerCase() === name)
  return found === undefined ? null : (target[found] ?? null)
}

class Parser {
  private at = 0
  constructor(
    private readonly tokens: Token[],
    private readonly context: Context,
    private readonly status: Status
  ) {}

  parse(): Value {
    const value = this.or()
    if (this.at < this.tokens.length)
      throw new Error(`unexpected ${JSON.stringify(this.tokens[this.at])}`)
    return value
  }

  private peek(text: string): boolean {
    const token = this.tokens[this.at]
    return token?.kind === 'op' && token.text === text
  }

  private expect(text: string): void {
    if (!this.peek(text)) throw new Error(`expected '${text}' at token ${this.at}`)
    this.at++
  }

  /** `||` and `&&` return one of their operands: the first truthy / the first falsy one. */
  private or(): Value {
    return this.logical(
      '||',
      () => this.and(),
      (left, right) => (truthy(left) ? left : right)
    )
  }

  private and(): Value {
    return this.logical(
      '&&',
      () => this.comparison(),
      (left, right) => (truthy(left) ? right : left)
    )
  }

  private logical(
    op: string,
    operand: () => Value,
    pick: (left: Value, right: Value) => Value
  ): Value {
    let left = operand()
    while (this.peek(op)) {
      this.at++
      left = pick(left, operand())
    }
    return left
  }

  private comparison(): Value {
    let left = this.unary()
    for (;;) {
      const op = ['==', '!=', '<=', '>=', '<', '>'].find(candidate => this.peek(candidate))
      if (op === undefined) return left
      this.at++
      const right = this.unary()
      const order = op === '==' || op === '!=' ? 0 : compare(left, right)
      const results: Record<string, boolean> = {
        '==': equal(left, right),
        '!=': !equal(left, right),
        '<': order < 0,
        '<=': order <= 0,
        '>': order > 0,
        '>=': order >= 0
      }
      left = results[op] ?? false
    }
  }

  private unary(): Value {
    if (this.peek('!')) {
      this.at++
      return !truthy(this.unary())
    }
    return this.postfix()
  }

  private postfix(): Value {
    const token = this.tokens[this.at]
    if (
      token?.kind === 'ident' &&
      this.tokens[this.at + 1]?.kind === 'op' &&
      (this.tokens[this.at + 1] as { text: string }).text === '('
    ) {
      this.at += 2
      const args: Value[] = []
      while (!this.peek(')')) {
        args.push(this.or())
        if (!this.peek(')')) this.expect(',')
      }
      this.at++
      return this.accessors(this.call(token.text, args))
    }
    return this.accessors(this.primary())
  }

  private accessors(start: Value): Value {
    let value = start
    for (;;) {
      if (this.peek('.')) {
        this.at++
        const name = this.tokens[this.at++]
        if (name?.kind === 'op' && name.text === '*') value = property(value, '*')
        else if (name?.kind === 'ident') value = property(value, name.text)
        else throw new Error('expected a property name')
      } else if (this.peek('[')) {
        this.at++
        const key = this.or()
        this.expect(']')
        value = property(value, key)
      } else {
        return value
      }
    }
  }

  private primary(): Value {
    const token = this.tokens[this.at++]
    if (token === undefined) throw new Error('the expression ends too early')
    if (token.kind === 'literal') return token.value
    if (token.kind === 'ident') return property(this.context, token.text)
    if (token.text === '(') {
      const value = this.or()
      this.expect(')')
      return value
    }
    throw new Error(`unexpected '${token.text}'`)
  }

  private call(name: string, args: Value[]): Value {
    const [first = null, second = null] = args
    switch (name.toLowerCase()) {
      case 'success':
        return !this.status.cancelled && this.status.needs.every(result => result === 'success')
      case 'failure':
        return this.status.needs.some(result => result === 'failure')
      case 'always':
        return true
      case 'cancelled':
        return this.status.cancelled === true
      case 'contains':
        return Array.isArray(first)
          ? first.some(item => equal(item, second))
          : stringify(first).toLowerCase().includes(stringify(second).toLowerCase())
      case 'startswith':
        return stringify(first).toLowerCase().startsWith(stringify(second).toLowerCase())
      case 'endswith':
        return stringify(first).toLowerCase().endsWith(stringify(second).toLowerCase())
      case 'fromjson':
        return JSON.parse(stringify(first)) as Value
      case 'tojson':
        return JSON.stringify(first, null, 2)
      case 'format':
        return stringify(first).replace(/\{(\d+)\}/g, (_, i: string) =>
          stringify(args[Number(i) + 1] ?? null)
        )
      default:
        throw new Error(`function ${name}() is not supported by this evaluator`)
    }
  }
}

const STATUS_FUNCTION = /\b(?:success|failure|always|cancelled)\s*\(/

/** Evaluates one expression (without `${{ }}`). */
export function evaluate(
  expression: string,
  context: Context,
  status: Status = { needs: [] }
): Value {
  return new Parser(tokenize(expression), context, status).parse()
}

/** A job's or step's `if:` as GitHub reads it: `${{ }}` optional, `success() &&` implied. */
export function condition(source: unknown, context: Context, status: Status): boolean {
  if (source === undefined) return truthy(evaluate('success()', context, status))
  const text = String(source).trim()
  const inner = /^\$\{\{([\s\S]*)\}\}$/.exec(text)?.[1] ?? text
  const expression = STATUS_FUNCTION.test(inner) ? inner : `success() && (${inner})`
  return truthy(evaluate(expression, context, status))
}

/** A string with `${{ }}` parts replaced by their values. */
export function interpolate(
  text: string,
  context: Context,
  status: Status = { needs: [] }
): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    stringify(evaluate(expression, context, status))
  )
}
