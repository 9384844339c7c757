// fast-check generators of pairs of SQLite schemas (A, B) drawn from one
// shared base, plus rows for A that every variant's constraints accept, so
// that converge tests can check data survives table rebuilds.
import fc from 'fast-check';
import type { Column, ForeignKey, Schema, Table, View } from '../../../src/schema/types.js';

const TABLES = ['users', 'Order', 'my table', 'qu"ote', 'posts'];
const COLUMNS = ['Name', 'a b', 'x"y', 'val', 'n1', 'when'];
type Family = 'int' | 'text';
const TYPES: Record<Family, string[]> = { int: ['INTEGER', 'INT', 'BIGINT'], text: ['TEXT', 'VARCHAR(20)', 'CLOB'] };
const STRICT_TYPES: Record<Family, string[]> = { int: ['INTEGER', 'INT'], text: ['TEXT'] };
const DEFAULTS: Record<Family, string[]> = { int: ['0', '42', '-1', '(1 + 2)'], text: ["'x'", "'it''s'", "''"] };
const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const PARENT_ID = 'parent_id';
const ACTIONS = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'] as const;

interface Base {
  tables: { name: string; columns: { name: string; family: Family }[] }[];
}

type Rng = () => number;
const chance = (rng: Rng, p: number): boolean => rng() < p;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

function rngOf(seed: number): Rng {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const baseArb: fc.Arbitrary<Base> = fc
  .tuple(fc.subarray(TABLES, { minLength: 2 }), fc.integer())
  .map(([names, seed]) => {
    const rng = rngOf(seed);
    return { tables: names.map((name) => ({ name, columns: COLUMNS.filter(() => chance(rng, 0.6)).map((c) => ({ name: c, family: pick(rng, ['int', 'text'] as const) })) })) };
  });

function variant(base: Base, rng: Rng): Schema {
  const tables: Table[] = [];
  for (const bt of base.tables) {
    if (!chance(rng, 0.85)) continue;
    const strict = chance(rng, 0.2);
    const withoutRowid = !strict && chance(rng, 0.15);
    const columns: Column[] = [{ name: 'id', type: 'INTEGER', nullable: withoutRowid ? false : true }];
    const t: Table = { name: bt.name, columns, primary_key: { columns: ['id'] } };
    if (strict) t.strict = true;
    if (withoutRowid) t.without_rowid = true;
    else if (chance(rng, 0.2)) t.primary_key!.autoincrement = true;
    for (const bc of bt.columns) {
      if (!chance(rng, 0.75)) continue;
      const c: Column = { name: bc.name, type: pick(rng, (strict ? STRICT_TYPES : TYPES)[bc.family]), nullable: chance(rng, 0.6) };
      if (!c.nullable || chance(rng, 0.3)) c.default = pick(rng, DEFAULTS[bc.family]);
      if (bc.family === 'text' && chance(rng, 0.2)) c.collation = 'NOCASE';
      columns.push(c);
      if (c.nullable && c.default === undefined && chance(rng, 0.2)) (t.unique_constraints ??= []).push({ name: `${bt.name}_${bc.name}_key`, columns: [bc.name] });
      if (chance(rng, 0.15)) {
        const expression = bc.family === 'int' ? `${q(bc.name)} > -10` : `length(${q(bc.name)}) < 100`;
        (t.check_constraints ??= []).push({ name: `${bt.name}_${bc.name}_check`, expression });
      }
      if (chance(rng, 0.2)) (t.indexes ??= []).push({ name: `${bt.name}_${bc.name}_idx`, columns: [bc.name], unique: false, ...(chance(rng, 0.3) ? { where: `${q(bc.name)} IS NOT NULL` } : {}) });
      if (bc.family === 'int' && !strict && chance(rng, 0.1)) columns.push({ name: `${bc.name}_x2`, type: 'INT', nullable: true, generated: { expression: `${q(bc.name)} * 2`, kind: 'virtual' } });
    }
    tables.push(t);
  }
  const names = tables.map((t) => t.name);
  for (const t of tables) {
    if (chance(rng, 0.3)) (t.foreign_keys ??= []).push(withActions(rng, { name: `${t.name}_parent_fkey`, columns: ['id'], referenced_table: pick(rng, names), referenced_columns: ['id'] }));
    // A nullable reference column whose rows point at ids 1-3 (rowsFor): added, dropped or given other actions across A and B.
    if (chance(rng, 0.3)) {
      t.columns.push({ name: PARENT_ID, type: 'INTEGER', nullable: true });
      (t.foreign_keys ??= []).push(withActions(rng, { name: `${t.name}_${PARENT_ID}_fkey`, columns: [PARENT_ID], referenced_table: pick(rng, names), referenced_columns: ['id'] }));
    }
    if (chance(rng, 0.2)) {
      const other = pick(rng, names);
      t.triggers = [{ name: `${t.name}_touch`, definition: `CREATE TRIGGER ${q(`${t.name}_touch`)} AFTER UPDATE ON ${q(t.name)} BEGIN UPDATE ${q(other)} SET id = id WHERE 0; END` }];
    }
  }
  const views: View[] = tables.filter(() => chance(rng, 0.25)).map((t) => ({ name: `v_${t.name}`, definition: `SELECT id FROM ${q(t.name)}` }));
  return { dialect: 'sqlite', tables, ...(views.length ? { views } : {}) };
}

function withActions(rng: Rng, fk: ForeignKey): ForeignKey {
  if (chance(rng, 0.6)) fk.on_delete = pick(rng, ACTIONS);
  if (chance(rng, 0.4)) fk.on_update = pick(rng, ACTIONS);
  return fk;
}

/** Foreign keys point only at tables both sides keep: their rows (ids 1-3) exist before and after. */
function keptReferences(schema: Schema, other: Schema): Schema {
  const kept = new Set(other.tables.map((t) => t.name));
  return { ...schema, tables: schema.tables.map((t) => ({ ...t, foreign_keys: (t.foreign_keys ?? []).filter((f) => kept.has(f.referenced_table) && schema.tables.some((x) => x.name === f.referenced_table)) })) };
}

export const sqliteSchemaPair: fc.Arbitrary<[Schema, Schema]> = fc
  .tuple(baseArb, fc.integer(), fc.integer())
  .map(([base, a, b]) => {
    const [A, B] = [variant(base, rngOf(a)), variant(base, rngOf(b ^ 0x5bd1e995))];
    return [keptReferences(A, B), keptReferences(B, A)];
  });

/** INSERTs for three rows of every table of A, accepted by any variant's constraints (FKs point at ids 1-3). */
export function rowsFor(schema: Schema): string[] {
  // Parents and children are filled in name order: keys are checked once all rows are in.
  const out: string[] = ['PRAGMA foreign_keys = OFF'];
  for (const t of schema.tables) {
    const columns = t.columns.filter((c) => !c.generated);
    for (let i = 1; i <= 3; i++) {
      const values = columns.map((c) => (c.name === 'id' || c.name === PARENT_ID ? String(i) : /INT/i.test(c.type) ? String(i * 10) : `'v${i}'`));
      out.push(`INSERT INTO ${q(t.name)} (${columns.map((c) => q(c.name)).join(', ')}) VALUES (${values.join(', ')})`);
    }
  }
  return [...out, 'PRAGMA foreign_keys = ON'];
}
