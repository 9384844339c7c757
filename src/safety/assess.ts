// What each kind of change risks: findings (with stable codes) and the
// reasons shown in the validation report. One assessor per change kind.
import type { Change, ChangeKind } from '../diff/changes.js';
import { applyChanges } from '../diff/apply.js';
import { renameChanges } from '../diff/renames.js';
import { canonicalOnce } from '../schema/canonical-once.js';
import type { Column, QualifiedName, Schema, Table } from '../schema/types.js';
import { DEFAULT_NAMESPACE, qualifiedKey, tableKey } from '../schema/types.js';
import { checkForeignKey, namespacesOf } from './references.js';
import { finding } from './registry.js';
import { typeChangeRewrites } from './rewrite.js';
import { classifyTypeChange } from './type-change.js';
import type { Finding } from './types.js';

export interface Assessment {
  findings: Finding[];
  reasons: string[];
}

export class AssessContext {
  private readonly before: Map<string, Table>;
  readonly after: Map<string, Table>;
  /** Namespaces the desired schema describes; references elsewhere are outside Lockplane's view. */
  readonly afterNamespaces: Set<string>;
  constructor(
    before: Schema,
    after: Schema,
    /** The plan is a rollback: re-created containers come back empty. */
    readonly rollback = false,
  ) {
    // A renamed table holds its rows under the new name.
    const start = canonicalOnce(before);
    const end = canonicalOnce(after);
    const renames = renameChanges(start, end);
    this.before = new Map((renames.length ? applyChanges(start, renames) : start).tables.map((t) => [tableKey(t), t]));
    this.after = new Map(end.tables.map((t) => [tableKey(t), t]));
    this.afterNamespaces = namespacesOf(end);
  }
  /** The table holds rows already (it exists in the starting schema). */
  existing(table: QualifiedName): boolean {
    return this.before.has(qualifiedKey(table));
  }
  /** Partitioned before or after: Postgres builds no index CONCURRENTLY on it. */
  partitioned(table: QualifiedName): boolean {
    const k = qualifiedKey(table);
    return Boolean(this.before.get(k)?.partition_by ?? this.after.get(k)?.partition_by);
  }
}

type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

function show(q: QualifiedName): string {
  return q.schema === DEFAULT_NAMESPACE ? q.name : `${q.schema}.${q.name}`;
}

function tableOf(t: Table): QualifiedName {
  return { schema: t.schema ?? DEFAULT_NAMESPACE, name: t.name };
}

const safe = (...reasons: string[]): Assessment => ({ findings: [], reasons });

function addColumnAssessment(table: QualifiedName, column: Column, ctx: AssessContext): Assessment {
  const out: Assessment = { findings: [], reasons: [] };
  if (column.identity) out.reasons.push(`Column '${column.name}' is an identity column - existing rows get generated values`);
  else if (column.generated) out.reasons.push(`Column '${column.name}' is generated - existing rows get computed values`);
  else if (column.nullable) out.reasons.push(`Column '${column.name}' is nullable - safe to add`);
  else if (column.default !== undefined) out.reasons.push(`Column '${column.name}' has a DEFAULT value - safe to add`);
  else {
    out.findings.push(finding('LP101', `Cannot add NOT NULL column '${column.name}' without a DEFAULT value`));
    out.reasons.push('NOT NULL columns require a DEFAULT value when added to tables with existing data');
  }
  if (ctx.rollback && !column.generated) {
    out.findings.push(finding('LP302', `Column ${show(table)}.${column.name} comes back empty: the rollback cannot restore its data`));
  }
  return out;
}

function alterColumnAssessment(table: QualifiedName, from: Column, to: Column, online: boolean, noOnline: string | undefined): Assessment {
  const out: Assessment = { findings: [], reasons: [] };
  const name = `${show(table)}.${to.name}`;
  // A narrowing change is LP203 already (blocking, same alternative): LP130 is for the ones that keep every value.
  if (online && typeChangeRewrites(from.type, to.type) && classifyTypeChange(from.type, to.type) !== 'narrowing') {
    const why = noOnline ? ` (no expand/contract: ${noOnline})` : '';
    out.findings.push(finding('LP130', `Changing ${name} from ${from.type} to ${to.type} rewrites the table under an ACCESS EXCLUSIVE lock: no online form${why}`));
  }
  const change = classifyTypeChange(from.type, to.type);
  if (change === 'widening') {
    out.findings.push(finding('LP204', `Changing ${name} from ${from.type} to ${to.type} widens the type`));
    out.reasons.push(`Type change from ${from.type} to ${to.type} keeps every value`);
  } else if (change === 'narrowing') {
    out.findings.push(
      finding('LP203', `Changing ${name} from ${from.type} to ${to.type} may fail on or alter existing values`),
    );
  }
  if ((from.collation ?? '') !== (to.collation ?? '')) out.reasons.push('A collation change keeps values but changes their sort order');
  if (from.nullable && !to.nullable) {
    out.findings.push(finding('LP102', `Setting ${name} NOT NULL fails if any row holds NULL`));
  } else if (!from.nullable && to.nullable) out.reasons.push(`Dropping NOT NULL on '${to.name}' is always safe`);
  if (from.default !== to.default) out.reasons.push('A DEFAULT change affects only rows written later');
  if (Boolean(from.identity) !== Boolean(to.identity) || JSON.stringify(from.identity) !== JSON.stringify(to.identity)) {
    out.reasons.push('An identity change affects only values generated later');
  }
  return out;
}

function keyAssessment(kind: string, name: string, table: QualifiedName, ctx: AssessContext): Assessment {
  if (!ctx.existing(table)) return safe(`The ${kind} is added to a new table`);
  return {
    findings: [finding('LP205', `Adding ${kind} ${name} to ${show(table)} fails if existing rows hold duplicates`)],
    reasons: [],
  };
}

const assessors: { [K in ChangeKind]: (c: ChangeOf<K>, ctx: AssessContext) => Assessment } = {
  create_schema: () => safe('Schema creation is always safe'),
  drop_schema: () => safe('The schema is empty when it is dropped'),
  set_comment: () => safe('A comment change touches no data'),
  create_enum: () => safe('Type creation is always safe'),
  drop_enum: () => safe('No column uses the type when it is dropped'),
  add_enum_values: () => safe('Adding enum labels keeps every value'),
  recreate_enum: (c) => {
    const removed = c.from.values.filter((v) => !c.to.values.includes(v));
    if (!removed.length) return safe('Reordering enum labels keeps every value (the columns are rewritten)');
    if (!c.columns.length) return safe('No column uses the type');
    const labels = removed.map((v) => `'${v}'`).join(', ');
    return {
      findings: [finding('LP207', `Removing ${labels} from enum type ${show({ schema: c.to.schema ?? DEFAULT_NAMESPACE, name: c.to.name })}: rows holding ${removed.length === 1 ? 'it' : 'them'} make the conversion fail until they are changed`)],
      reasons: [],
    };
  },
  create_table: (c, ctx) => {
    const out = safe('Table creation is always safe');
    if (ctx.rollback) {
      out.findings.push(finding('LP302', `Table ${show(tableOf(c.table))} comes back empty: the rollback cannot restore its rows`));
    }
    return out;
  },
  drop_table: (c) => ({
    findings: [finding('LP201', `Dropping table ${show(tableOf(c.table))} deletes all its rows`)],
    reasons: ['The rollback recreates the table, not its rows'],
  }),
  add_column: (c, ctx) => {
    const out = addColumnAssessment(c.table, c.column, ctx);
    if (c.no_online) {
      out.findings.push(finding('LP131', `Adding ${show(c.table)}.${c.column.name} with the volatile default ${c.column.default} rewrites the table under an ACCESS EXCLUSIVE lock: no online form (${c.no_online})`));
    }
    return out;
  },
  drop_column: (c) =>
    c.column.generated
      ? safe(`Column '${c.column.name}' is generated - its values can be recomputed`)
      : {
          findings: [finding('LP202', `Dropping column ${show(c.table)}.${c.column.name} deletes its data`)],
          reasons: ['The rollback re-adds the column, not its data'],
        },
  alter_column: (c) => alterColumnAssessment(c.table, c.from, c.to, c.online === true, c.no_online),
  add_primary_key: (c, ctx) =>
    c.using_index ? takesOverIndex() : keyAssessment('primary key', c.primary_key.name ?? `(${c.primary_key.columns.join(', ')})`, c.table, ctx),
  drop_primary_key: () => safe('Dropping a primary key deletes no data'),
  add_unique: (c, ctx) => (c.using_index ? takesOverIndex() : keyAssessment('unique constraint', c.constraint.name, c.table, ctx)),
  drop_unique: () => safe('Dropping a constraint deletes no data'),
  add_check: (c, ctx) =>
    c.online
      ? notValid()
      : ctx.existing(c.table)
      ? { findings: [finding('LP206', `Adding check ${c.constraint.name} to ${show(c.table)} fails if existing rows violate it`)], reasons: [] }
      : safe('The check is added to a new table'),
  drop_check: () => safe('Dropping a constraint deletes no data'),
  create_index: (c, ctx) => {
    if (c.index.unique && ctx.existing(c.table)) return keyAssessment('unique index', c.index.name, c.table, ctx);
    return safe(`Index creation deletes no data (it blocks writes to ${show(c.table)} while it builds)`);
  },
  drop_index: () => safe('Dropping an index deletes no data'),
  add_foreign_key: (c, ctx) => {
    const out = safe();
    const owner = ctx.after.get(qualifiedKey(c.table));
    if (owner) out.findings.push(...checkForeignKey(owner, c.foreign_key, ctx.after, ctx.afterNamespaces));
    if (c.online) out.reasons.push(...notValid().reasons);
    else if (ctx.existing(c.table)) {
      out.findings.push(finding('LP206', `Adding foreign key ${c.foreign_key.name} to ${show(c.table)} fails if existing rows violate it`));
    } else out.reasons.push('The foreign key is added to a new table');
    return out;
  },
  drop_foreign_key: () => safe('Dropping a foreign key deletes no data'),
  validate_constraint: (c) =>
    c.undo
      ? safe('A validation changes nothing to undo')
      : { findings: [finding('LP206', `Validating ${c.name} on ${show(c.table)} fails if existing rows violate it (writes go on while it scans)`)], reasons: [] },
  backfill_column: (c) =>
    c.undo ? safe('A backfill changes nothing to undo (the column is dropped later)') : safe('Batched UPDATEs by primary key, each in a short transaction of its own: writes go on'),
  create_column_sync: (c) => {
    const out = safe('A trigger copies every new write into the new column');
    if (classifyTypeChange(c.from_type, c.type) === 'narrowing') {
      out.findings.push(finding('LP203', `Converting ${show(c.table)}.${c.from} from ${c.from_type} to ${c.type} fails on values that do not convert: in the backfill, and for writes of such values from this step on`));
    }
    return out;
  },
  drop_column_sync: () => safe('Dropping the sync trigger deletes no data'),
  swap_column: (c) => {
    if (!c.undo) return safe(`The new column holds every value already: the swap only updates the catalog`);
    const out = safe(`Converts every row back to ${c.from.type} while the table is locked`);
    if (classifyTypeChange(c.to.type, c.from.type) === 'narrowing') {
      out.findings.push(finding('LP203', `Changing ${show(c.table)}.${c.to.name} back from ${c.to.type} to ${c.from.type} may fail on or alter values written since`));
    }
    return out;
  },
  create_extension: () => safe('Extension creation deletes no data'),
  drop_extension: () => safe('No modelled object uses the extension when it is dropped'),
  alter_extension: () => safe('An extension update keeps its data'),
  create_sequence: () => safe('Sequence creation is always safe'),
  drop_sequence: (c) => ({
    findings: [finding('LP208', `Dropping sequence ${show({ schema: c.sequence.schema ?? DEFAULT_NAMESPACE, name: c.sequence.name })} loses its current value`)],
    reasons: ['The rollback recreates the sequence at its start value'],
  }),
  alter_sequence: () => safe('Sequence options change only values drawn later'),
  create_view: () => safe('A view holds no data'),
  drop_view: (c) => safe(c.view.materialized ? 'A materialized view is recomputed from its query' : 'A view holds no data'),
  replace_view: () => safe('A view holds no data'),
  create_function: () => safe('Function creation deletes no data'),
  drop_function: () => safe('Dropping a function deletes no data'),
  replace_function: () => safe('Replacing a function body deletes no data'),
  create_trigger: () => safe('A trigger acts only on rows written later'),
  drop_trigger: () => safe('Dropping a trigger deletes no data'),
  create_policy: () => safe('A policy changes which rows are visible, not the rows'),
  drop_policy: () => safe('A policy changes which rows are visible, not the rows'),
  alter_policy: () => safe('A policy changes which rows are visible, not the rows'),
  set_row_security: () => safe('Row-level security changes which rows are visible, not the rows'),
  add_exclusion: (c, ctx) =>
    ctx.existing(c.table)
      ? { findings: [finding('LP206', `Adding exclusion constraint ${c.constraint.name} to ${show(c.table)} fails if existing rows conflict`)], reasons: [] }
      : safe('The constraint is added to a new table'),
  drop_exclusion: () => safe('Dropping a constraint deletes no data'),
  set_unlogged: (c) =>
    safe(c.unlogged ? 'The data is kept, but an unlogged table is emptied after a crash and not replicated' : 'SET LOGGED rewrites the table into the WAL; the data is kept'),
  set_partition: (c) =>
    c.to
      ? { findings: [finding('LP206', `Attaching ${show(c.table)} as a partition fails if any row is outside ${c.to.bound} (the table is scanned)`)], reasons: [] }
      : safe('Detaching a partition keeps its rows in a table of its own'),
  set_grants: () => safe('Privileges change who may read or write, not the data'),
  set_default_privileges: () => safe('Default privileges apply only to objects created later'),
  create_domain: () => safe('Type creation is always safe'),
  drop_domain: () => safe('No column uses the domain when it is dropped'),
  alter_domain: (c) =>
    (c.to.not_null && !c.from.not_null) || (c.to.checks ?? []).some((k) => !(c.from.checks ?? []).some((o) => o.name === k.name && o.definition === k.definition))
      ? { findings: [finding('LP206', `Constraining domain ${show({ schema: c.to.schema ?? DEFAULT_NAMESPACE, name: c.to.name })} fails if existing values violate it`)], reasons: [] }
      : safe('Relaxing a domain keeps every value'),
  create_composite_type: () => safe('Type creation is always safe'),
  drop_composite_type: () => safe('No column uses the type when it is dropped'),
  create_range: () => safe('Type creation is always safe'),
  drop_range: () => safe('No column uses the type when it is dropped'),
  recreate_range: (c) => {
    if (!c.columns.length) return safe('No column uses the type');
    if (classifyTypeChange(c.from.subtype, c.to.subtype) !== 'narrowing') return safe('The subtype is kept or widened: every value converts (the columns are rewritten)');
    return {
      findings: [finding('LP203', `Range type ${show({ schema: c.to.schema ?? DEFAULT_NAMESPACE, name: c.to.name })} changes its subtype from ${c.from.subtype} to ${c.to.subtype}: rows whose bounds do not convert make the conversion fail until they are changed`)],
      reasons: [],
    };
  },
  rename_table: (c) => renamed(`table ${show({ schema: c.schema, name: c.from })}`, c.to),
  rename_column: (c) => renamed(`column ${show(c.table)}.${c.from}`, c.to),
  rename_index: (c) => (c.online ? safe(`The new index takes the name ${c.to} of the one it replaces`) : renamed(`index ${c.from}`, c.to)),
  rename_constraint: (c) => renamed(`constraint ${c.from}`, c.to),
  rename_sequence: (c) => renamed(`sequence ${show(c.sequence)}`, c.to),
};

const notValid = (): Assessment => safe('Added NOT VALID: only new rows are checked now; a separate VALIDATE step checks the existing ones');
const takesOverIndex = (): Assessment => safe('The unique index was built CONCURRENTLY in the step before: the constraint takes it over');

/** A rename keeps the data; clients still using the old name break. */
function renamed(what: string, to: string): Assessment {
  return {
    findings: [finding('LP209', `Renaming ${what} to ${to} breaks clients that still use the old name`)],
    reasons: ['A rename keeps every row and value'],
  };
}

export function assessChange(change: Change, ctx: AssessContext): Assessment {
  return (assessors[change.kind] as (c: Change, ctx: AssessContext) => Assessment)(change, ctx);
}

/** Codes to record on a plan step: everything above info level, once each. */
export function hazardCodes(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.code))];
}
