// A domain that gains NOT NULL or a CHECK is checked by Postgres against
// every column using it: the preflight asks the same of each such column,
// with the check's VALUE standing for the column.
import type { Change } from '../diff/changes.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import type { QualifiedName } from '../schema/types.js';
import { DEFAULT_NAMESPACE } from '../schema/types.js';
import type { Probe, ProbeContext } from './preflight-checks.js';

export interface DomainColumn {
  table: QualifiedName;
  column: string;
}

export async function domainProbes(change: Extract<Change, { kind: 'alter_domain' }>, ctx: ProbeContext): Promise<Probe[]> {
  const { from, to } = change;
  const added = (to.checks ?? []).filter((k) => !(from.checks ?? []).some((o) => o.name === k.name && o.definition === k.definition));
  const notNull = Boolean(to.not_null && !from.not_null);
  if (!notNull && added.length === 0) return [];
  const domain = { schema: from.schema ?? DEFAULT_NAMESPACE, name: from.name };
  const shown = `${domain.schema}.${domain.name}`;
  const out: Probe[] = [];
  for (const { table, column } of await ctx.domainColumns(domain)) {
    if (!(await ctx.facts(table))) continue;
    const where = `${table.schema}.${table.name}.${column}`;
    if (notNull) {
      out.push({ kind: 'rows', code: 'LP150', table, predicate: `${quoteIdent(column)} IS NULL`, problem: `${column} NULL (domain ${shown} becomes NOT NULL)`, pass: `no NULLs in ${where}` });
    }
    for (const check of added) {
      const expression = checkExpression(check.definition, quoteIdent(column));
      if (expression === undefined) {
        out.push({ kind: 'unchecked', code: 'LP156', reason: `${where}: domain check ${check.name} is not a plain CHECK (${check.definition})` });
        continue;
      }
      out.push({ kind: 'rows', code: 'LP153', table, predicate: `NOT (${expression})`, problem: `values that break check ${check.name} of domain ${shown}`, pass: `every value of ${where} satisfies check ${check.name} of domain ${shown}` });
    }
  }
  return out;
}

/** `CHECK ((VALUE > 0)) [NOT VALID]` with VALUE replaced outside quoted literals and names. */
export function checkExpression(definition: string, column: string): string | undefined {
  const m = /^CHECK\s*\(([\s\S]*)\)(\s+NOT VALID)?$/i.exec(definition.trim());
  if (!m) return undefined;
  return m[1]!
    .split(/('(?:[^']|'')*'|"(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\bVALUE\b/g, column)))
    .join('');
}
