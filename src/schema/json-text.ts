// Strict JSON parsing that keeps positions: the value (JSON.parse, the
// authority on what is valid) plus a jsonc-parser tree mapping every JSON
// pointer to an offset, so problems can name a line and column.
import { ParseErrorCode, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { lineColumnAt, type LineColumn } from './position.js';

export interface ParsedJson {
  text: string;
  value: unknown;
  tree: Node | undefined;
}

export interface JsonSyntaxError {
  message: string;
  /** UTF-16 index of the error in the text. */
  index: number;
}

export type JsonParseResult = { ok: true; json: ParsedJson } | { ok: false; error: JsonSyntaxError };

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

export function parseJsonWithPositions(input: string): JsonParseResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, STRICT);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const first = errors[0];
    if (first) return { ok: false, error: describeParseError(text, first) };
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    return { ok: false, error: { message, index: at ? Number(at[1]) : 0 } };
  }
  return { ok: true, json: { text, value, tree } };
}

function describeParseError(text: string, error: ParseError): JsonSyntaxError {
  const trailingComma = /,\s*$/.exec(text.slice(0, error.offset));
  const found = text.slice(error.offset, error.offset + Math.max(1, error.length));
  if (trailingComma && (found === '}' || found === ']')) return { message: 'trailing comma is not allowed', index: trailingComma.index };
  return { message: describeCode(text, error, found), index: error.offset };
}

function describeCode(text: string, error: ParseError, found: string): string {
  switch (error.error) {
    case ParseErrorCode.PropertyNameExpected:
    case ParseErrorCode.ValueExpected:
      if (error.offset >= text.length) return 'unexpected end of input';
      return error.error === ParseErrorCode.ValueExpected
        ? `expected a value, found ${quoteToken(found)}`
        : `expected a property name in double quotes, found ${quoteToken(found)}`;
    case ParseErrorCode.ColonExpected:
      return `expected ':' after the property name, found ${quoteToken(found)}`;
    case ParseErrorCode.CommaExpected:
      return `expected ',' or a closing bracket, found ${quoteToken(found)}`;
    case ParseErrorCode.CloseBraceExpected:
      return error.offset >= text.length ? "unexpected end of input, expected '}'" : `expected '}', found ${quoteToken(found)}`;
    case ParseErrorCode.CloseBracketExpected:
      return error.offset >= text.length ? "unexpected end of input, expected ']'" : `expected ']', found ${quoteToken(found)}`;
    case ParseErrorCode.EndOfFileExpected:
      return `unexpected ${quoteToken(found)} after the end of the document`;
    case ParseErrorCode.InvalidCommentToken:
      return 'comments are not allowed in JSON';
    case ParseErrorCode.UnexpectedEndOfComment:
      return 'unterminated comment';
    case ParseErrorCode.UnexpectedEndOfString:
      return 'unterminated string';
    case ParseErrorCode.InvalidNumberFormat:
    case ParseErrorCode.UnexpectedEndOfNumber:
      return 'invalid number';
    case ParseErrorCode.InvalidUnicode:
      return 'invalid \\u escape';
    case ParseErrorCode.InvalidEscapeCharacter:
      return 'invalid escape character in string';
    case ParseErrorCode.InvalidCharacter:
      return 'control character in string (must be escaped)';
    default:
      return `unexpected ${quoteToken(found)}`;
  }
}

function quoteToken(token: string): string {
  if (token === '') return 'end of input';
  const shown = token.length > 20 ? `${token.slice(0, 20)}…` : token;
  return JSON.stringify(shown);
}

/** Splits a JSON pointer (RFC 6901) into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Offset of the node a pointer names: a property's key, an array item's value.
 * When the pointer goes past what exists (a missing property), the deepest
 * node that exists.
 */
export function pointerOffset(tree: Node | undefined, pointer: string): number | undefined {
  if (!tree) return undefined;
  let node: Node = tree;
  let offset = tree.offset;
  for (const segment of pointerSegments(pointer)) {
    let next: Node | undefined;
    let at: number | undefined;
    if (node.type === 'object') {
      const property = node.children?.find((p) => p.children?.[0]?.value === segment);
      next = property?.children?.[1];
      at = property?.offset;
    } else if (node.type === 'array' && /^\d+$/.test(segment)) {
      next = node.children?.[Number(segment)];
      at = next?.offset;
    }
    if (!next || at === undefined) break;
    node = next;
    offset = at;
  }
  return offset;
}

export function pointerPosition(json: ParsedJson, pointer: string): LineColumn | undefined {
  const offset = pointerOffset(json.tree, pointer);
  return offset === undefined ? undefined : lineColumnAt(json.text, offset);
}
