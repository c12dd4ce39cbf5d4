import { describe, expect, it } from '@jest/globals'
import { isInlineText } from '../src/write/content.js'

describe('isInlineText', () => {
  it.each([
    ['plain ASCII', Buffer.from('# Title\n\nSome text.\n')],
    ['empty file', Buffer.alloc(0)],
    ['multi-byte UTF-8', Buffer.from('Grüße, 東京, emoji 🎉, math ∑\n', 'utf8')],
    ['CRLF line endings and tabs', Buffer.from('a\r\n\tb\r\n')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Title\n')])],
    ['control characters other than NUL', Buffer.from([0x41, 0x07, 0x1b, 0x7f, 0x0a])]
  ])('is true for %s', (_name, bytes) => {
    expect(isInlineText(bytes)).toBe(true)
  })

  it.each([
    ['a NUL byte in text', Buffer.from('abc\u0000def')],
    ['a single NUL byte', Buffer.from([0x00])],
    ['a PNG header', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['Latin-1 text (invalid UTF-8)', Buffer.from('café', 'latin1')],
    ['a lone continuation byte', Buffer.from([0x61, 0x80, 0x62])],
    ['a truncated multi-byte sequence', Buffer.from([0x61, 0xe6, 0x9d])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    [
      'UTF-16LE text with BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')])
    ]
  ])('is false for %s', (_name, bytes) => {
    expect(isInlineText(bytes)).toBe(false)
  })

  // Inline tree content travels as a JSON string and reaches GitHub as UTF-8: whatever the check
  // accepts must come back byte for byte, and bytes that would not come back must be refused.
  const jsonRoundTrips = (bytes: Buffer) =>
    Buffer.from(JSON.parse(JSON.stringify(bytes.toString('utf8'))) as string, 'utf8').equals(bytes)

  it.each([
    [
      'quotes, backslashes and U+2028',
      Buffer.from('line "quoted" \\ back\u2028sep\n', 'utf8'),
      true
    ],
    ['a lone surrogate as WTF-8', Buffer.from([0x61, 0xed, 0xb0, 0x80]), false],
    ['Latin-1 text', Buffer.from('crème brûlée', 'latin1'), false],
    ['a UTF-8 BOM', Buffer.from([0xef, 0xbb, 0xbf, 0x61]), true],
    ['an invalid lead byte', Buffer.from([0x61, 0xff, 0x62]), false]
  ])('for %s: inline only if the JSON round trip is exact', (_name, bytes, roundTrips) => {
    expect(jsonRoundTrips(bytes)).toBe(roundTrips)
    expect(isInlineText(bytes)).toBe(roundTrips)
  })

  it('refuses NUL although JSON could carry it', () => {
    const bytes = Buffer.from('a\u0000b')
    expect(jsonRoundTrips(bytes)).toBe(true)
    expect(isInlineText(bytes)).toBe(false)
  })
})
