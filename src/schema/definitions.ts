// Where each object of a schema source is declared (file and line), so that a
// report about an object — a CI annotation for a hazard — can point at it.
// SQL sources are read by sql/definitions.ts; JSON files here.
import type { Schema, QualifiedName } from './types.js';
import { DEFAULT_NAMESPACE } from './types.js';
import { parseJsonWithPositions, pointerOf, pointerPosition } from './json-text.js';

export type DefinitionKind = 'table' | 'column' | 'constraint' | 'index' | 'type' | 'routine' | 'policy' | 'trigger';

export interface SourceDefinition {
  kind: DefinitionKind;
  /** The object itself, or for columns, constraints, indexes, policies and triggers the table they belong to. */
  object: QualifiedName;
  /** The column, constraint, index, policy or trigger name. */
  member?: string;
  file: string;
  line: number;
}

type Named = { schema?: string; name: string };

const MEMBERS: readonly [keyof Schema['tables'][number], DefinitionKind][] = [
  ['columns', 'column'],
  ['indexes', 'index'],
  ['unique_constraints', 'constraint'],
  ['check_constraints', 'constraint'],
  ['foreign_keys', 'constraint'],
  ['exclusion_constraints', 'constraint'],
  ['policies', 'policy'],
  ['triggers', 'trigger'],
];

/** The declarations of a schema JSON file (its text already read). */
export function jsonDefinitions(text: string, file: string): SourceDefinition[] {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) return [];
  const json = parsed.json;
  const schema = json.value as Partial<Schema>;
  const out: SourceDefinition[] = [];
  const push = (kind: DefinitionKind, object: QualifiedName, pointer: (string | number)[], member?: string): void => {
    const at = pointerPosition(json, pointerOf(pointer));
    if (at) out.push({ kind, object, ...(member !== undefined ? { member } : {}), file, line: at.line });
  };
  (schema.tables ?? []).forEach((table, i) => {
    const q = qualified(table);
    push('table', q, ['tables', i]);
    for (const [field, kind] of MEMBERS) {
      const members = (table as unknown as Record<string, Named[] | undefined>)[field] ?? [];
      members.forEach((m, j) => push(kind, q, ['tables', i, field, j], m.name));
    }
    if (table.primary_key?.name) push('constraint', q, ['tables', i, 'primary_key'], table.primary_key.name);
  });
  const topLevel: [readonly Named[] | undefined, string, DefinitionKind][] = [
    [schema.types, 'types', 'type'],
    [schema.domains, 'domains', 'type'],
    [schema.composite_types, 'composite_types', 'type'],
    [schema.views, 'views', 'table'],
    [schema.functions, 'functions', 'routine'],
  ];
  for (const [list, field, kind] of topLevel) (list ?? []).forEach((o, i) => push(kind, qualified(o), [field, i]));
  return out;
}

function qualified(o: Named): QualifiedName {
  return { schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name };
}
