// Tables that hold rows for the converge property in online mode: one row
// per table whose values satisfy both schemas of a pair, so that every
// online rewrite (NOT VALID + VALIDATE, CONCURRENTLY, SET NOT NULL through a
// check, a volatile default's backfill, a type change's expand/contract) runs
// against data. The value of a column depends only on its type
// family, so a foreign key's columns hold exactly the referenced key's values.
import type { PgSession } from '../../src/dialects/postgres/session.js';
import type { Column, Schema, Table } from '../../src/schema/types.js';

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The literal every column of this type holds (passes every check the arbitraries draw). */
export function rowValue(type: string): string {
  if (type.endsWith('[]')) return `'{1}'`;
  if (/^(smallint|integer|bigint|numeric)/.test(type)) return `'1'`;
  if (/^(text|character)/.test(type)) return `'r1'`;
  if (/^(date|timestamp)/.test(type)) return `'2020-01-01'`;
  if (type === 'boolean') return 'true';
  if (type === 'public.span') return `'[1,2)'`;
  if (type === 'public.span_multirange') return `'{[1,2)}'`;
  throw new Error(`rows: no value for type ${type}`);
}

const key = (t: Table): string => `${t.schema ?? 'public'}.${t.name}`;

/**
 * Adjusts a pair so that a row inserted in A survives both ways: a column
 * only one side has gets the row's value as its default (it is added to a
 * table that holds the row, forward or in the rollback), an identity added
 * later starts at the row's value, and a foreign key from a kept table to
 * one that is not kept goes (its new, empty target could not hold the row's key).
 */
export function pairForRows([a, b]: [Schema, Schema]): [Schema, Schema] {
  const kept = new Set(a.tables.map(key).filter((k) => b.tables.some((t) => key(t) === k)));
  const fix = (own: Schema, other: Schema): Schema => {
    const copy: Schema = structuredClone(own);
    for (const t of copy.tables) {
      if (!kept.has(key(t))) continue;
      const twin = other.tables.find((o) => key(o) === key(t))!;
      t.foreign_keys = t.foreign_keys?.filter((fk) => kept.has(`${fk.referenced_schema ?? t.schema ?? 'public'}.${fk.referenced_table}`));
      if (!t.foreign_keys?.length) delete t.foreign_keys;
    }
    const keyed = foreignKeyColumns(copy);
    for (const t of copy.tables) {
      if (!kept.has(key(t))) continue;
      const twin = other.tables.find((o) => key(o) === key(t))!;
      for (const c of t.columns) if (!twin.columns.some((o) => o.name === c.name)) onlyHere(c, keyed.has(`${key(t)}.${c.name}`));
    }
    return copy;
  };
  return [fix(a, b), fix(b, a)];
}

/**
 * A column added to a table holding the row. A time or text column outside
 * any foreign key gets a VOLATILE default (evaluated per row), so that online
 * mode's volatile-default rewrite (add empty, backfill by key) runs against
 * data; others get the row's value.
 */
function onlyHere(c: Column, inForeignKey: boolean): void {
  if (c.identity) {
    delete c.identity.start;
    return;
  }
  c.default = inForeignKey ? rowValue(c.type) : (VOLATILE_DEFAULTS.find(([family]) => family.test(c.type))?.[1] ?? rowValue(c.type));
}

const VOLATILE_DEFAULTS: [RegExp, string][] = [
  [/^(date|timestamp)/, 'clock_timestamp()'],
  [/^(text|character)/, 'substr(md5(random()::text), 1, 8)'],
];

/** `schema.table.column` of every column a foreign key of the schema uses or references. */
function foreignKeyColumns(schema: Schema): Set<string> {
  const out = new Set<string>();
  for (const t of schema.tables) {
    for (const fk of t.foreign_keys ?? []) {
      for (const c of fk.columns) out.add(`${key(t)}.${c}`);
      for (const c of fk.referenced_columns) out.add(`${fk.referenced_schema ?? t.schema ?? 'public'}.${fk.referenced_table}.${c}`);
    }
  }
  return out;
}

/** One row in every table (triggers and foreign-key checks off while it goes in: the values are consistent by construction). */
export async function insertRows(session: PgSession, schema: Schema): Promise<void> {
  await session.exec('SET session_replication_role = replica');
  try {
    for (const t of schema.tables) {
      const columns = t.columns.filter((c) => !c.generated);
      if (!columns.length) continue;
      await session.exec(
        `INSERT INTO ${q(t.schema ?? 'public')}.${q(t.name)} (${columns.map((c) => q(c.name)).join(', ')}) OVERRIDING SYSTEM VALUE VALUES (${columns.map((c) => rowValue(c.type)).join(', ')})`,
      );
    }
  } finally {
    await session.exec('RESET session_replication_role');
  }
}
