// Equality of IR objects as the differ sees them: by full definition, with
// the ordering-only and original-format-only fields ignored.
import { DERIVED_KEYS, stableEqual } from '../schema/hash.js';
import type { Column, PrimaryKey } from '../schema/types.js';

/** Same definition, comments and grants aside (those are set_comment and set_grants, not a recreate). */
export function sameDefinition<T>(a: T, b: T): boolean {
  return sameAside(a, b, DEFINITION_ASIDE) ?? stableEqual(withoutComment(a), withoutComment(b));
}

const DEFINITION_ASIDE: ReadonlySet<string> = new Set(['comment', 'grants']);
const COLUMN_ASIDE: ReadonlySet<string> = new Set(['is_primary_key', 'comment', 'grants']);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * stableEqual of two objects with the `aside` keys of the top level left out,
 * without copying them first (the differ compares every column and index of
 * both schemas); undefined when either is not an object.
 */
function sameAside(a: unknown, b: unknown, aside: ReadonlySet<string>): boolean | undefined {
  if (!isRecord(a) || !isRecord(b)) return undefined;
  const counted = (o: Record<string, unknown>): string[] => {
    const keys: string[] = [];
    for (const k of Object.keys(o)) if (o[k] !== undefined && !aside.has(k) && !DERIVED_KEYS.has(k)) keys.push(k);
    return keys;
  };
  const left = counted(a);
  if (left.length !== counted(b).length) return false;
  for (const k of left) if (b[k] === undefined || !Object.hasOwn(b, k) || !stableEqual(a[k], b[k])) return false;
  return true;
}

function withoutComment<T>(value: T): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const { comment: _comment, grants: _grants, ...rest } = value as { comment?: unknown; grants?: unknown };
  return rest;
}

/** A column's definition without the original format's `is_primary_key` flag and without its comment. */
export function columnDefinitionOf(column: Column): Omit<Column, 'is_primary_key' | 'comment' | 'sequence_comment' | 'grants'> {
  const { is_primary_key: _flag, comment: _comment, sequence_comment: _sc, grants: _grants, ...rest } = column;
  return rest;
}

export function sameColumn(a: Column, b: Column): boolean {
  return sameAside(a, b, COLUMN_ASIDE) ?? sameDefinition(columnDefinitionOf(a), columnDefinitionOf(b));
}

/** Generation differs (added, removed, or another expression/kind): the column must be recreated. */
export function generationChanged(a: Column, b: Column): boolean {
  if (!a.generated && !b.generated) return false;
  if (!a.generated || !b.generated) return true;
  return !sameDefinition(a.generated, b.generated) || a.type !== b.type || (a.collation ?? '') !== (b.collation ?? '');
}

/** An unnamed key (a JSON source that gave none) matches any name. */
export function samePrimaryKey(a: PrimaryKey | undefined, b: PrimaryKey | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.name !== undefined && b.name !== undefined && a.name !== b.name) return false;
  return sameDefinition(a.columns, b.columns);
}

/** Two column lists naming the same set (Postgres matches referenced keys as sets). */
export function sameColumnSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((c) => set.has(c));
}
