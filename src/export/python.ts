// Python string literals for generated Python source (Alembic revisions).

/** Escapes one character for a Python string literal, or returns it as is. */
function escapeChar(ch: string, quote: string, keepNewlines: boolean): string {
  if (ch === '\\') return '\\\\';
  if (ch === quote) return `\\${quote}`;
  if (ch === '\n') return keepNewlines ? '\n' : '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  const code = ch.codePointAt(0)!;
  // Control characters, and the line separators some editors and tools break lines on.
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return `\\u${code.toString(16)}`;
  // A lone surrogate cannot be written as UTF-8 source; Python's str holds it escaped.
  if (code >= 0xd800 && code <= 0xdfff) return `\\u${code.toString(16)}`;
  return ch;
}

function escapeBody(text: string, quote: string, keepNewlines: boolean): string {
  let body = '';
  for (const ch of text) body += escapeChar(ch, quote, keepNewlines);
  return body;
}

/**
 * A Python literal whose value is exactly `text`: '…' for one line,
 * '''…''' (newlines kept, so SQL stays readable) for several.
 */
export function pythonString(text: string): string {
  if (!text.includes('\n')) return `'${escapeBody(text, "'", false)}'`;
  return `'''${escapeBody(text, "'", true)}'''`;
}

/** A module docstring body: the text inside """…""", escaped, newlines kept. */
export function pythonDocstring(text: string): string {
  return `"""${escapeBody(text, '"', true)}\n"""`;
}
