// A live SQLite database → Schema (dialect "sqlite"). Pragmas give columns,
// types, nullability, defaults, primary-key order and index uniqueness;
// sqlite_schema's SQL gives what they do not (see introspect/create-table.ts).
import type { CheckConstraint, Column, ForeignKey, Schema, Table, Trigger, UniqueConstraint, View } from '../../schema/types.js';
import { parseCreateIndex } from './introspect/create-index.js';
import { parseCreateTable, type ParsedTable } from './introspect/create-table.js';
import { canonicalExpression } from './introspect/expression.js';
import { isWord, joinTokens, normalizeSqlText, tokenize } from './introspect/tokens.js';
import type { SqliteQueries } from './session.js';
import { isInternalName } from './ledger-name.js';

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

export async function introspectSqlite(db: SqliteQueries): Promise<Schema> {
  const rows = (await db.query(`SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`)) as unknown as MasterRow[];
  // Virtual tables (FTS, R*Tree, …) and the shadow tables that store them are not modelled.
  const virtual = new Set((await db.query(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')`)).map((r) => String(r.name).toLowerCase()));
  const managed = rows.filter((r) => !isInternalName(r.tbl_name) && !virtual.has(r.tbl_name.toLowerCase()) && r.sql !== null);
  const parsed = new Map<string, ParsedTable>();
  for (const r of managed) if (r.type === 'table') parsed.set(r.name, parseCreateTable(r.sql!));
  const tables: Table[] = [];
  const columnsOf = new Map<string, string[]>();
  for (const name of parsed.keys()) {
    columnsOf.set(name.toLowerCase(), (await db.query('SELECT name FROM pragma_table_xinfo(?)', [name])).map((r) => String(r.name)));
  }
  const tableNames = new Map([...parsed.keys()].map((n) => [n.toLowerCase(), n]));
  const spelling = { table: (n: string) => tableNames.get(n.toLowerCase()) ?? n, columns: (t: string, cols: string[]) => cols.map((c) => columnsOf.get(t.toLowerCase())?.find((x) => x.toLowerCase() === c.toLowerCase()) ?? c) };
  for (const [name, p] of parsed) tables.push(await readTable(db, name, p, parsed, spelling));
  // SQLite names are case-insensitive: a trigger says `ON users` of table "uSERs".
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const views: View[] = managed.filter((r) => r.type === 'view').map((r) => ({ name: r.name, definition: viewQuery(r.sql!) }));
  const viewsByName = new Map(views.map((v) => [v.name.toLowerCase(), v]));
  for (const r of managed) {
    if (r.type === 'index') {
      const table = byName.get(r.tbl_name.toLowerCase());
      if (table) {
        const index = parseCreateIndex(r.name, r.sql!);
        index.columns = spelling.columns(table.name, index.columns);
        for (const k of index.keys ?? []) if (k.column !== undefined) k.column = spelling.columns(table.name, [k.column])[0]!;
        (table.indexes ??= []).push(index);
      }
    } else if (r.type === 'trigger') {
      const trigger: Trigger = { name: r.name, definition: normalizeSqlText(r.sql!) };
      const owner = byName.get(r.tbl_name.toLowerCase()) ?? viewsByName.get(r.tbl_name.toLowerCase());
      if (owner) (owner.triggers ??= []).push(trigger);
    }
  }
  const schema: Schema = { dialect: 'sqlite', tables };
  if (views.length) schema.views = views;
  return schema;
}

/** How the catalog spells a name written in another case (SQLite names are case-insensitive; renames rewrite them). */
interface Spelling {
  table(name: string): string;
  columns(table: string, columns: string[]): string[];
}

async function readTable(db: SqliteQueries, name: string, p: ParsedTable, all: Map<string, ParsedTable>, spelling: Spelling): Promise<Table> {
  const info = await db.query(`SELECT name, type, "notnull" AS nn, dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid`, [name]);
  const parsedColumns = new Map(p.columns.map((c) => [c.name.toLowerCase(), c]));
  const columns: Column[] = [];
  const pk: { name: string; position: number }[] = [];
  for (const r of info) {
    if (Number(r.hidden) === 1) continue;
    const column: Column = { name: String(r.name), type: String(r.type ?? ''), nullable: Number(r.nn) === 0 };
    if (r.dflt_value !== null && r.dflt_value !== undefined) column.default = canonicalExpression(String(r.dflt_value));
    const extra = parsedColumns.get(column.name.toLowerCase());
    if (extra?.collation) column.collation = extra.collation;
    if (extra?.generated) column.generated = extra.generated;
    if (Number(r.pk) > 0) pk.push({ name: column.name, position: Number(r.pk) });
    columns.push(column);
  }
  const table: Table = { name, columns };
  if (p.strict) table.strict = true;
  if (p.withoutRowid) table.without_rowid = true;
  if (pk.length) {
    table.primary_key = { columns: pk.sort((a, b) => a.position - b.position).map((c) => c.name) };
    if (p.primaryKey?.name) table.primary_key.name = p.primaryKey.name;
    if (p.primaryKey?.autoincrement) table.primary_key.autoincrement = true;
  }
  const names = new Set<string>();
  const unique = (wanted: string): string => {
    let n = wanted;
    for (let i = 1; names.has(n); i++) n = `${wanted}${i}`;
    names.add(n);
    return n;
  };
  const keyName = (given: string | undefined, columns: string[], suffix: string) => ({ name: unique(given ?? `${name}_${columns.join('_')}${suffix}`), columns });
  const uniques: UniqueConstraint[] = p.uniques.map((u) => ({ ...keyName(u.name, spelling.columns(name, u.columns), '_key') }));
  const checks: CheckConstraint[] = p.checks.map((c) => ({ name: unique(c.name ?? `${name}_${c.column ? `${c.column}_` : ''}check`), expression: c.expression }));
  const fks: ForeignKey[] = p.foreignKeys.map((f) => {
    const referenced = spelling.table(f.table);
    const fk: ForeignKey = {
      ...keyName(f.name, spelling.columns(name, f.columns), '_fkey'),
      referenced_table: referenced,
      referenced_columns: spelling.columns(referenced, f.referenced.length ? f.referenced : (all.get(referenced)?.primaryKey?.columns ?? [])),
    };
    if (f.on_delete && f.on_delete !== 'NO ACTION') fk.on_delete = f.on_delete;
    if (f.on_update && f.on_update !== 'NO ACTION') fk.on_update = f.on_update;
    if (f.deferrable) fk.deferrable = true;
    if (f.initially_deferred) fk.initially_deferred = true;
    return fk;
  });
  if (uniques.length) table.unique_constraints = uniques.sort(byName);
  if (checks.length) table.check_constraints = checks.sort(byName);
  if (fks.length) table.foreign_keys = fks.sort(byName);
  return table;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The SELECT of a CREATE VIEW, canonically spaced. */
function viewQuery(sql: string): string {
  const tokens = tokenize(sql);
  const as = tokens.findIndex((t) => isWord(t, 'AS'));
  return joinTokens(tokens.slice(as + 1));
}
