// statement_timeout per kind of step: a catalog-only DDL step should finish
// in milliseconds and is worth cutting off early, while an index build or a
// constraint validation on a big table may rightly run for an hour. The kind
// is read from each statement's parse tree, so hand-written plans get it too.
import { InputError } from '../errors.js';
import { isDuration } from '../config/duration.js';
import { stepStatements, type PlanStep } from '../plan/types.js';

export const STEP_KINDS = ['ddl', 'index', 'validate', 'data'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface StatementTimeouts {
  /** For every step whose kind has no timeout of its own; `0` means none. */
  default: string;
  byKind: Partial<Record<StepKind, string>>;
}

/**
 * `30s` (every step), `30s,index=0,validate=10min` (a default and
 * overrides), or only overrides (`index=1h`: the others get `fallback`).
 */
export function parseStatementTimeouts(text: string, flag = '--statement-timeout', fallback = '0'): StatementTimeouts {
  const out: StatementTimeouts = { default: fallback, byKind: {} };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.includes('=') ? part.split('=', 2).map((s) => s.trim()) : [undefined, part];
    if (!value || !isDuration(value)) throw new InputError(`${flag}: expected a duration like 500ms, 5s or 2min, got ${JSON.stringify(value ?? part)}`);
    if (name === undefined) out.default = value;
    else if ((STEP_KINDS as readonly string[]).includes(name)) out.byKind[name as StepKind] = value;
    else throw new InputError(`${flag}: unknown step kind "${name}" (expected ${STEP_KINDS.join(', ')})`);
  }
  return out;
}

export function timeoutFor(kind: StepKind, timeouts: StatementTimeouts): string {
  return timeouts.byKind[kind] ?? timeouts.default;
}

type ParsedStatement = Record<string, { cmds?: { AlterTableCmd?: { subtype?: string } }[] } | undefined>;

function statementKind(stmt: ParsedStatement): StepKind {
  if (stmt.IndexStmt || stmt.ReindexStmt) return 'index';
  if (stmt.InsertStmt || stmt.UpdateStmt || stmt.DeleteStmt || stmt.MergeStmt || stmt.CopyStmt || stmt.RefreshMatViewStmt) return 'data';
  const commands = stmt.AlterTableStmt?.cmds ?? [];
  if (commands.some((c) => c.AlterTableCmd?.subtype === 'AT_ValidateConstraint')) return 'validate';
  return 'ddl';
}

/** The most demanding kind among a step's statements; `ddl` when none is more (or the SQL does not parse). */
async function stepKind(step: PlanStep): Promise<StepKind> {
  let kind: StepKind = 'ddl';
  for (const sql of stepStatements(step)) {
    let stmts: { stmt?: ParsedStatement }[];
    try {
      stmts = ((await (await import('libpg-query')).parse(sql)) as { stmts?: { stmt?: ParsedStatement }[] }).stmts ?? [];
    } catch {
      continue;
    }
    for (const { stmt } of stmts) {
      const found = stmt ? statementKind(stmt) : 'ddl';
      if (STEP_KINDS.indexOf(found) > STEP_KINDS.indexOf(kind)) kind = found;
    }
  }
  return kind;
}

export async function stepKinds(steps: readonly PlanStep[]): Promise<StepKind[]> {
  const kinds: StepKind[] = [];
  for (const step of steps) kinds.push(await stepKind(step));
  return kinds;
}
