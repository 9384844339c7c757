// Data-aware preflight: before a plan touches the target, read-only queries
// find the rows its steps would fail on (NULLs before NOT NULL, duplicates
// before a unique key, orphans before a foreign key, rows breaking a CHECK,
// values a type change cannot convert) and count the rows drops delete.
// Each query runs in a READ ONLY transaction under a statement timeout; a
// check that cannot finish is reported as not checked, never as a crash.
import type { PgSession } from '../dialects/postgres/session.js';
import { quoteQualified } from '../dialects/postgres/quote.js';
import { BlockedError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { QualifiedName } from '../schema/types.js';
import { qualifiedKey } from '../schema/types.js';
import { probesFor, rowsText, type Probe, type ProbeContext } from './preflight-checks.js';
import { PlanNames } from './preflight-names.js';
import { readOnly, rowKey, serverVersion, tableFacts, type QueryOutcome, type TableFacts } from './preflight-query.js';

export type PreflightStatus = 'pass' | 'fail' | 'info' | 'not_checked';

export interface PreflightCheck {
  /** 1-based step of the plan. */
  step: number;
  description: string;
  /** LP150–LP156 (safety/registry.ts). */
  code: string;
  status: PreflightStatus;
  /** One line, e.g. `will fail: 12 rows in public.users have email NULL (first ids: 3, 7, 19)`. */
  message: string;
  /** Rows that fail the check (fail) or that the drop deletes (info). */
  rows?: number;
  /** The first of those rows: primary-key values, else ctids. */
  sample?: string[];
  /** A failing check whose code the caller allowed: reported, not stopping. */
  allowed?: boolean;
}

export interface PreflightReport {
  checks: PreflightCheck[];
  /** Failing checks that were not allowed: the plan must not run. */
  failed: PreflightCheck[];
  duration_ms: number;
}

export interface PreflightOptions {
  /** statement_timeout of each query, Postgres interval text (default `10s`). */
  timeout?: string;
  /** The first step (0-based) to check; earlier ones are done (resume). */
  fromStep?: number;
  /** Codes whose failures do not stop the plan (named explicitly: `all` does not cover the preflight). */
  allowed?: ReadonlySet<string>;
}

export const DEFAULT_PREFLIGHT_TIMEOUT = '10s';
const SAMPLE_SIZE = 5;
const NOT_CHECKED = 'LP156';

export async function preflightPlan(session: PgSession, plan: Plan, options: PreflightOptions = {}): Promise<PreflightReport> {
  const started = Date.now();
  const timeout = options.timeout ?? DEFAULT_PREFLIGHT_TIMEOUT;
  const names = new PlanNames();
  const ctx = probeContext(session, timeout, names, await serverVersion(session));
  const checks: PreflightCheck[] = [];
  // Steps before fromStep are done: the database already names things as they left them.
  for (const [index, step] of plan.steps.entries()) {
    if (!step.change || index < (options.fromStep ?? 0)) continue;
    for (const probe of await probesFor(step.change, ctx)) {
      const result = await runProbe(session, timeout, probe, ctx);
      const code = result.status === 'not_checked' ? NOT_CHECKED : probe.code;
      const check: PreflightCheck = { step: index + 1, description: step.description, code, ...result };
      if (check.status === 'fail' && options.allowed?.has(check.code)) check.allowed = true;
      checks.push(check);
    }
    names.note(step.change);
  }
  return { checks, failed: checks.filter((c) => c.status === 'fail' && !c.allowed), duration_ms: Date.now() - started };
}

function probeContext(session: PgSession, timeout: string, names: PlanNames, version: number): ProbeContext & { factsNow(t: QualifiedName): TableFacts } {
  const cache = new Map<string, TableFacts | null>();
  return {
    names,
    version,
    async facts(table) {
      const key = qualifiedKey(table);
      if (!cache.has(key)) cache.set(key, await tableFacts(session, timeout, table));
      return cache.get(key)!;
    },
    factsNow(table) {
      const facts = cache.get(qualifiedKey(table));
      if (!facts) throw new Error(`preflight: ${qualifiedKey(table)} was not looked up`);
      return facts;
    },
    async catalogEnum(type) {
      const result = await readOnly<{ label: string }>(
        session,
        timeout,
        `SELECT e.enumlabel::text AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = $1 AND t.typname = $2 ORDER BY e.enumsortorder`,
        [type.schema, type.name],
      );
      return result.ok && result.rows.length > 0 ? result.rows.map((r) => r.label) : undefined;
    },
    async domainColumns(domain) {
      const result = await readOnly<{ schema: string; table: string; column: string }>(
        session,
        timeout,
        `SELECT n.nspname::text AS schema, c.relname::text AS table, a.attname::text AS column
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE a.atttypid = (SELECT t.oid FROM pg_type t JOIN pg_namespace tn ON tn.oid = t.typnamespace WHERE tn.nspname = $1 AND t.typname = $2)
            AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY 1, 2, 3`,
        [domain.schema, domain.name],
      );
      if (!result.ok) throw new Error(`preflight: cannot read the columns of domain ${domain.schema}.${domain.name}: ${result.error}`);
      return result.rows.map((r) => ({ table: { schema: r.schema, name: r.table }, column: r.column }));
    },
  };
}

type ProbeResult = Pick<PreflightCheck, 'status' | 'message' | 'rows' | 'sample'>;

async function runProbe(session: PgSession, timeout: string, probe: Probe, ctx: ReturnType<typeof probeContext>): Promise<ProbeResult> {
  if (probe.kind === 'unchecked') return { status: 'not_checked', message: `not checked: ${probe.reason}` };
  const key = rowKey(ctx.factsNow(probe.table));
  const from = `${probe.kind === 'rows' && probe.only ? 'ONLY ' : ''}${quoteQualified(probe.table)} AS lp_t`;
  const where = probe.kind === 'duplicates' ? duplicateFilter(probe) : (probe.predicate ?? 'true');
  const sql = probeSql(probe, key.expression, from, where);
  const outcome = await readOnly<{ n: string | number; sample: string[] | null }>(session, timeout, sql);
  if (!outcome.ok) return notDone(outcome, timeout, probe);
  const rows = Number(outcome.rows[0]?.n ?? 0);
  const sample = outcome.rows[0]?.sample ?? [];
  const table = `${probe.table.schema}.${probe.table.name}`;
  if (probe.kind === 'count') return { status: 'info', message: probe.describe(rows), rows };
  if (rows === 0) {
    return { status: 'pass', message: probe.kind === 'rows' ? probe.pass : `no duplicates of ${probe.label} in ${table}`, rows };
  }
  const first = sample.length ? ` (first ${key.label}: ${sample.join(', ')})` : '';
  const what = probe.kind === 'rows' ? `${rowsText(rows)} in ${table} ${rows === 1 ? 'has' : 'have'} ${probe.problem}` : `${rowsText(rows)} in ${table} share ${probe.label} with another row`;
  return { status: 'fail', message: `will fail: ${what}${first}`, rows, sample };
}

/** One statement: how many rows the probe finds, and the keys of the first few. */
function probeSql(probe: Exclude<Probe, { kind: 'unchecked' }>, key: string, from: string, where: string): string {
  if (probe.kind === 'duplicates') {
    return `WITH lp_k AS MATERIALIZED (SELECT ${key} AS lp_id, count(*) OVER (PARTITION BY ${probe.keys.join(', ')}) AS lp_n FROM ${from} WHERE ${where})
      SELECT (SELECT count(*) FROM lp_k WHERE lp_n > 1) AS n,
             ARRAY(SELECT lp_id::text AS lp_shown FROM lp_k WHERE lp_n > 1 ORDER BY lp_id LIMIT ${SAMPLE_SIZE}) AS sample`;
  }
  // The alias keeps ORDER BY on the key itself, not on its text.
  const sample = probe.kind === 'rows' ? `ARRAY(SELECT (${key})::text AS lp_shown FROM ${from} WHERE ${where} ORDER BY ${key} LIMIT ${SAMPLE_SIZE})` : 'NULL';
  return `SELECT count(*) AS n, ${sample} AS sample FROM ${from} WHERE ${where}`;
}

/** Rows the unique key covers: the partial index's predicate, and (unless NULLS NOT DISTINCT) no NULL in the key. */
function duplicateFilter(probe: Extract<Probe, { kind: 'duplicates' }>): string {
  const parts = [...(probe.where ? [`(${probe.where})`] : []), ...(probe.nullsNotDistinct ? [] : probe.keys.map((k) => `${k} IS NOT NULL`))];
  return parts.length ? parts.join(' AND ') : 'true';
}

const DATA_EXCEPTION = '22';
const UNDEFINED_COLUMN = '42703';
const UNDEFINED_TABLE = '42P01';

function notDone(outcome: Extract<QueryOutcome<object>, { ok: false }>, timeout: string, probe: Exclude<Probe, { kind: 'unchecked' }>): ProbeResult {
  if (outcome.timedOut) return { status: 'not_checked', message: `not checked: ${describeProbe(probe)} timed out after ${timeout}` };
  // The step evaluates the same expression over the same rows: it raises too.
  if (probe.kind === 'rows' && outcome.code?.startsWith(DATA_EXCEPTION)) {
    return { status: 'fail', message: `will fail: checking ${probe.table.schema}.${probe.table.name} raises: ${outcome.error}` };
  }
  if (outcome.code === UNDEFINED_COLUMN || outcome.code === UNDEFINED_TABLE) {
    return { status: 'not_checked', message: `not checked: ${describeProbe(probe)} uses what the plan creates first (${outcome.error})` };
  }
  return { status: 'not_checked', message: `not checked: ${describeProbe(probe)}: ${outcome.error}` };
}

function describeProbe(probe: Exclude<Probe, { kind: 'unchecked' }>): string {
  const table = `${probe.table.schema}.${probe.table.name}`;
  if (probe.kind === 'duplicates') return `the duplicate check of ${probe.label} in ${table}`;
  if (probe.kind === 'count') return `counting the rows of ${table}`;
  return `the check of ${table}`;
}

/** Apply stops with this (exit 3) when a check fails; the report says which rows. */
export class PreflightFailedError extends BlockedError {
  constructor(readonly report: PreflightReport) {
    const codes = [...new Set(report.failed.map((c) => c.code))].join(',');
    super(
      `preflight: ${report.failed.length === 1 ? 'a step would fail' : `${report.failed.length} checks would fail`} on the current data, nothing was changed: ` +
        `${report.failed.map((c) => `step ${c.step}: ${c.message}`).join('; ')}. Fix the data first (or allow with --allow-hazards ${codes}, or skip with --skip-preflight)`,
    );
    this.name = 'PreflightFailedError';
  }
}

const ICONS: Record<PreflightStatus, string> = { pass: '✓', fail: '✗', info: 'ℹ', not_checked: '?' };

/** The report for people: one line per check, then the verdict. */
export function formatPreflightReport(report: PreflightReport): string {
  const lines = ['=== Preflight (read-only checks of the current data) ==='];
  if (report.checks.length === 0) lines.push('  nothing to check: no step depends on existing rows');
  for (const c of report.checks) {
    const icon = c.allowed ? '⚠' : ICONS[c.status];
    const code = c.status === 'pass' ? '' : `${c.code} `;
    lines.push(`  ${icon} ${code}step ${c.step} (${c.description}): ${c.message}${c.allowed ? ' (allowed)' : ''}`);
  }
  const n = report.failed.length;
  lines.push(n === 0 ? '✓ Preflight passed' : `❌ Preflight FAILED: ${n === 1 ? 'a step would fail' : `${n} checks would fail`} on the current data`);
  return lines.join('\n');
}
