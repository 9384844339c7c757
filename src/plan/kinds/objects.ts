// Extensions, standalone sequences, views, functions, triggers, policies and
// row-level security. What a view, function, trigger or policy uses comes
// from the catalog's dependency graph (`depends_on`): it is created after
// those objects and dropped before them.
import {
  alterExtensionStatements,
  alterPolicySql,
  alterSequenceStatements,
  createExtensionStatements,
  createPolicyStatements,
  createRoutineStatements,
  createSequenceStatements,
  createTriggerStatements,
  createViewStatements,
  dropExtensionSql,
  dropPolicySql,
  dropRoutineSql,
  dropSequenceSql,
  dropTriggerSql,
  dropViewSql,
  replaceRoutineStatements,
  rowSecurityStatements,
} from '../../dialects/postgres/render.js';
import type { ObjectRef, QualifiedName, Routine, Sequence, View } from '../../schema/types.js';
import { DEFAULT_NAMESPACE } from '../../schema/types.js';
import { display, key, noDeps, PHASE, tableSortKey, type ChangeHandler, type Deps } from './handler.js';

const nameOf = (o: { schema?: string; name: string }): QualifiedName => ({ schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name });

/** Resource keys of what an object uses. */
export function refKeys(refs: readonly ObjectRef[] | undefined): string[] {
  return (refs ?? []).flatMap((r): string[] => {
    const q = { schema: r.schema, name: r.name };
    switch (r.kind) {
      case 'relation':
        return [key.table(q)];
      case 'column':
        return [key.table(q), key.column(q, r.column ?? ''), key.columnType(q, r.column ?? '')];
      case 'function':
        return [key.routine(q, r.signature ?? '')];
      case 'type':
        return [key.type(q)];
    }
  });
}

/** Created: needs what it uses and produces `own`. Dropped: releases what it used and removes `own`. */
function objectDeps(adding: boolean, own: string[], uses: string[]): Deps {
  const d = noDeps();
  if (adding) {
    d.produces.push(...own);
    d.needs.push(...uses);
  } else {
    d.removes.push(...own);
    d.releases.push(...uses);
  }
  return d;
}

/** A replaced object keeps its identity: it needs what the new version uses and lets go of what only the old one did. */
function replaceDeps(own: string, fromUses: string[], toUses: string[]): Deps {
  const d = noDeps();
  d.needs.push(own, ...toUses);
  d.releases.push(...fromUses.filter((k) => !toUses.includes(k)));
  return d;
}

const qualifiedSort = (o: { schema?: string; name: string }, ...rest: string[]): string[] => [o.schema ?? DEFAULT_NAMESPACE, o.name, ...rest];

// ---- Extensions -------------------------------------------------------------

export const createExtension: ChangeHandler<'create_extension'> = {
  phase: PHASE.create_schema,
  sortKey: (c) => [c.extension.name],
  describe: (c) => `Create extension ${c.extension.name}`,
  summary: (c) => `CREATE EXTENSION ${c.extension.name}`,
  sql: (c) => createExtensionStatements(c.extension),
  deps: (c) => objectDeps(true, [key.extension(c.extension.name)], c.extension.schema ? [key.schema(c.extension.schema)] : []),
};

export const dropExtension: ChangeHandler<'drop_extension'> = {
  phase: PHASE.drop_schema,
  sortKey: (c) => [c.extension.name],
  describe: (c) => `Drop extension ${c.extension.name}`,
  summary: (c) => `DROP EXTENSION ${c.extension.name}`,
  sql: (c) => [dropExtensionSql(c.extension)],
  deps: (c) => objectDeps(false, [key.extension(c.extension.name)], c.extension.schema ? [key.schema(c.extension.schema)] : []),
};

export const alterExtension: ChangeHandler<'alter_extension'> = {
  phase: PHASE.create_schema,
  sortKey: (c) => [c.to.name],
  describe: (c) => `Alter extension ${c.to.name}${c.from.version !== c.to.version ? ` (version ${c.from.version ?? '?'} → ${c.to.version ?? '?'})` : ''}`,
  summary: (c) => `ALTER EXTENSION ${c.to.name}`,
  sql: (c) => alterExtensionStatements(c.from, c.to),
  deps: (c) => ({ ...noDeps(), needs: [key.extension(c.to.name), ...(c.to.schema ? [key.schema(c.to.schema)] : [])] }),
};

// ---- Sequences --------------------------------------------------------------

function sequenceUses(q: Sequence): string[] {
  const uses = [key.schema(nameOf(q).schema)];
  if (q.owned_by) {
    const t = { schema: q.owned_by.schema ?? nameOf(q).schema, name: q.owned_by.table };
    uses.push(key.table(t), key.column(t, q.owned_by.column));
  }
  return uses;
}

const sequenceOwn = (q: Sequence): string[] => [key.table(nameOf(q)), key.relation(nameOf(q).schema, q.name)];

export const createSequence: ChangeHandler<'create_sequence'> = {
  phase: PHASE.create_table,
  sortKey: (c) => qualifiedSort(c.sequence),
  describe: (c) => `Create sequence ${display(nameOf(c.sequence))}`,
  summary: (c) => `CREATE SEQUENCE ${display(nameOf(c.sequence))}`,
  sql: (c) => createSequenceStatements(c.sequence),
  deps: (c) => objectDeps(true, sequenceOwn(c.sequence), sequenceUses(c.sequence)),
};

export const dropSequence: ChangeHandler<'drop_sequence'> = {
  phase: PHASE.drop_enum,
  sortKey: (c) => qualifiedSort(c.sequence),
  describe: (c) => `Drop sequence ${display(nameOf(c.sequence))}`,
  summary: (c) => `DROP SEQUENCE ${display(nameOf(c.sequence))}`,
  sql: (c) => [dropSequenceSql(c.sequence)],
  deps: (c) => objectDeps(false, sequenceOwn(c.sequence), sequenceUses(c.sequence)),
};

export const alterSequence: ChangeHandler<'alter_sequence'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => qualifiedSort(c.to),
  describe: (c) => `Alter sequence ${display(nameOf(c.to))}`,
  summary: (c) => `ALTER SEQUENCE ${display(nameOf(c.to))}`,
  sql: (c) => alterSequenceStatements(c.from, c.to),
  deps: (c) => replaceDeps(key.table(nameOf(c.to)), sequenceUses(c.from), sequenceUses(c.to)),
};

// ---- Views ------------------------------------------------------------------

const viewWord = (v: View): string => (v.materialized ? 'materialized view' : 'view');
const viewOwn = (v: View): string[] => [key.table(nameOf(v)), key.relation(nameOf(v).schema, v.name)];
const viewUses = (v: View): string[] => [key.schema(nameOf(v).schema), ...refKeys(v.depends_on)];

export const createView: ChangeHandler<'create_view'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => qualifiedSort(c.view),
  describe: (c) => `Create ${viewWord(c.view)} ${display(nameOf(c.view))}`,
  summary: (c) => `CREATE ${viewWord(c.view).toUpperCase()} ${display(nameOf(c.view))}`,
  sql: (c) => createViewStatements(c.view),
  deps: (c) => objectDeps(true, viewOwn(c.view), viewUses(c.view)),
};

export const dropView: ChangeHandler<'drop_view'> = {
  phase: PHASE.drop_foreign_key,
  sortKey: (c) => qualifiedSort(c.view),
  describe: (c) => `Drop ${viewWord(c.view)} ${display(nameOf(c.view))}`,
  summary: (c) => `DROP ${viewWord(c.view).toUpperCase()} ${display(nameOf(c.view))}`,
  sql: (c) => [dropViewSql(c.view)],
  deps: (c) => objectDeps(false, viewOwn(c.view), viewUses(c.view)),
};

export const replaceView: ChangeHandler<'replace_view'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => qualifiedSort(c.to),
  describe: (c) => `Replace the query of view ${display(nameOf(c.to))}`,
  summary: (c) => `CREATE OR REPLACE VIEW ${display(nameOf(c.to))}`,
  sql: (c) => createViewStatements(c.to, true),
  deps: (c) => replaceDeps(key.table(nameOf(c.to)), refKeys(c.from.depends_on), refKeys(c.to.depends_on)),
};

// ---- Functions and procedures ----------------------------------------------

const routineWord = (f: Routine): string => f.kind ?? 'function';
const routineShow = (f: Routine): string => `${display(nameOf(f))}(${f.arguments ?? f.signature})`;
const routineOwn = (f: Routine): string[] => [key.routine(nameOf(f), f.signature)];
const routineUses = (f: Routine): string[] => [key.schema(nameOf(f).schema), ...refKeys(f.depends_on)];

export const createRoutine: ChangeHandler<'create_function'> = {
  phase: PHASE.create_table,
  sortKey: (c) => qualifiedSort(c.function, c.function.signature),
  describe: (c) => `Create ${routineWord(c.function)} ${routineShow(c.function)}`,
  summary: (c) => `CREATE ${routineWord(c.function).toUpperCase()} ${routineShow(c.function)}`,
  sql: (c) => createRoutineStatements(c.function),
  deps: (c) => objectDeps(true, routineOwn(c.function), routineUses(c.function)),
};

export const dropRoutine: ChangeHandler<'drop_function'> = {
  phase: PHASE.drop_enum,
  sortKey: (c) => qualifiedSort(c.function, c.function.signature),
  describe: (c) => `Drop ${routineWord(c.function)} ${routineShow(c.function)}`,
  summary: (c) => `DROP ${routineWord(c.function).toUpperCase()} ${routineShow(c.function)}`,
  sql: (c) => [dropRoutineSql(c.function)],
  deps: (c) => objectDeps(false, routineOwn(c.function), routineUses(c.function)),
};

export const replaceRoutine: ChangeHandler<'replace_function'> = {
  phase: PHASE.create_table,
  sortKey: (c) => qualifiedSort(c.to, c.to.signature),
  describe: (c) => `Replace the body or attributes of ${routineWord(c.to)} ${routineShow(c.to)}`,
  summary: (c) => `CREATE OR REPLACE ${routineWord(c.to).toUpperCase()} ${routineShow(c.to)}`,
  sql: (c) => replaceRoutineStatements(c.to),
  deps: (c) => replaceDeps(key.routine(nameOf(c.to), c.to.signature), refKeys(c.from.depends_on), refKeys(c.to.depends_on)),
};

// ---- Triggers ---------------------------------------------------------------

export const createTrigger: ChangeHandler<'create_trigger'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.trigger.name),
  describe: (c) => `Create trigger ${c.trigger.name} on ${display(c.table)}`,
  summary: (c) => `CREATE TRIGGER ${c.trigger.name}`,
  sql: (c) => createTriggerStatements(c.table, c.trigger),
  deps: (c) => objectDeps(true, [key.trigger(c.table, c.trigger.name)], [key.table(c.table), ...refKeys(c.trigger.depends_on)]),
};

export const dropTrigger: ChangeHandler<'drop_trigger'> = {
  phase: PHASE.drop_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.trigger.name),
  describe: (c) => `Drop trigger ${c.trigger.name} on ${display(c.table)}`,
  summary: (c) => `DROP TRIGGER ${c.trigger.name}`,
  sql: (c) => [dropTriggerSql(c.table, c.trigger)],
  deps: (c) => objectDeps(false, [key.trigger(c.table, c.trigger.name)], [key.table(c.table), ...refKeys(c.trigger.depends_on)]),
};

// ---- Policies and row-level security ---------------------------------------

export const createPolicy: ChangeHandler<'create_policy'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.policy.name),
  describe: (c) => `Create policy ${c.policy.name} on ${display(c.table)}`,
  summary: (c) => `CREATE POLICY ${c.policy.name}`,
  sql: (c) => createPolicyStatements(c.table, c.policy),
  deps: (c) => objectDeps(true, [key.policy(c.table, c.policy.name)], [key.table(c.table), ...refKeys(c.policy.depends_on)]),
};

export const dropPolicy: ChangeHandler<'drop_policy'> = {
  phase: PHASE.drop_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.policy.name),
  describe: (c) => `Drop policy ${c.policy.name} on ${display(c.table)}`,
  summary: (c) => `DROP POLICY ${c.policy.name}`,
  sql: (c) => [dropPolicySql(c.table, c.policy)],
  deps: (c) => objectDeps(false, [key.policy(c.table, c.policy.name)], [key.table(c.table), ...refKeys(c.policy.depends_on)]),
};

export const alterPolicy: ChangeHandler<'alter_policy'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.to.name),
  describe: (c) => `Alter policy ${c.to.name} on ${display(c.table)}`,
  summary: (c) => `ALTER POLICY ${c.to.name}`,
  sql: (c) => [alterPolicySql(c.table, c.from, c.to)],
  deps: (c) => replaceDeps(key.policy(c.table, c.to.name), refKeys(c.from.depends_on), refKeys(c.to.depends_on)),
};

export const setRowSecurity: ChangeHandler<'set_row_security'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => tableSortKey(c.table),
  describe: (c) => {
    const parts: string[] = [];
    if (c.from.enabled !== c.to.enabled) parts.push(`${c.to.enabled ? 'enable' : 'disable'} row-level security`);
    if (c.from.forced !== c.to.forced) parts.push(`${c.to.forced ? 'force' : 'stop forcing'} row-level security`);
    return `${parts.join(', ')} on ${display(c.table)}`.replace(/^./, (ch) => ch.toUpperCase());
  },
  summary: (c) => `ALTER TABLE ${display(c.table)} ROW LEVEL SECURITY`,
  sql: (c) => rowSecurityStatements(c.table, c.from, c.to),
  // After the table is created, before it is dropped.
  deps: (c) => ({ ...noDeps(), needs: [key.table(c.table)], releases: [key.table(c.table)] }),
};
