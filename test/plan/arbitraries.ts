// fast-check generators of pairs of valid schemas (A, B) that share most of
// their tables, so that plans between them exercise every change kind.
import fc from 'fast-check';
import type { CheckConstraint, Column, EnumType, ForeignKey, Index, Namespace, Policy, PrimaryKey, RangeType, Routine, Schema, Sequence, Table, View } from '../../src/schema/types.js';

export const NAMESPACES = ['public', 'Sales', 'app space', 'ns"q', 'élan'];
const TABLE_NAMES = ['users', 'Order', 'select', 'my table', 'qu"ote', 'ünï', 'group', 'T2'];
const COLUMN_NAMES = ['id', 'Name', 'from', 'a b', 'x"y', 'ç', 'n1', 'n2', 'val', 'when'];

interface Family {
  types: string[];
  defaults: string[];
  checks: ((c: string) => string)[];
  expressions: ((c: string) => string)[];
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Comment texts: none, plain, and awkward (quotes, backslash, non-ASCII). */
const COMMENTS = ['note', "it's", 'back\\slash', 'ünï'];

/** Sometimes a comment, drawn from COMMENTS. */
function maybeComment(rng: Rng, p = 0.25): string | undefined {
  return chance(rng, p) ? pick(rng, COMMENTS) : undefined;
}

function withComment<T extends { comment?: string }>(rng: Rng, object: T, p?: number): T {
  const comment = maybeComment(rng, p);
  if (comment !== undefined) object.comment = comment;
  return object;
}

const FAMILIES: Record<string, Family> = {
  int: {
    types: ['smallint', 'integer', 'bigint', 'numeric(10,2)', 'numeric(12,4)', 'numeric'],
    defaults: ['0', '42', '(-1)'],
    checks: [(c) => `${q(c)} > 0`, (c) => `${q(c)} IS NOT NULL`],
    expressions: [(c) => `${q(c)} * 2`],
  },
  text: {
    types: ['text', 'character varying(20)', 'character varying(50)', 'character varying'],
    defaults: [`'x'`, `''`, `'it''s'`],
    checks: [(c) => `length(${q(c)}) < 100`, (c) => `${q(c)} <> ''`],
    expressions: [(c) => `lower(${q(c)})`],
  },
  time: {
    types: ['date', 'timestamp without time zone', 'timestamp with time zone', 'timestamp(3) without time zone'],
    defaults: ['now()', `'2020-01-01'`],
    checks: [(c) => `${q(c)} IS NOT NULL`],
    expressions: [],
  },
  bool: { types: ['boolean'], defaults: ['true', 'false'], checks: [(c) => `${q(c)} IS NOT NULL`], expressions: [] },
  array: {
    types: ['integer[]', 'bigint[]'],
    defaults: [`'{}'`, `'{1,2}'`],
    checks: [(c) => `cardinality(${q(c)}) < 10`],
    expressions: [],
  },
  // Enum columns: defaults name a label of the variant's type (see enumDefault).
  enum: { types: [], defaults: [], checks: [(c) => `${q(c)} IS NOT NULL`], expressions: [] },
  enumarr: { types: [], defaults: [], checks: [(c) => `cardinality(${q(c)}) < 10`], expressions: [] },
  // Columns of the range type public.span or of its multirange (see RANGE_TYPES); a column keeps its family,
  // as a move between two user types goes through text, where a check calling isempty() cannot follow.
  range: { types: [], defaults: [], checks: [(c) => `NOT isempty(${q(c)})`], expressions: [] },
  multirange: { types: [], defaults: [], checks: [(c) => `NOT isempty(${q(c)})`], expressions: [] },
};

/** The range type's and its multirange's spellings; its definition is drawn per variant (a change recreates it). */
const RANGE_TYPES = ['public.span', 'public.span_multirange'];

/** Enum types, with the spelling columns use; labels are drawn per variant (added, removed, reordered). */
const ENUMS = [
  { schema: 'public', name: 'mood', spelling: 'public.mood' },
  { schema: 'app space', name: 'Mo"od', spelling: '"app space"."Mo""od"' },
];
const LABELS = ['a', 'b', "it's", 'Ünï', 'z z'];
const ENUM_FAMILIES: Record<string, string[]> = {
  enum: ENUMS.map((e) => e.spelling),
  enumarr: ['public.mood[]'],
};
const FAMILY_NAMES = Object.keys(FAMILIES);

/** The shape shared by A and B: tables with columns of fixed families. */
interface BaseColumn {
  name: string;
  family: string;
}
interface BaseTable {
  schema: string;
  name: string;
  columns: BaseColumn[];
}

const baseColumn = fc.record({ name: fc.constantFrom(...COLUMN_NAMES), family: fc.constantFrom(...FAMILY_NAMES) });
const baseTable = fc.record({
  schema: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom(...TABLE_NAMES),
  columns: fc.uniqueArray(baseColumn, { minLength: 1, maxLength: 6, selector: (c) => c.name }),
});
const baseSchema = fc.uniqueArray(baseTable, {
  minLength: 1,
  maxLength: 4,
  selector: (t) => `${t.schema}.${t.name}`,
});

export interface VariantOptions {
  /** Postgres 18 virtual generated columns (not on older servers). */
  virtual: boolean;
  /**
   * The tables will hold a row (see rows.ts): no enum or generated columns,
   * whose values could not satisfy both schemas of a pair.
   */
  rows?: boolean;
}

/** A small seeded generator (mulberry32), so a variant is a pure function of its seed. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  nextDouble(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  nextInt(min: number, max: number): number {
    return min + Math.floor(this.nextDouble() * (max - min + 1));
  }
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.nextInt(0, list.length - 1)]!;
}

function chance(rng: Rng, p: number): boolean {
  return rng.nextDouble() < p;
}

function shortName(table: string, suffix: string): string {
  return `${table}_${suffix}`;
}

/** One concrete schema drawn from the base: a random subset, with random details. */
function variant(base: BaseTable[], rng: Rng, options: VariantOptions): Schema {
  const tables: Table[] = [];
  // Labels per type: a subset, in pool order (so one variant often extends another) or shuffled.
  const labels = new Map(
    ENUMS.map((e) => {
      const subset = LABELS.filter(() => chance(rng, 0.6));
      if (!subset.length) subset.push(pick(rng, LABELS));
      return [e.spelling, chance(rng, 0.6) ? subset : shuffled(rng, subset)] as const;
    }),
  );
  const usedTypes = new Set<string>();
  let usesRange = false;
  for (const bt of base) {
    if (chance(rng, 0.2)) continue;
    const columns: Column[] = [];
    for (const bc of bt.columns) {
      if (columns.length > 0 && chance(rng, 0.2)) continue;
      const family = FAMILIES[bc.family]!;
      const enumTypes = ENUM_FAMILIES[bc.family];
      const rangeTypes = bc.family === 'range' ? RANGE_TYPES.slice(0, 1) : bc.family === 'multirange' ? RANGE_TYPES.slice(1) : undefined;
      const type = pick(rng, enumTypes ?? rangeTypes ?? family.types);
      const col: Column = { name: bc.name, type, nullable: chance(rng, 0.6) };
      const r = rng.nextDouble();
      if (rangeTypes) {
        usesRange = true;
        if (r < 0.3) col.default = type.endsWith('multirange') ? `'{}'::${type}` : `'empty'::${type}`;
      } else if (enumTypes) {
        usedTypes.add(type.replace(/\[\]$/, ''));
        if (r < 0.5) col.default = enumDefault(rng, type, labels.get(type.replace(/\[\]$/, ''))!);
      } else if (bc.family === 'int' && ['smallint', 'integer', 'bigint'].includes(type) && r < 0.15) {
        col.nullable = false;
        col.identity = { generation: chance(rng, 0.5) ? 'ALWAYS' : 'BY DEFAULT' };
        if (chance(rng, 0.3)) col.identity.increment = '2';
        if (chance(rng, 0.3)) col.identity.start = '5';
      } else if (bc.family === 'int' && r < 0.22 && !options.rows) {
        col.generated = { expression: chance(rng, 0.5) ? '1' : '2' };
        if (options.virtual && chance(rng, 0.3)) col.generated.kind = 'virtual';
      } else if (r < 0.5) {
        col.default = pick(rng, family.defaults);
      }
      if (bc.family === 'text' && chance(rng, 0.2)) col.collation = 'C';
      columns.push(withComment(rng, col));
    }
    const table: Table = withComment<Table>(rng, { schema: bt.schema, name: bt.name, columns });
    // Postgres refuses indexes and constraints over virtual generated columns.
    const keyable = columns.filter((c) => !c.generated || c.generated.kind !== 'virtual');
    const indexable = new Set(keyable.map((c) => c.name));
    // With rows, most variants key the table by its first column (one name, one type): a pair often keeps
    // its primary key, which the online column rewrites' backfills walk (volatile defaults, type changes).
    // Families whose types are user types (ranges; enums become int with rows) have no fixed type to key by.
    const first = columns[0];
    const firstType = FAMILIES[bt.columns[0]?.family ?? '']?.types[0];
    if (options.rows && first && firstType !== undefined && keyable[0] === first && !first.identity && chance(rng, 0.9)) {
      table.primary_key = { name: shortName(bt.name, 'pk'), columns: [first.name] };
      first.type = firstType;
      first.nullable = false;
      delete first.collation;
    } else if (chance(rng, 0.6) && keyable.length) {
      const n = keyable.length > 1 && chance(rng, 0.3) ? 2 : 1;
      const cols = shuffled(rng, keyable).slice(0, n).map((c) => c.name);
      table.primary_key = withComment<PrimaryKey>(rng, { name: shortName(bt.name, chance(rng, 0.7) ? 'pk' : 'pk2'), columns: cols });
      for (const c of columns) if (cols.includes(c.name)) c.nullable = false;
    }
    if (chance(rng, 0.4) && keyable.length) {
      const cols = shuffled(rng, keyable).slice(0, chance(rng, 0.5) ? 1 : 2).map((c) => c.name);
      table.unique_constraints = [{ name: shortName(bt.name, 'u1'), columns: cols }];
      // CREATE TABLE silently skips a unique constraint that repeats the primary key: no comment for it.
      if (cols.join('\u0000') !== table.primary_key?.columns.join('\u0000')) withComment(rng, table.unique_constraints[0]!);
      if (chance(rng, 0.2)) table.unique_constraints[0]!.nulls_not_distinct = true;
      if (chance(rng, 0.2)) table.unique_constraints[0]!.deferrable = true;
    }
    if (chance(rng, 0.4) && keyable.length) {
      const c = pick(rng, bt.columns.filter((b) => indexable.has(b.name)));
      let expression = pick(rng, FAMILIES[c.family]!.checks)(c.name);
      const enumColumn = columns.find((x) => x.name === c.name && c.family === 'enum');
      // A check naming a label: rebuilt around a recreate of its type.
      if (enumColumn && chance(rng, 0.5)) expression = `${q(c.name)} <> ${enumDefault(rng, enumColumn.type, labels.get(enumColumn.type)!)}`;
      table.check_constraints = [withComment<CheckConstraint>(rng, { name: shortName(bt.name, 'c1'), expression })];
    }
    const indexes: Index[] = [];
    if (chance(rng, 0.5) && keyable.length) {
      const cols = shuffled(rng, keyable).slice(0, chance(rng, 0.6) ? 1 : 2).map((c) => c.name);
      const idx: Index = withComment<Index>(rng, { name: shortName(bt.name, 'i1'), columns: cols, unique: chance(rng, 0.3) });
      if (chance(rng, 0.3)) idx.where = `${q(cols[0]!)} IS NOT NULL`;
      const first = columns.find((x) => x.name === cols[0] && labels.has(x.type));
      if (first && chance(rng, 0.4)) idx.where = `${q(first.name)} = ${enumDefault(rng, first.type, labels.get(first.type)!)}`;
      if (chance(rng, 0.2)) idx.keys = cols.map((column, i) => ({ column, order: i === 0 ? 'DESC' : 'ASC' }));
      indexes.push(idx);
    }
    const exprCol = bt.columns.find((b) => FAMILIES[b.family]!.expressions.length && indexable.has(b.name));
    if (exprCol && chance(rng, 0.3)) {
      const expression = pick(rng, FAMILIES[exprCol.family]!.expressions)(exprCol.name);
      indexes.push({ name: shortName(bt.name, 'e1'), columns: [], unique: false, keys: [{ expression }] });
    }
    if (indexes.length) table.indexes = indexes;
    tables.push(table);
  }
  addForeignKeys(tables, rng);
  const objects = addObjects(tables, rng);
  const types: EnumType[] = ENUMS.filter((e) => usedTypes.has(e.spelling) || chance(rng, 0.3)).map((e) =>
    withComment<EnumType>(rng, { schema: e.schema, name: e.name, values: labels.get(e.spelling)! }, 0.2),
  );
  const names = new Set([...tables.map((t) => t.schema!), ...types.map((t) => t.schema!), 'public']);
  const schemas = [...names].sort().map((name) => withComment<Namespace>(rng, { name }, 0.2));
  const range_types = usesRange || chance(rng, 0.3) ? [spanRange(rng)] : [];
  return { schemas, types, tables, ...objects, range_types };
}

/** public.span over integer or bigint, with or without SUBTYPE_DIFF: two variants differ often (a recreate). */
function spanRange(rng: Rng): RangeType {
  const wide = chance(rng, 0.4);
  const range: RangeType = { schema: 'public', name: 'span', subtype: wide ? 'bigint' : 'integer' };
  if (chance(rng, 0.3)) range.subtype_diff = wide ? 'int8range_subdiff' : 'int4range_subdiff';
  return withComment(rng, range, 0.2);
}

/**
 * Sequences, functions, views over the generated tables, triggers and
 * policies: each drawn independently per variant, so a pair exercises
 * create, drop, replace, alter and the rebuild of dependents (a view over a
 * column whose type changes, a trigger on a recreated function).
 */
function addObjects(tables: Table[], rng: Rng): Pick<Schema, 'sequences' | 'functions' | 'views'> {
  const sequences: Sequence[] = [];
  for (const name of ['seq a', 'Counter']) {
    if (!chance(rng, 0.4)) continue;
    const seq: Sequence = { schema: 'public', name };
    if (chance(rng, 0.4)) seq.increment = pick(rng, ['2', '-1']);
    if (chance(rng, 0.3)) seq.data_type = 'integer';
    if (chance(rng, 0.3)) seq.cycle = true;
    if (chance(rng, 0.3)) seq.cache = '10';
    sequences.push(withComment(rng, seq, 0.2));
  }
  const functions: Routine[] = [];
  const wide = chance(rng, 0.3);
  const addOne: Routine = {
    schema: 'public',
    name: 'add one',
    signature: 'integer',
    definition: `CREATE FUNCTION public."add one"(x integer) RETURNS ${wide ? 'bigint' : 'integer'} LANGUAGE sql IMMUTABLE AS $$ SELECT x + ${pick(rng, ['1', '2'])} $$`,
  };
  const touch: Routine = {
    schema: 'public',
    name: 'touch',
    signature: '',
    definition: `CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN ${pick(rng, ['NEW', 'NULL'])}; END $$`,
  };
  if (chance(rng, 0.5)) functions.push(withComment(rng, addOne, 0.2));
  const usesTouch = chance(rng, 0.5);
  if (usesTouch) functions.push(touch);
  const aggregate = addAggregate(functions, rng);
  const views: View[] = [];
  for (const t of tables) {
    const cols = t.columns.filter((c) => !c.generated || c.generated.kind !== 'virtual');
    if (cols.length && chance(rng, 0.3)) {
      const picked = chance(rng, 0.5) ? cols.slice(0, 1) : cols.slice(0, 2);
      const extra = functions.includes(addOne) && chance(rng, 0.3) ? ', public."add one"(1) AS one' : '';
      const where = chance(rng, 0.4) ? ` WHERE ${q(pick(rng, cols).name)} IS NOT NULL` : '';
      const view: View = {
        schema: t.schema!,
        name: `v ${t.name}`,
        definition: `SELECT ${picked.map((c) => q(c.name)).join(', ')}${extra} FROM ${q(t.schema!)}.${q(t.name)}${where}`,
      };
      if (chance(rng, 0.25)) view.materialized = true;
      views.push(withComment(rng, view, 0.2));
    }
    if (usesTouch && chance(rng, 0.3)) {
      const timing = pick(rng, ['BEFORE INSERT', 'BEFORE INSERT OR UPDATE']);
      t.triggers = [{ name: 'touch it', definition: `CREATE TRIGGER "touch it" ${timing} ON ${q(t.schema!)}.${q(t.name)} FOR EACH ROW EXECUTE FUNCTION public.touch()` }];
    }
    if (chance(rng, 0.3)) {
      t.row_security = true;
      if (chance(rng, 0.3)) t.force_row_security = true;
    }
    if (cols.length && chance(rng, 0.3)) {
      const col = pick(rng, cols);
      const policy: Policy = { name: 'see own', command: pick(rng, ['ALL', 'SELECT'] as const), using: chance(rng, 0.5) ? 'true' : `${q(col.name)} IS NOT NULL` };
      if (policy.command === 'ALL' && chance(rng, 0.3)) policy.with_check = 'true';
      t.policies = [withComment(rng, policy, 0.2)];
    }
  }
  if (aggregate?.signature === 'integer' && chance(rng, 0.4)) {
    views.push({ schema: 'public', name: 'v agg', definition: 'SELECT public."sum it"(x) AS total FROM (VALUES (1), (2)) AS v(x)' });
  }
  return { sequences, functions, views };
}

/**
 * An aggregate over a built-in or a user transition function (created before
 * it, dropped after it), its argument type and INITCOND drawn: a pair replaces
 * it in place, or drops and creates it when its identity changes.
 */
function addAggregate(functions: Routine[], rng: Rng): Routine | undefined {
  if (!chance(rng, 0.4)) return undefined;
  const wide = chance(rng, 0.3);
  const type = wide ? 'bigint' : 'integer';
  let sfunc = wide ? 'int8pl' : 'int4pl';
  if (!wide && chance(rng, 0.5)) {
    sfunc = 'public.acc';
    functions.push({
      schema: 'public',
      name: 'acc',
      signature: 'integer, integer',
      definition: 'CREATE FUNCTION public.acc(s integer, x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT s + x $$',
    });
  }
  const init = chance(rng, 0.5) ? `, INITCOND = '${pick(rng, ['0', '1'])}'` : '';
  const aggregate: Routine = {
    schema: 'public',
    name: 'sum it',
    kind: 'aggregate',
    signature: type,
    definition: `CREATE AGGREGATE public."sum it"(${type}) (SFUNC = ${sfunc}, STYPE = ${type}${init})`,
  };
  functions.push(withComment(rng, aggregate, 0.2));
  return aggregate;
}

function enumDefault(rng: Rng, type: string, values: string[]): string {
  const literal = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  return type.endsWith('[]') ? `'{}'::${type}` : `${literal(pick(rng, values))}::${type}`;
}

function shuffled<T>(rng: Rng, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Foreign keys to a PK or unique constraint (possibly of the same table), over columns of identical types. */
function addForeignKeys(tables: Table[], rng: Rng): void {
  for (const t of tables) {
    if (!chance(rng, 0.5)) continue;
    const target = pick(rng, tables);
    const keys = [target.primary_key?.columns, ...(target.unique_constraints ?? []).filter((u) => !u.deferrable).map((u) => u.columns)].filter(
      (k): k is string[] => k !== undefined,
    );
    if (!keys.length) continue;
    const refCols = pick(rng, keys);
    const typeOf = (table: Table, name: string): Column | undefined => table.columns.find((c) => c.name === name);
    const used = new Set<string>();
    const cols: string[] = [];
    for (const rc of refCols) {
      const ref = typeOf(target, rc)!;
      const candidates = t.columns.filter(
        (c) => c.type === ref.type && (c.collation ?? '') === (ref.collation ?? '') && !used.has(c.name) && !c.generated,
      );
      if (!candidates.length) break;
      const c = pick(rng, candidates);
      used.add(c.name);
      cols.push(c.name);
    }
    if (cols.length !== refCols.length) continue;
    const fk: ForeignKey = {
      name: shortName(t.name, 'f1'),
      columns: cols,
      referenced_schema: target.schema!,
      referenced_table: target.name,
      referenced_columns: refCols,
    };
    if (chance(rng, 0.3)) fk.on_delete = 'CASCADE';
    if (chance(rng, 0.2)) fk.deferrable = true;
    t.foreign_keys = [withComment(rng, fk)];
  }
}

/** A pair of schemas over the same base. */
export function schemaPair(options: VariantOptions): fc.Arbitrary<[Schema, Schema]> {
  return fc
    .tuple(baseSchema, fc.integer(), fc.integer())
    .map(([shape, s1, s2]) => {
      const base = options.rows ? withoutEnumColumns(shape) : shape;
      return [variant(base, new Rng(s1), options), variant(base, new Rng(s2), options)] as [Schema, Schema];
    });
}

function withoutEnumColumns(base: BaseTable[]): BaseTable[] {
  return base.map((t) => ({ ...t, columns: t.columns.map((c) => (ENUM_FAMILIES[c.family] ? { ...c, family: 'int' } : c)) }));
}
