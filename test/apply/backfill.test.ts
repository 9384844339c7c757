// Backfill steps: batched by primary key, one transaction per batch, progress
// in the ledger; a backfill killed midway resumes after its last batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyToTarget } from '../../src/apply/target.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Plan, PlanStep } from '../../src/plan/types.js';
import { serverTest, withPglite, withServerDatabase, withServerSession } from '../helpers/databases.js';
import { BIN, runCli, tempProject } from '../e2e/cli.js';

const backfillStep = (table: string, key: string[], set: string, where: string): PlanStep => ({
  description: `Backfill ${table}`,
  sql: `UPDATE "public"."${table}" SET ${set} WHERE ${where}`,
  transactional: false,
  backfill: { table: { schema: 'public', name: table }, key, set, where },
});

const PLAN: Plan = {
  steps: [
    { description: 'Add column w', sql: 'ALTER TABLE "public"."t" ADD COLUMN "w" bigint' },
    backfillStep('t', ['id'], '"w" = "id" * 2', '"w" IS NULL'),
  ],
};

async function backfillsInBatches(session: PgSession): Promise<void> {
  await session.exec('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT i, i FROM generate_series(1, 5000) i');
  const progress: number[] = [];
  const result = await applyToTarget(session, PLAN, {
    expectedSourceHash: schemaHash(await introspect(session)),
    batchSize: 700,
    onBackfillProgress: (_index, p) => progress.push(p.rowsDone),
  });
  assert.equal(result.stepsApplied, 2);
  const [wrong] = await session.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE w IS DISTINCT FROM id * 2');
  assert.equal(wrong?.n, 0, 'every row backfilled');
  assert.deepEqual(progress, [700, 1400, 2100, 2800, 3500, 4200, 4900, 5000], 'one transaction per batch of 700');
  const [row] = await session.query<{ progress: { last_key: number[]; rows: number } }>(`SELECT progress FROM lockplane.apply_steps WHERE step = 2`);
  assert.deepEqual(row?.progress, { last_key: [5000], rows: 5000 });
}

test('a backfill runs in batches by primary key (PGlite)', { timeout: 60_000 }, () => withPglite(backfillsInBatches));
serverTest('a backfill runs in batches by primary key (server)', () => withServerSession(backfillsInBatches));

test('a backfill walks a composite key, and its SET list may name the key columns', { timeout: 60_000 }, () =>
  withPglite(async (session) => {
    await session.exec('CREATE TABLE p (a int, b int, v text, PRIMARY KEY (a, b)); INSERT INTO p SELECT i % 7, i, NULL FROM generate_series(1, 1000) i');
    const plan: Plan = { steps: [backfillStep('p', ['a', 'b'], `"v" = "a" || ':' || "b"`, '"v" IS NULL')] };
    await applyToTarget(session, plan, { expectedSourceHash: schemaHash(await introspect(session)), batchSize: 64 });
    const [wrong] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM p WHERE v IS DISTINCT FROM a || ':' || b`);
    assert.equal(wrong?.n, 0);
  }),
);

serverTest('a backfill killed midway resumes after its last committed batch and updates every row exactly once', () =>
  withServerDatabase(async (url) => {
    const admin = await connect(url);
    const { dir, cleanup } = tempProject();
    try {
      await admin.exec(`
        CREATE TABLE t (id int PRIMARY KEY, v int);
        INSERT INTO t SELECT i, i FROM generate_series(1, 3000) i;
        CREATE TABLE hits (id int NOT NULL);
        CREATE FUNCTION count_hit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO hits VALUES (NEW.id); RETURN NEW; END $$;
        CREATE TRIGGER count_hit BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION count_hit();`);
      writeFileSync(join(dir, 'plan.json'), JSON.stringify(PLAN));
      const args = ['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--batch-size', '100'];
      const child = spawn(process.execPath, [BIN, ...args, '--batch-pause', '150ms'], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
      const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
      const done = async (): Promise<number> =>
        Number((await admin.query<{ rows: string | null }>(`SELECT max((progress ->> 'rows')::int)::text AS rows FROM lockplane.apply_steps`).catch(() => []))[0]?.rows ?? 0);
      const deadline = Date.now() + 30_000;
      while ((await done()) < 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
      await exited;
      const reached = await done();
      assert.ok(reached >= 500 && reached < 3000, `killed midway (${reached} rows done)`);

      const again = await runCli([...args, '--lock-wait', '10'], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /Resuming at step 2/);
      const [wrong] = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE w IS DISTINCT FROM id * 2');
      assert.equal(wrong?.n, 0, 'every row correct');
      const [twice] = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT id FROM hits GROUP BY id HAVING count(*) > 1) d');
      assert.equal(twice?.n, 0, 'no row was updated twice: the resume started after the last committed batch');
      const [all] = await admin.query<{ n: number }>('SELECT count(DISTINCT id)::int AS n FROM hits');
      assert.equal(all?.n, 3000);
    } finally {
      await admin.close();
      cleanup();
    }
  }),
);
