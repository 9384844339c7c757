// Where a key is written in a TOML text, for error messages. smol-toml gives
// positions for syntax errors only; for a key that parses but is not allowed
// we scan the text: table headers ([a.b], [[a.b]]) and assignments
// (key = …, a."b".c = …), and return the first line whose key path starts
// with the one asked for. Multi-line strings are skipped.

export interface Position {
  line: number;
  column: number;
}

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const DOTTED = String.raw`${KEY_PART}(?:\s*\.\s*${KEY_PART})*`;
const HEADER = new RegExp(String.raw`^(\s*)\[\[?\s*(${DOTTED})\s*\]\]?`);
const ASSIGNMENT = new RegExp(String.raw`^(\s*)(${DOTTED})\s*=`);
const PART = new RegExp(KEY_PART, 'g');

function splitKey(dotted: string): string[] {
  return (dotted.match(PART) ?? []).map((part) => {
    if (part.startsWith('"')) return JSON.parse(part) as string;
    if (part.startsWith("'")) return part.slice(1, -1);
    return part;
  });
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => path[i] === part);
}

/**
 * The position of `path` (table names then the key) in `text`. When the key is
 * inside an inline table, the line of its closest enclosing key; line 1 column
 * 1 when nothing matches.
 */
export function locateKey(text: string, path: string[]): Position {
  let table: string[] = [];
  let closest: { depth: number; position: Position } = { depth: 0, position: { line: 1, column: 1 } };
  const consider = (keyPath: string[], position: Position): boolean => {
    if (startsWith(keyPath, path)) return true;
    if (startsWith(path, keyPath) && keyPath.length > closest.depth) closest = { depth: keyPath.length, position };
    return false;
  };
  let inMultiline: string | null = null;
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (inMultiline) {
      if (line.includes(inMultiline)) inMultiline = null;
      continue;
    }
    const header = HEADER.exec(line);
    if (header) {
      table = splitKey(header[2]!);
      const position = { line: index + 1, column: header[1]!.length + 1 };
      if (consider(table, position)) return position;
      continue;
    }
    const assignment = ASSIGNMENT.exec(line);
    if (!assignment) continue;
    const position = { line: index + 1, column: assignment[1]!.length + 1 };
    if (consider([...table, ...splitKey(assignment[2]!)], position)) return position;
    const rest = line.slice(assignment[0].length);
    const opener = /^\s*("""|''')/.exec(rest);
    if (opener && !rest.slice(rest.indexOf(opener[1]!) + 3).includes(opener[1]!)) inMultiline = opener[1]!;
  }
  return closest.position;
}
