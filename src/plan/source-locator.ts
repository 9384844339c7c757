// Which line of the desired schema's source a plan step is about: the
// definition of the most specific object the step creates, changes or needs
// (a column before its table). Steps about objects the source no longer has
// (drops) point at their table when it is still declared, else nowhere.
import { readFileSync } from 'node:fs';
import { jsonDefinitions, type SourceDefinition } from '../schema/definitions.js';
import { sqlDefinitions } from '../sql/definitions.js';
import { qualifiedKey, type QualifiedName } from '../schema/types.js';
import { changeDeps } from './kinds/registry.js';
import { key } from './kinds/handler.js';
import type { PlanStep } from './types.js';

export type StepLocator = (step: PlanStep) => SourceDefinition | undefined;

const ROUTINE_PREFIX = key.routine({ schema: '', name: '' }, '').split('\u0000')[0]!;

/** A routine's key without its argument types: sources name a function, the plan knows its signature. */
function withoutSignature(k: string): string {
  const parts = k.split('\u0000');
  return parts[0] === ROUTINE_PREFIX ? parts.slice(0, 2).join('\u0000') : k;
}

function keyOf(d: SourceDefinition): string {
  const member = d.member ?? '';
  switch (d.kind) {
    case 'table':
      return key.table(d.object);
    case 'column':
      return key.column(d.object, member);
    case 'constraint':
      return key.constraint(d.object, member);
    case 'index':
      return key.relation(d.object.schema, member);
    case 'type':
      return key.type(d.object);
    case 'routine':
      return withoutSignature(key.routine(d.object, ''));
    case 'policy':
      return key.policy(d.object, member);
    case 'trigger':
      return key.trigger(d.object, member);
  }
}

export function stepLocator(definitions: readonly SourceDefinition[]): StepLocator {
  const byKey = new Map<string, SourceDefinition>();
  for (const d of definitions) if (!byKey.has(keyOf(d))) byKey.set(keyOf(d), d);
  return (step) => {
    if (!step.change) return undefined;
    const deps = changeDeps(step.change);
    // Online helpers (a NOT NULL's temporary CHECK) are in no source: their table is.
    const table = (step.change as { table?: QualifiedName }).table;
    const found = [...deps.produces, ...deps.removes, ...deps.needs, ...deps.releases, ...(table ? [key.table(table)] : [])]
      .map((k) => byKey.get(withoutSignature(k)))
      .filter((d): d is SourceDefinition => d !== undefined);
    return found.find((d) => d.member !== undefined) ?? found[0];
  };
}

/** For tests and messages: `public.users` or `public.users.email`. */
export function definitionName(d: SourceDefinition): string {
  return d.member === undefined ? qualifiedKey(d.object) : `${qualifiedKey(d.object)}.${d.member}`;
}

/** A locator for the steps of a plan towards a source: a SQL file or directory, a JSON file, or (no locations) a database. */
export async function sourceLocator(kind: 'sql' | 'json' | 'database', path: string): Promise<StepLocator> {
  if (kind === 'sql') return stepLocator(await sqlDefinitions(path));
  if (kind === 'json') return stepLocator(jsonDefinitions(readFileSync(path, 'utf8'), path));
  return stepLocator([]);
}
