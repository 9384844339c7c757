// What the lock analysis needs to know about the relations a plan touches,
// kept up to date while it walks the plan's statements: column types (is a
// type change binary coercible?), which tables the plan created (they hold
// no rows), which index belongs to which table, foreign keys (the
// referenced table is locked too), NOT NULL checks (SET NOT NULL can skip
// its scan) and function volatility (does a default rewrite the table?).
import type { Schema } from '../../schema/types.js';
import { DEFAULT_NAMESPACE, tableKey } from '../../schema/types.js';

interface TableFacts {
  columns: Map<string, string>;
  /** Columns declared NOT NULL. */
  notNull: Set<string>;
  /** Constraint name → referenced table. */
  foreignKeys: Map<string, string>;
  /** Columns a valid CHECK (col IS NOT NULL) proves; and NOT VALID ones by constraint name. */
  provenNotNull: Set<string>;
  pendingNotNull: Map<string, string>;
}

export interface RangeVarLike {
  schemaname?: string;
  relname?: string;
}

/** `schema.name` of a name as written; unqualified names are taken to be in public (Lockplane qualifies every name it writes). */
export function relationKey(r: RangeVarLike | undefined): string {
  return `${r?.schemaname ?? DEFAULT_NAMESPACE}.${r?.relname ?? '?'}`;
}

const NOT_NULL_CHECK = /^\(*\s*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s+IS\s+NOT\s+NULL\s*\)*$/i;

/** The column a CHECK expression (catalog text) proves NOT NULL, if it is exactly `col IS NOT NULL`. */
export function notNullCheckColumn(expression: string): string | undefined {
  const m = NOT_NULL_CHECK.exec(expression.trim());
  if (!m) return undefined;
  const name = m[1]!;
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

/** pg_get_functiondef prints STABLE or IMMUTABLE; a function without either is VOLATILE. */
const NOT_VOLATILE = /\n\s*(STABLE|IMMUTABLE)\b/;

export class RelationState {
  private readonly tables = new Map<string, TableFacts>();
  private readonly created = new Set<string>();
  private readonly indexes = new Map<string, string>();
  /** Index key → its plain column keys (absent for expression keys). */
  private readonly indexColumns = new Map<string, string[]>();
  private readonly functions = new Map<string, boolean>();
  /** Domains with a NOT NULL or CHECK constraint (a new column of one is checked row by row). */
  private readonly constrainedDomains = new Set<string>();
  private readonly views = new Set<string>();

  constructor(from: Schema) {
    for (const t of from.tables) {
      const key = tableKey(t);
      const facts = this.table(key);
      for (const c of t.columns) {
        facts.columns.set(c.name, c.type);
        if (!c.nullable) facts.notNull.add(c.name);
      }
      for (const fk of t.foreign_keys ?? []) facts.foreignKeys.set(fk.name, `${fk.referenced_schema ?? t.schema ?? DEFAULT_NAMESPACE}.${fk.referenced_table}`);
      for (const check of t.check_constraints ?? []) {
        const column = notNullCheckColumn(check.expression);
        if (column) facts.provenNotNull.add(column);
      }
      for (const i of [...(t.indexes ?? []), ...(t.unique_constraints ?? [])]) {
        this.addIndex(`${t.schema ?? DEFAULT_NAMESPACE}.${i.name}`, key, 'keys' in i && i.keys ? undefined : i.columns);
      }
    }
    for (const v of from.views ?? []) {
      this.views.add(`${v.schema ?? DEFAULT_NAMESPACE}.${v.name}`);
      for (const i of v.indexes ?? []) this.indexes.set(`${v.schema ?? DEFAULT_NAMESPACE}.${i.name}`, `${v.schema ?? DEFAULT_NAMESPACE}.${v.name}`);
    }
    for (const f of from.functions ?? []) {
      const volatile = !NOT_VOLATILE.test(f.definition);
      const qualified = `${f.schema ?? DEFAULT_NAMESPACE}.${f.name}`;
      // Overloads: volatile if any of them is.
      this.functions.set(qualified, (this.functions.get(qualified) ?? false) || volatile);
    }
    for (const d of from.domains ?? []) {
      if (d.not_null || d.checks?.length) this.constrainedDomains.add(`${d.schema ?? DEFAULT_NAMESPACE}.${d.name}`);
    }
  }

  private table(key: string): TableFacts {
    let facts = this.tables.get(key);
    if (!facts) {
      facts = { columns: new Map(), notNull: new Set(), foreignKeys: new Map(), provenNotNull: new Set(), pendingNotNull: new Map() };
      this.tables.set(key, facts);
    }
    return facts;
  }

  /** Created by this plan (it holds no rows yet). */
  isNew(key: string): boolean {
    return this.created.has(key);
  }
  /** A table or view of the starting schema or created by the plan so far. */
  exists(key: string): boolean {
    return this.tables.has(key) || this.views.has(key);
  }
  columnType(key: string, column: string): string | undefined {
    return this.tables.get(key)?.columns.get(column);
  }
  indexTable(indexKey: string): string | undefined {
    return this.indexes.get(indexKey);
  }
  foreignKeyTarget(key: string, constraint: string): string | undefined {
    return this.tables.get(key)?.foreignKeys.get(constraint);
  }
  referencedTables(key: string): string[] {
    return [...new Set(this.tables.get(key)?.foreignKeys.values() ?? [])].filter((t) => t !== key).sort();
  }
  provenNotNull(key: string, column: string): boolean {
    return this.tables.get(key)?.provenNotNull.has(column) ?? false;
  }
  /** Declared NOT NULL already, or proven by a valid CHECK (col IS NOT NULL) from PG12 (`checkCounts`). */
  knownNotNull(key: string, column: string, checkCounts: boolean): boolean {
    return (this.tables.get(key)?.notNull.has(column) ?? false) || (checkCounts && this.provenNotNull(key, column));
  }
  columnsOfIndex(indexKey: string): string[] | undefined {
    return this.indexColumns.get(indexKey);
  }
  /** true/false when the function is known; undefined for a name the schema does not define. */
  functionVolatile(qualified: string): boolean | undefined {
    return this.functions.get(qualified);
  }
  /** Tables with a column of this domain (or an array of it). */
  domainUsers(domain: string): string[] {
    const out: string[] = [];
    for (const [key, facts] of this.tables) {
      if ([...facts.columns.values()].some((type) => type.replace(/\[\]$/, '') === domain)) out.push(key);
    }
    return out.sort();
  }
  isConstrainedDomain(qualified: string): boolean {
    return this.constrainedDomains.has(qualified);
  }

  // Updates as the plan's statements run.
  createTable(key: string, columns: [string, string][]): void {
    this.created.add(key);
    this.tables.delete(key);
    const facts = this.table(key);
    for (const [name, type] of columns) facts.columns.set(name, type);
  }
  dropTable(key: string): void {
    this.tables.delete(key);
    this.created.delete(key);
  }
  renameTable(key: string, to: string): void {
    const facts = this.tables.get(key);
    if (facts) {
      this.tables.delete(key);
      this.tables.set(to, facts);
    }
    if (this.created.delete(key)) this.created.add(to);
    for (const [index, table] of this.indexes) if (table === key) this.indexes.set(index, to);
  }
  setColumn(key: string, column: string, type: string | undefined): void {
    const facts = this.table(key);
    if (type !== undefined) {
      facts.columns.set(column, type);
      return;
    }
    // Dropped: a column added later under the same name starts with no NOT NULL and no proof.
    facts.columns.delete(column);
    facts.notNull.delete(column);
    facts.provenNotNull.delete(column);
  }
  renameColumn(key: string, from: string, to: string): void {
    const facts = this.table(key);
    const type = facts.columns.get(from);
    facts.columns.delete(from);
    if (type !== undefined) facts.columns.set(to, type);
    if (facts.notNull.delete(from)) facts.notNull.add(to);
    // A check names its column by number: what proved `from` NOT NULL proves `to` (an online type change's swap).
    if (facts.provenNotNull.delete(from)) facts.provenNotNull.add(to);
    for (const [constraint, column] of facts.pendingNotNull) if (column === from) facts.pendingNotNull.set(constraint, to);
  }
  renameIndex(from: string, to: string): void {
    const table = this.indexes.get(from);
    if (table === undefined) return;
    const columns = this.indexColumns.get(from);
    this.dropIndex(from);
    this.addIndex(to, table, columns);
  }
  addIndex(indexKey: string, table: string, columns?: string[]): void {
    this.indexes.set(indexKey, table);
    if (columns) this.indexColumns.set(indexKey, columns);
  }
  dropIndex(indexKey: string): void {
    this.indexes.delete(indexKey);
    this.indexColumns.delete(indexKey);
  }
  setNotNull(key: string, column: string, notNull: boolean): void {
    if (notNull) this.table(key).notNull.add(column);
    else this.table(key).notNull.delete(column);
  }
  addForeignKey(key: string, constraint: string, referenced: string): void {
    this.table(key).foreignKeys.set(constraint, referenced);
  }
  addNotNullCheck(key: string, constraint: string, column: string, valid: boolean): void {
    if (valid) this.table(key).provenNotNull.add(column);
    else this.table(key).pendingNotNull.set(constraint, column);
  }
  validateConstraint(key: string, constraint: string): void {
    const facts = this.table(key);
    const column = facts.pendingNotNull.get(constraint);
    if (column !== undefined) facts.provenNotNull.add(column);
  }
  dropConstraint(key: string, constraint: string): void {
    const facts = this.tables.get(key);
    facts?.foreignKeys.delete(constraint);
    facts?.pendingNotNull.delete(constraint);
  }
}
