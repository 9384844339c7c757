// Renames inside catalog-spelled text (checks, index and generation
// expressions, policies, trigger definitions), as Postgres prints it after
// ALTER … RENAME. A wrong rewrite only costs a recreate of the object, which
// the differ then plans from the desired text.

/** An identifier as the catalog prints it: bare when it can be. */
function spelled(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*/g;

/**
 * A column renamed in expression text: identifier tokens outside string
 * literals, not called as functions, not after `::`, and not qualified —
 * except by one of `qualifiers` (a trigger's `new`/`old`).
 */
export function renameInExpression(text: string, from: string, to: string, qualifiers: readonly string[] = []): string {
  return text.replace(TOKEN, (match, offset: number) => {
    if (match.startsWith("'")) return match;
    const quoted = match.startsWith('"');
    const name = quoted ? match.slice(1, -1).replace(/""/g, '"') : match;
    if (name !== from || (!quoted && match !== match.toLowerCase())) return match;
    if (text[offset - 1] === ':' || /^\s*\(/.test(text.slice(offset + match.length))) return match;
    if (text[offset - 1] === '.') {
      const qualifier = /([a-z_][a-z0-9_$]*)\.$/.exec(text.slice(0, offset))?.[1];
      if (qualifier === undefined || !qualifiers.includes(qualifier)) return match;
    }
    return spelled(to);
  });
}

const TRIGGER_HEAD = /^CREATE (?:CONSTRAINT )?TRIGGER (?:"(?:[^"]|"")+"|\S+) /;

/** A column renamed in `CREATE TRIGGER …` text (`UPDATE OF col`, `WHEN (new.col …)`), the trigger's own name aside. */
export function renameColumnInTrigger(definition: string, from: string, to: string): string {
  const head = TRIGGER_HEAD.exec(definition)?.[0] ?? '';
  return head + renameInExpression(definition.slice(head.length), from, to, ['new', 'old']);
}

/** The table renamed in `CREATE TRIGGER … ON schema.table …` text. */
export function renameTableInTrigger(definition: string, schema: string, from: string, to: string): string {
  return definition.replace(` ON ${spelled(schema)}.${spelled(from)} `, ` ON ${spelled(schema)}.${spelled(to)} `);
}
