// Comments: which IR object a CommentTarget names, and the set_comment changes
// between two versions of objects that exist on both sides.
import { primaryKeyOf } from '../schema/canonical.js';
import { routineKey } from '../schema/canonical.js';
import type { CommentTarget, CompositeType, RangeType, Domain, EnumType, Extension, Namespace, QualifiedName, Routine, Sequence, Table, View } from '../schema/types.js';
import { qualifiedKey } from '../schema/types.js';
import type { Change } from './changes.js';

interface CommentModel {
  schemas: Map<string, Namespace>;
  tables: Map<string, Table>;
  types: Map<string, EnumType>;
  sequences: Map<string, Sequence>;
  views: Map<string, View>;
  functions: Map<string, Routine>;
  extensions: Map<string, Extension>;
  domains: Map<string, Domain>;
  composites: Map<string, CompositeType>;
  ranges: Map<string, RangeType>;
}

type Holder = { comment?: string };

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`comment refers to missing ${what}`);
  return value;
}

/** The IR object that carries the target's comment; throws when it is missing. */
export function commentHolder(m: CommentModel, target: CommentTarget): Holder {
  if (target.kind === 'schema') return found(m.schemas.get(target.schema), `schema ${target.schema}`);
  if (target.kind === 'type') {
    return found<Holder>(m.types.get(qualifiedKey(target.type)) ?? m.composites.get(qualifiedKey(target.type)) ?? m.ranges.get(qualifiedKey(target.type)), `type ${qualifiedKey(target.type)}`);
  }
  if (target.kind === 'domain') return found(m.domains.get(qualifiedKey(target.domain)), `domain ${qualifiedKey(target.domain)}`);
  if (target.kind === 'sequence' && target.serial) return serialSequenceHolder(m, target.serial.table, target.serial.column);
  if (target.kind === 'sequence') return found(m.sequences.get(qualifiedKey(target.sequence)), `sequence ${qualifiedKey(target.sequence)}`);
  if (target.kind === 'view') return found(m.views.get(qualifiedKey(target.view)), `view ${qualifiedKey(target.view)}`);
  if (target.kind === 'extension') return found(m.extensions.get(target.extension), `extension ${target.extension}`);
  if (target.kind === 'function') {
    const k = routineKey({ ...target.function, signature: target.signature });
    return found(m.functions.get(k), `function ${k}`);
  }
  // A materialized view has indexes too.
  const t = found<Table>(m.tables.get(qualifiedKey(target.table)) ?? (m.views.get(qualifiedKey(target.table)) as Table | undefined), `table ${qualifiedKey(target.table)}`);
  switch (target.kind) {
    case 'table':
      return t;
    case 'column':
      return found(t.columns.find((c) => c.name === target.column), `column ${target.column}`);
    case 'index':
      return found(t.indexes?.find((i) => i.name === target.name), `index ${target.name}`);
    case 'constraint': {
      const all: (Holder & { name: string })[] = [
        ...(t.unique_constraints ?? []),
        ...(t.check_constraints ?? []),
        ...(t.foreign_keys ?? []),
        ...(t.exclusion_constraints ?? []),
      ];
      const named = all.find((c) => c.name === target.name);
      if (named) return named;
      // An unnamed primary key (JSON source) is the one comment target left.
      const pk = primaryKeyOf(t);
      if (pk && (pk.name === undefined || pk.name === target.name)) return pk;
      return found<Holder>(undefined, `constraint ${target.name}`);
    }
    case 'trigger':
      return found(t.triggers?.find((x) => x.name === target.name), `trigger ${target.name}`);
    case 'policy':
      return found(t.policies?.find((x) => x.name === target.name), `policy ${target.name}`);
  }
}

/** A serial's sequence: its comment is its column's `sequence_comment`. */
function serialSequenceHolder(m: CommentModel, table: QualifiedName, column: string): Holder {
  const t = found(m.tables.get(qualifiedKey(table)), `table ${qualifiedKey(table)}`);
  const col = found(t.columns.find((c) => c.name === column), `column ${column}`);
  return new Proxy<Holder>(
    {},
    {
      get: (_, p) => (p === 'comment' ? col.sequence_comment : undefined),
      set: (_, p, value: string) => {
        if (p === 'comment') col.sequence_comment = value;
        return true;
      },
      deleteProperty: (_, p) => {
        if (p === 'comment') delete col.sequence_comment;
        return true;
      },
    },
  );
}

/** A set_comment change when the comment differs, else nothing. */
export function commentChange(target: CommentTarget, from: string | undefined, to: string | undefined): Change[] {
  if ((from ?? '') === (to ?? '')) return [];
  const change: Change = { kind: 'set_comment', target };
  if (from) change.from = from;
  if (to) change.to = to;
  return [change];
}

/** Human name of the commented object: "column users.email". */
export function describeTarget(target: CommentTarget): string {
  const show = (q: QualifiedName): string => (q.schema === 'public' ? q.name : `${q.schema}.${q.name}`);
  switch (target.kind) {
    case 'schema':
      return `schema ${target.schema}`;
    case 'table':
      return `table ${show(target.table)}`;
    case 'column':
      return `column ${show(target.table)}.${target.column}`;
    case 'index':
      return `index ${target.name}`;
    case 'constraint':
      return `constraint ${target.name} on ${show(target.table)}`;
    case 'type':
      return `type ${show(target.type)}`;
    case 'sequence':
      return `sequence ${show(target.sequence)}`;
    case 'view':
      return `${target.materialized ? 'materialized view' : 'view'} ${show(target.view)}`;
    case 'function':
      return `${target.procedure ? 'procedure' : 'function'} ${show(target.function)}(${target.signature})`;
    case 'trigger':
      return `trigger ${target.name} on ${show(target.table)}`;
    case 'policy':
      return `policy ${target.name} on ${show(target.table)}`;
    case 'extension':
      return `extension ${target.extension}`;
    case 'domain':
      return `domain ${show(target.domain)}`;
  }
}
