// Range types: created before the columns, functions and types that use them
// (and after the SUBTYPE_DIFF function and the subtype they use); dropped
// after those are gone; recreated (with their columns converted) in place.
import { createRangeStatements, dropRangeSql, parseRegclassText, recreateRangeStatements } from '../../dialects/postgres/render.js';
import { multirangeName, rangeName } from '../../schema/ranges.js';
import type { RangeType } from '../../schema/types.js';
import { display, key, noDeps, PHASE, typeKeys, type ChangeHandler, type Deps } from './handler.js';

const sortKey = (r: RangeType): string[] => [rangeName(r).schema, r.name];
const show = (r: RangeType): string => display(rangeName(r));

/** The range and its multirange. */
const own = (r: RangeType): string[] => [key.type(rangeName(r)), key.type(multirangeName(r))];

/**
 * What it uses: its namespace, a user subtype, and a user SUBTYPE_DIFF
 * function (its arguments are two subtypes). A CANONICAL function takes the
 * range itself (a shell type first), which a plan cannot order: not a dependency here.
 */
function uses(r: RangeType): string[] {
  const out = [key.schema(rangeName(r).schema), ...typeKeys(r.subtype)];
  const diff = r.subtype_diff === undefined ? undefined : parseRegclassText(r.subtype_diff);
  if (diff?.length === 2) out.push(key.routine({ schema: diff[0]!, name: diff[1]! }, `${r.subtype}, ${r.subtype}`));
  return out;
}

export const createRange: ChangeHandler<'create_range'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.type),
  describe: (c) => `Create range type ${show(c.type)}`,
  summary: (c) => `CREATE TYPE ${show(c.type)} AS RANGE`,
  sql: (c) => createRangeStatements(c.type),
  deps: (c) => ({ ...noDeps(), needs: uses(c.type), produces: own(c.type) }),
};

export const dropRange: ChangeHandler<'drop_range'> = {
  phase: PHASE.drop_enum,
  sortKey: (c) => sortKey(c.type),
  describe: (c) => `Drop range type ${show(c.type)}`,
  summary: (c) => `DROP TYPE ${show(c.type)}`,
  sql: (c) => [dropRangeSql(c.type)],
  deps: (c) => ({ ...noDeps(), releases: uses(c.type), removes: own(c.type) }),
};

export const recreateRange: ChangeHandler<'recreate_range'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.to),
  describe: (c) => {
    const columns = c.columns.length ? `, converting ${c.columns.length} column${c.columns.length === 1 ? '' : 's'}` : '';
    return `Recreate range type ${show(c.to)} (its definition changed${columns})`;
  },
  summary: (c) => `RECREATE TYPE ${show(c.to)} AS RANGE`,
  sql: (c) => recreateRangeStatements(c.from, c.to, c.columns),
  deps: (c) => {
    const d: Deps = noDeps();
    const types = [...new Set([...own(c.from), ...own(c.to)])];
    // What stops using the types changes first; what starts using them, after.
    d.removes.push(...types);
    d.produces.push(...types);
    for (const col of c.columns) {
      d.removes.push(key.columnType(col.table, col.column));
      d.produces.push(key.columnType(col.table, col.column));
    }
    const next = uses(c.to);
    d.needs.push(...next);
    d.releases.push(...uses(c.from).filter((k) => !next.includes(k)));
    return d;
  },
};
