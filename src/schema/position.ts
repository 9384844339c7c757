// Text positions for messages: 1-based line and column, where a column counts
// characters (Unicode code points), not bytes or UTF-16 units, so non-ASCII
// text points where an editor's cursor would be.

export interface LineColumn {
  line: number;
  column: number;
}

/** Line and column of a UTF-16 index into `text`. */
export function lineColumnAt(text: string, index: number): LineColumn {
  const end = Math.max(0, Math.min(index, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: codePointLength(text.slice(lineStart, end)) + 1 };
}

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The UTF-16 index in `text` of its `count`-th code point (clamped to the end). */
export function indexOfCodePoint(text: string, count: number, from = 0): number {
  let index = from;
  for (let n = 0; n < count && index < text.length; n += 1) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
  }
  return index;
}

/** The UTF-16 index in `text` of the UTF-8 byte offset `byteOffset` (clamped to the end). */
export function indexOfUtf8Offset(text: string, byteOffset: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length && bytes < byteOffset) {
    const code = text.codePointAt(index)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += code >= 0x10000 ? 2 : 1;
  }
  return index;
}

/** The full source line containing `index`, without its line break. */
export function lineAt(text: string, index: number): string {
  const start = index <= 0 ? 0 : text.lastIndexOf('\n', index - 1) + 1;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  return text.slice(start, end).replace(/\r$/, '');
}
