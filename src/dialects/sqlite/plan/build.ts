// Schema × Schema → Plan for SQLite. The unit is the table: created, dropped,
// renamed, altered in place, or rebuilt (table-change.ts); indexes, views and
// triggers are dropped and created around it. Views and triggers that name a
// table being rebuilt, dropped or renamed are dropped first and created again
// last, as SQLite's rebuild procedure says. Deterministic: sorted by name.
import { stableStringify } from '../../../schema/hash.js';
import type { ForeignKey, Index, Schema, Table, Trigger, View } from '../../../schema/types.js';
import { finding } from '../../../safety/registry.js';
import type { Finding } from '../../../safety/types.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanStep } from '../../../plan/types.js';
import { sqliteSchemaHash } from '../hash.js';
import { quoteIdent } from '../quote.js';
import { createIndexSql, createTableSql, createViewSql, dropIndexSql, dropTableSql, dropTriggerSql, dropViewSql } from '../render.js';
import { mentions } from './references.js';
import { sameShape, transition } from './table-change.js';

/** A step with the findings validation reports for it. */
export interface SqliteStep extends PlanStep {
  findings: Finding[];
  reversible: boolean;
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const same = (a: unknown, b: unknown): boolean => stableStringify(a) === stableStringify(b);

export function planSqliteSteps(from: Schema, to: Schema): SqliteStep[] {
  const steps: SqliteStep[] = [];
  const aTables = new Map(from.tables.map((t) => [t.name, t]));
  const bTables = [...to.tables].sort(byName);
  const bNames = new Set(bTables.map((t) => t.name));

  // Renames first: explicit intent from the desired schema, or a name that
  // differs only in case (SQLite names are case-insensitive: the same table).
  const renamedFrom = new Map<string, string>();
  const aByLower = new Map([...aTables.keys()].map((n) => [n.toLowerCase(), n]));
  const bLower = new Set(bTables.map((t) => t.name.toLowerCase()));
  for (const t of bTables) {
    if (aTables.has(t.name)) continue;
    const caseOnly = aByLower.get(t.name.toLowerCase());
    if (caseOnly !== undefined) {
      renamedFrom.set(t.name, caseOnly);
      steps.push(step(`Rename table ${caseOnly} to ${t.name}`, renameTableSql(caseOnly, t.name), `Rename table ${t.name} back to ${caseOnly}`, renameTableSql(t.name, caseOnly), []));
      continue;
    }
    const old = t.renamed_from;
    if (old && aTables.has(old) && !bLower.has(old.toLowerCase())) {
      renamedFrom.set(t.name, old);
      steps.push(step(`Rename table ${old} to ${t.name}`, renameTableSql(old, t.name), `Rename table ${t.name} back to ${old}`, renameTableSql(t.name, old), [finding('LP209', `table ${old} renamed to ${t.name}`)]));
    }
  }
  const current = new Map<string, Table>();
  for (const [name, t] of aTables) if (![...renamedFrom.values()].includes(name)) current.set(name, t);
  for (const [to, old] of renamedFrom) current.set(to, { ...aTables.get(old)!, name: to });
  // SQLite's RENAME rewrites the references to what it renames: so does this copy of the schema.
  for (const [to, old] of renamedFrom) renameReferences(current, (fk) => (fk.referenced_table.toLowerCase() === old.toLowerCase() ? { ...fk, referenced_table: to } : fk));
  for (const t of bTables) {
    const a = current.get(t.name);
    if (!a) continue;
    let table = a;
    for (const c of t.columns) {
      if (table.columns.some((x) => x.name === c.name)) continue;
      const caseOnly = table.columns.find((x) => x.name.toLowerCase() === c.name.toLowerCase())?.name;
      const from = caseOnly ?? (c.renamed_from && table.columns.some((x) => x.name === c.renamed_from) && !t.columns.some((x) => x.name.toLowerCase() === c.renamed_from!.toLowerCase()) ? c.renamed_from : undefined);
      if (from === undefined) continue;
      const q = quoteIdent(t.name);
      const hazards = caseOnly ? [] : [finding('LP209', `column ${t.name}.${from} renamed to ${c.name}`)];
      steps.push(step(`Rename column ${t.name}.${from} to ${c.name}`, [`ALTER TABLE ${q} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(c.name)}`], `Rename column ${t.name}.${c.name} back to ${from}`, [`ALTER TABLE ${q} RENAME COLUMN ${quoteIdent(c.name)} TO ${quoteIdent(from)}`], hazards));
      current.set(t.name, renameColumn(table, from, c.name));
      const owner = t.name.toLowerCase();
      renameReferences(current, (fk) => (fk.referenced_table.toLowerCase() === owner ? { ...fk, referenced_columns: swap(fk.referenced_columns, from, c.name) } : fk));
      table = current.get(t.name)!;
    }
  }

  // What each surviving table needs.
  const transitions = new Map<string, ReturnType<typeof transition>>();
  for (const b of bTables) {
    const a = current.get(b.name);
    if (a && !sameShape(a, b)) transitions.set(b.name, transition(a, b, from));
  }
  const rebuilt = new Set([...transitions].filter(([, t]) => t.kind === 'rebuild').map(([n]) => n));
  const dropped = [...current.values()].filter((t) => !bNames.has(t.name)).sort(byName);
  const touched = new Set([...rebuilt, ...dropped.map((t) => t.name), ...renamedFrom.values(), ...renamedFrom.keys(), ...[...transitions].filter(([, t]) => t.dropped.length).map(([n]) => n)]);

  // Views: changed, dropped, or naming a touched table (or such a view) are dropped first.
  const aViews = new Map((from.views ?? []).map((v) => [v.name, v]));
  const bViews = new Map((to.views ?? []).map((v) => [v.name, v]));
  const viewsOut = new Set<string>();
  for (const v of aViews.values()) {
    const b = bViews.get(v.name);
    if (!b || !same(b, v) || [...touched].some((n) => mentions(v.definition, n))) viewsOut.add(v.name);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of aViews.values()) {
      if (!viewsOut.has(v.name) && [...viewsOut].some((n) => mentions(v.definition, n))) {
        viewsOut.add(v.name);
        grew = true;
      }
    }
  }
  // Triggers are all dropped before and created after any table or view work
  // that touches their owner or what they name: a rebuild's RENAME checks them.
  const triggerKey = (owner: string, tr: Trigger): string => `${owner}\u0000${tr.name}`;
  const collect = (tables: Iterable<Table>, views: Iterable<View>): Map<string, { owner: string; trigger: Trigger }> => {
    const out = new Map<string, { owner: string; trigger: Trigger }>();
    for (const o of [...tables, ...views]) for (const tr of o.triggers ?? []) out.set(triggerKey(o.name, tr), { owner: o.name, trigger: tr });
    return out;
  };
  const aTriggers = collect(current.values(), aViews.values());
  const bTriggers = collect(bTables, bViews.values());
  const moved = new Set([...touched, ...viewsOut]);
  const triggersOut = [...aTriggers.entries()]
    .filter(([key, a]) => {
      const b = bTriggers.get(key);
      return !b || !same(a.trigger, b.trigger) || moved.has(a.owner) || [...moved].some((n) => mentions(a.trigger.definition, n));
    })
    .map(([, a]) => a);
  const kept = new Set([...aTriggers.keys()].filter((k) => !triggersOut.includes(aTriggers.get(k)!)));
  const triggersIn = [...bTriggers.entries()].filter(([key]) => !kept.has(key)).map(([, b]) => b);

  for (const { owner, trigger } of triggersOut.sort((x, y) => byName(x.trigger, y.trigger))) {
    steps.push(step(`Drop trigger ${trigger.name} on ${owner}`, [dropTriggerSql(trigger.name)], `Create trigger ${trigger.name}`, [trigger.definition], []));
  }
  for (const name of [...viewsOut].sort().reverse()) {
    const v = aViews.get(name)!;
    steps.push(step(`Drop view ${name}`, [dropViewSql(name)], `Create view ${name}`, [createViewSql(v)], []));
  }
  // Indexes of tables that stay and are not rebuilt.
  const indexChanges: { table: string; drop?: Index; create?: Index }[] = [];
  for (const b of bTables) {
    const a = current.get(b.name);
    if (!a || rebuilt.has(b.name)) continue;
    const aIdx = new Map((a.indexes ?? []).map((i) => [i.name, i]));
    const bIdx = new Map((b.indexes ?? []).map((i) => [i.name, i]));
    for (const i of [...aIdx.values()].sort(byName)) if (!same(i, bIdx.get(i.name))) indexChanges.push({ table: b.name, drop: i });
    for (const i of [...bIdx.values()].sort(byName)) if (!same(i, aIdx.get(i.name))) indexChanges.push({ table: b.name, create: i });
  }
  for (const c of indexChanges) {
    if (c.drop) steps.push(step(`Drop index ${c.drop.name} on ${c.table}`, [dropIndexSql(c.drop.name)], `Create index ${c.drop.name}`, [createIndexSql(c.table, c.drop)], []));
  }
  for (const b of bTables) {
    if (current.has(b.name)) continue;
    steps.push(step(`Create table ${b.name}`, [createTableSql(b), ...(b.indexes ?? []).map((i) => createIndexSql(b.name, i))], `Drop table ${b.name}`, [dropTableSql(b.name)], []));
  }
  for (const b of bTables) {
    const t = transitions.get(b.name);
    const a = current.get(b.name);
    if (!t || !a) continue;
    const back = transition(b, a, to);
    const description = t.kind === 'rebuild' ? `Rebuild table ${b.name} (${changeSummary(t)})` : `Alter table ${b.name} (${changeSummary(t)})`;
    steps.push(step(description, t.sql, `${back.kind === 'rebuild' ? 'Rebuild' : 'Alter'} table ${b.name} back`, back.sql, transitionFindings(a, b, t), undefined, t.dropped.length === 0));
  }
  for (const a of dropped) {
    steps.push(step(`Drop table ${a.name}`, [dropTableSql(a.name)], `Create table ${a.name}`, [createTableSql(a), ...(a.indexes ?? []).map((i) => createIndexSql(a.name, i))], [finding('LP201', `table ${a.name} is dropped with its rows`)], { kind: 'drop_table', table: { name: a.name, columns: a.columns } }, false));
  }
  for (const c of indexChanges) {
    if (c.create) {
      const findings = c.create.unique && current.has(c.table) ? [finding('LP205', `unique index ${c.create.name} fails if ${c.table} holds duplicates`)] : [];
      steps.push(step(`Create index ${c.create.name} on ${c.table}`, [createIndexSql(c.table, c.create)], `Drop index ${c.create.name}`, [dropIndexSql(c.create.name)], findings));
    }
  }
  const viewsIn = [...bViews.values()].filter((v) => viewsOut.has(v.name) || !aViews.has(v.name));
  for (const v of orderViews(viewsIn)) steps.push(step(`Create view ${v.name}`, [createViewSql(v)], `Drop view ${v.name}`, [dropViewSql(v.name)], []));
  for (const { owner, trigger } of triggersIn.sort((x, y) => byName(x.trigger, y.trigger))) {
    steps.push(step(`Create trigger ${trigger.name} on ${owner}`, [trigger.definition], `Drop trigger ${trigger.name}`, [dropTriggerSql(trigger.name)], []));
  }
  return steps;
}

export function buildSqlitePlan(from: Schema, to: Schema): Plan {
  const steps = planSqliteSteps(from, to).map(({ findings: _f, reversible: _r, ...s }) => s);
  return { format_version: PLAN_FORMAT_VERSION, dialect: 'sqlite', source_hash: sqliteSchemaHash(from), target_hash: sqliteSchemaHash(to), steps };
}

const swap = (list: string[], from: string, to: string): string[] => list.map((x) => (x.toLowerCase() === from.toLowerCase() ? to : x));

function renameColumn(t: Table, from: string, to: string): Table {
  const out: Table = { ...t, columns: t.columns.map((x) => (x.name === from ? { ...x, name: to } : x)) };
  if (t.primary_key) out.primary_key = { ...t.primary_key, columns: swap(t.primary_key.columns, from, to) };
  if (t.unique_constraints) out.unique_constraints = t.unique_constraints.map((u) => ({ ...u, columns: swap(u.columns, from, to) }));
  if (t.foreign_keys) out.foreign_keys = t.foreign_keys.map((f) => ({ ...f, columns: swap(f.columns, from, to) }));
  if (t.indexes) out.indexes = t.indexes.map((i) => ({ ...i, columns: swap(i.columns, from, to), ...(i.keys ? { keys: i.keys.map((k) => (k.column === undefined ? k : { ...k, column: swap([k.column], from, to)[0]! })) } : {}) }));
  return out;
}

function renameReferences(tables: Map<string, Table>, rename: (fk: ForeignKey) => ForeignKey): void {
  for (const [name, t] of tables) if (t.foreign_keys) tables.set(name, { ...t, foreign_keys: t.foreign_keys.map(rename) });
}

/** SQLite refuses a rename that only changes case; going through a temporary name works. */
function renameTableSql(from: string, to: string): string[] {
  if (from.toLowerCase() !== to.toLowerCase()) return [`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`];
  const temp = `_lockplane_rename_${to}`;
  return [`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(temp)}`, `ALTER TABLE ${quoteIdent(temp)} RENAME TO ${quoteIdent(to)}`];
}

/** Views in an order where each comes after the views it names. */
function orderViews(views: View[]): View[] {
  const left = [...views].sort(byName);
  const out: View[] = [];
  while (left.length) {
    const i = left.findIndex((v) => !left.some((o) => o !== v && mentions(v.definition, o.name)));
    out.push(...left.splice(i < 0 ? 0 : i, 1));
  }
  return out;
}

function changeSummary(t: ReturnType<typeof transition>): string {
  const parts = [
    ...t.added.map((c) => `add ${c.name}`),
    ...t.dropped.map((c) => `drop ${c.name}`),
    ...t.changed.map((c) => `change ${c.to.name}`),
  ];
  return parts.length ? parts.join(', ') : 'constraints or table options';
}

function transitionFindings(a: Table, b: Table, t: ReturnType<typeof transition>): Finding[] {
  const out: Finding[] = [];
  if (t.kind === 'rebuild') out.push(finding('LP170', `table ${b.name} is rebuilt: every row is copied into a new table`));
  for (const c of t.added) {
    if (!c.nullable && c.default === undefined && !c.generated) out.push(finding('LP101', `column ${b.name}.${c.name} is NOT NULL without a DEFAULT: fails unless ${b.name} is empty`));
  }
  for (const c of t.dropped) out.push(finding('LP202', `column ${b.name}.${c.name} is dropped with its values`));
  for (const { from, to } of t.changed) {
    if (from.nullable && !to.nullable) out.push(finding('LP102', `column ${b.name}.${to.name} becomes NOT NULL: the rebuild fails if it holds NULLs`));
    if (from.type !== to.type) out.push(finding('LP171', `column ${b.name}.${to.name} changes declared type from ${from.type || '(none)'} to ${to.type || '(none)'}`));
  }
  const newNames = (list: { name: string }[] | undefined, old: { name: string }[] | undefined): string[] =>
    (list ?? []).filter((x) => !(old ?? []).some((o) => same(o, x))).map((x) => x.name);
  for (const n of newNames(b.unique_constraints, a.unique_constraints)) out.push(finding('LP205', `unique constraint ${n} fails the rebuild if ${b.name} holds duplicates`));
  for (const n of [...newNames(b.check_constraints, a.check_constraints), ...newNames(b.foreign_keys, a.foreign_keys)]) {
    out.push(finding('LP206', `constraint ${n} fails the rebuild if existing rows of ${b.name} violate it`));
  }
  return out;
}

function step(description: string, sql: string[], reverseDescription: string, reverseSql: string[], findings: Finding[], change?: PlanStep['change'], reversible = true): SqliteStep {
  const out: SqliteStep = { description, sql, reverse: { description: reverseDescription, sql: reverseSql }, findings, reversible };
  const codes = [...new Set(findings.map((f) => f.code))];
  if (codes.length) out.hazards = codes;
  if (change) out.change = change;
  return out;
}
