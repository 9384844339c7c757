// Fast position lookups in one source file: byte offsets (what the Postgres
// parser reports) and code-point offsets (what its error cursor reports) to
// UTF-16 indices, and indices to 1-based line/column.
import { codePointLength, indexOfCodePoint } from '../schema/position.js';

export interface Position {
  line: number;
  column: number;
}

export class TextIndex {
  private readonly lineStarts: number[] = [0];
  private byteCursor = { bytes: 0, index: 0 };

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** 1-based line and column (in code points) of a UTF-16 index. */
  position(index: number): Position {
    const line = this.lineOf(index);
    const start = this.lineStarts[line - 1]!;
    return { line, column: codePointLength(this.text.slice(start, index)) + 1 };
  }

  /** The source line (1-based) without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }

  /**
   * UTF-16 index of a UTF-8 byte offset. Walks from the last answer, back or
   * forth: callers ask for each statement's end and then its start, and
   * restarting from 0 made a file of n statements cost O(n²).
   */
  indexOfByte(byteOffset: number): number {
    let { bytes, index } = this.byteCursor;
    const text = this.text;
    if (byteOffset < bytes / 2) [bytes, index] = [0, 0];
    while (index > 0 && bytes > byteOffset) {
      const code = text.charCodeAt(index - 1);
      const pair = code >= 0xdc00 && code < 0xe000 && index >= 2 && (text.charCodeAt(index - 2) & 0xfc00) === 0xd800;
      bytes -= pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
      index -= pair ? 2 : 1;
    }
    // Forward to the first index at or past the offset (also from inside a character the walk back overshot).
    while (index < text.length && bytes < byteOffset) {
      const code = text.codePointAt(index)!;
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      index += code >= 0x10000 ? 2 : 1;
    }
    this.byteCursor = { bytes, index };
    return index;
  }

  /** UTF-16 index of a 0-based code-point offset. */
  indexOfCodePoint(offset: number): number {
    return indexOfCodePoint(this.text, offset);
  }

  private lineOf(index: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Index of the first token at or after `index`: skips whitespace, -- comments and (nested) block comments. */
export function skipTrivia(text: string, index: number, end = text.length): number {
  let i = index;
  while (i < end) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i += 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? end : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < end && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth += 1;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth -= 1;
          i += 2;
        } else {
          i += 1;
        }
      }
    } else {
      break;
    }
  }
  return Math.min(i, end);
}
