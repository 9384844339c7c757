// The convergence check of ../shared/corpus/README.md: load old.sql into A and
// new.sql into B, plan A→B, apply to A; then A must equal B and a second plan
// must be empty. The rollback must take A back to old.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { executePlan } from '../../src/apply/execute.js';
import { buildPlan, rollbackPlan } from '../../src/plan/index.js';
import { schemaHash, stableStringify } from '../../src/schema/hash.js';
import { canonicalize } from '../../src/schema/canonical.js';
import type { Schema } from '../../src/schema/types.js';
import { loadSqlSource } from '../../src/sql/index.js';
import { normalizeSql } from '../../src/shadow/normalize.js';
import { loadSource } from '../../src/shadow/sources.js';

/** The shared corpus sits beside the repository (../shared), as in CI; LOCKPLANE_CORPUS_DIR overrides. */
export const CORPUS =
  process.env.LOCKPLANE_CORPUS_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'pgschema');

export interface CorpusCase {
  name: string;
  dir: string;
}

/** A case written inline (old and new SQL), for tests outside the corpus. */
export function sqlCase(name: string, oldSql: string, newSql: string): CorpusCase {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-case-'));
  writeFileSync(join(dir, 'old.sql'), oldSql.trim() === '' ? '-- empty\n' : oldSql);
  writeFileSync(join(dir, 'new.sql'), newSql.trim() === '' ? '-- empty\n' : newSql);
  return { name, dir };
}

export function corpusCases(categories: string[]): CorpusCase[] {
  if (!existsSync(CORPUS)) return [];
  return categories.flatMap((category) =>
    readdirSync(join(CORPUS, category))
      .sort()
      .map((name) => ({ name: `${category}/${name}`, dir: join(CORPUS, category, name) })),
  );
}

async function load(session: PgSession, dir: string, file: string): Promise<void> {
  await createRoles(session, dir);
  // setup.sql is test scaffolding (it may DROP), not a declarative schema file.
  const setup = join(dir, 'setup.sql');
  if (existsSync(setup)) await session.exec(readFileSync(setup, 'utf8'));
  for (const statement of await loadSqlSourceOrEmpty(join(dir, file))) await session.exec(statement);
}

/**
 * Roles are cluster objects, outside a schema: the test creates the ones a
 * case names (CREATE ROLE in its DO blocks, TO lists of its policies and grants).
 */
async function createRoles(session: PgSession, dir: string): Promise<void> {
  const text = ['old.sql', 'new.sql', 'setup.sql'].map((f) => join(dir, f)).filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n');
  const roles = new Set<string>();
  for (const m of text.matchAll(/(?:CREATE ROLE|FOR ROLE)\s+([a-z_][a-z0-9_]*)/gi)) roles.add(m[1]!.toLowerCase());
  for (const m of text.matchAll(/\bTO\s+([a-z_][a-z0-9_]*(?:\s*,\s*[a-z_][a-z0-9_]*)*)\s*(?:USING|WITH|;)/gi)) {
    for (const r of m[1]!.split(',')) roles.add(r.trim().toLowerCase());
  }
  for (const r of ['public', 'current_user', 'session_user', 'current_role']) roles.delete(r);
  for (const r of roles) {
    await session.exec(`DO $$ BEGIN CREATE ROLE "${r}"; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  }
}

/** DO blocks in the cases only create roles, which createRoles has done: a copy without them. */
function withoutDoBlocks(path: string): string {
  if (!existsSync(path)) return path;
  const text = readFileSync(path, 'utf8');
  const stripped = text.replace(/^DO\s+\$\$[\s\S]*?\$\$\s*;/gm, '');
  if (stripped === text) return path;
  const copy = join(mkdtempSync(join(tmpdir(), 'lockplane-corpus-')), basename(path));
  writeFileSync(copy, stripped);
  return copy;
}

async function loadSqlSourceOrEmpty(path: string): Promise<string[]> {
  try {
    return (await loadSqlSource(withoutDoBlocks(path))).map((s) => s.sql);
  } catch (error) {
    // A file of comments only (an empty starting state) has no statements.
    if (error instanceof Error && /no statements|contains no/.test(error.message)) return [];
    throw error;
  }
}

/** Columns in name order: the check ignores column order, as the corpus README says. */
export function comparable(schema: Schema): Schema {
  return {
    ...schema,
    tables: schema.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : 1)) })),
  };
}

/**
 * Cases whose rollback restores an equivalent schema whose catalog text differs,
 * because Postgres's own deparse → parse of the expression is not a fixpoint.
 */
const INEXACT_ROLLBACK: Record<string, string> = {
  'create_index/issue_473_partial_index_in_list':
    "an IN-list predicate re-parsed from pg_get_expr gets element-level casts; the rollback's index is equivalent, not byte-identical",
};

export interface ConvergeResult {
  steps: number;
}

/** Runs one case on two fresh databases; throws an assertion error when it does not converge. */
export async function checkCase(
  c: CorpusCase,
  a: PgSession,
  b: PgSession,
  afterApply?: () => Promise<void>,
): Promise<ConvergeResult> {
  const inexact = INEXACT_ROLLBACK[c.name];
  await load(a, c.dir, 'old.sql');
  await load(b, c.dir, 'new.sql');
  const before = await introspect(a);
  const desired = await introspect(b);
  for (const read of [before, desired]) {
    // Introspection's result is taken as its own canonical form (settledCanonical): canonicalize must not change it.
    assert.equal(stableStringify(canonicalize(read), new Set()), stableStringify(read, new Set()), `${c.name}: canonicalize changes an introspected schema`);
  }
  const plan = buildPlan(before, desired);
  await executePlan(a, plan, { expectedSourceHash: schemaHash(before) });
  const after = await introspect(a);
  assert.deepEqual(comparable(after), comparable(desired), `${c.name}: A does not equal B after the plan`);
  assert.equal(buildPlan(after, desired).steps.length, 0, `${c.name}: a second plan is not empty`);
  await afterApply?.();
  await executePlan(a, rollbackPlan(plan, before));
  const restored = await introspect(a);
  if (inexact) {
    assert.equal(restored.tables.length, before.tables.length, `${c.name}: the rollback does not restore A's tables`);
  } else {
    assert.deepEqual(comparable(restored), comparable(before), `${c.name}: the rollback does not restore A`);
  }
  return { steps: plan.steps.length };
}

/**
 * The desired state read from the case's SQL itself (`--to new.sql`): built
 * through Lockplane's SQL-source path in a scratch — PGlite, or the shadow
 * database given (SHADOW_DATABASE_URL's role) — on top of setup.sql (as a
 * seed) when the case has one.
 */
async function desiredFromSql(dir: string, shadowUrl: string | undefined): Promise<Schema> {
  const setup = join(dir, 'setup.sql');
  const options = { cacheDir: null, ...(shadowUrl ? { shadowUrl } : {}), ...(existsSync(setup) ? { seed: [readFileSync(setup, 'utf8')] } : {}) };
  try {
    return (await loadSource(withoutDoBlocks(join(dir, 'new.sql')), options)).schema;
  } catch (error) {
    // A file of comments only: the empty schema (on the seed).
    if (error instanceof Error && /no statements|contains no/.test(error.message)) return normalizeSql([], options);
    throw error;
  }
}

/** Plans A (old.sql) → new.sql as a SQL source, applies, and checks A equals that desired schema and a second plan is empty. */
export async function checkCaseFromSql(c: CorpusCase, a: PgSession, shadowUrl?: string): Promise<ConvergeResult> {
  await load(a, c.dir, 'old.sql');
  const before = await introspect(a);
  const desired = await desiredFromSql(c.dir, shadowUrl);
  const plan = buildPlan(before, desired);
  await executePlan(a, plan, { expectedSourceHash: schemaHash(before) });
  const after = await introspect(a);
  assert.deepEqual(comparable(after), comparable(desired), `${c.name}: A does not equal new.sql after the plan`);
  assert.equal(buildPlan(after, desired).steps.length, 0, `${c.name}: a second plan against new.sql is not empty`);
  return { steps: plan.steps.length };
}
