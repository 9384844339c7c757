// Range types: created, dropped, or — when any option changed — recreated.
// Postgres cannot alter a range's definition; the recreate converts the
// columns of the range and of its multirange (on both sides, same spelling)
// through text, moves their defaults to the target's, and rebuilds checks and
// indexes whose expressions cast to either type, as an enum recreate does.
import { multirangeName, rangeName } from '../schema/ranges.js';
import type { RangeType, Schema } from '../schema/types.js';
import { tableKey } from '../schema/types.js';
import type { Change } from './changes.js';
import { commentChange } from './comment-target.js';
import { sameDefinition } from './compare.js';
import { convertedColumns, rebuildExpressionsUsing, startAltersFrom } from './enums.js';
import { typeGrantChanges } from './grants.js';

const target = (r: RangeType) => ({ kind: 'type' as const, type: rangeName(r) });

export function diffRanges(a: Schema, b: Schema, tableChanges: Change[]): Change[] {
  const before = new Map((a.range_types ?? []).map((r) => [tableKey(r), r]));
  const after = new Map((b.range_types ?? []).map((r) => [tableKey(r), r]));
  const out: Change[] = [];
  for (const [key, r] of before) if (!after.has(key)) out.push(...typeGrantChanges(target(r), r, undefined), { kind: 'drop_range', type: r });
  for (const [key, r] of after) {
    const old = before.get(key);
    if (!old) {
      out.push({ kind: 'create_range', type: r }, ...typeGrantChanges(target(r), undefined, r));
      continue;
    }
    if (sameDefinition(old, r)) {
      out.push(...commentChange({ kind: 'type', type: rangeName(r) }, old.comment, r.comment), ...typeGrantChanges(target(r), old, r));
      continue;
    }
    const types = [rangeName(old), multirangeName(old)];
    const columns = convertedColumns(a, b, types, tableChanges, false);
    // The recreate brings the new type's comment and privileges itself.
    out.push({ kind: 'recreate_range', from: old, to: r, columns });
    startAltersFrom(columns, tableChanges);
    rebuildExpressionsUsing(a, b, types, tableChanges);
  }
  return out;
}
