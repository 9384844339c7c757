// The lock table checked against a real server: each statement runs in a
// transaction on the local Postgres; pg_locks says which mode it holds on
// each table, a changed relfilenode says it rewrote the table, and the
// transaction's own tuple counters (pg_stat_xact_user_tables) say it read
// the rows. The analyzer must predict all three.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../../src/dialects/postgres/introspect.js';
import { analyzeSql } from '../../../src/dialects/postgres/locks-analyze.js';
import { effectRank, LOCK_MODES, modeRank, serverVersionNum, type LockMode, type RelationLock } from '../../../src/dialects/postgres/locks.js';
import { RelationState } from '../../../src/dialects/postgres/locks-state.js';
import type { PgSession } from '../../../src/dialects/postgres/session.js';
import { serverTest, withServerSession } from '../../helpers/databases.js';

const SETUP = `
  CREATE TABLE parent (id int PRIMARY KEY, code varchar(10), amount numeric(10,2), qty int, note text);
  CREATE TABLE child (id int PRIMARY KEY, parent_id int, CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id));
  CREATE TABLE orphan (id int PRIMARY KEY, parent_id int);
  ALTER TABLE orphan ADD CONSTRAINT orphan_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;
  CREATE TABLE proven (id int, v int, CONSTRAINT proven_v_nn CHECK (v IS NOT NULL));
  CREATE TABLE events (id int, k int) PARTITION BY RANGE (k);
  CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (1000);
  CREATE TABLE events_2 (id int, k int);
  CREATE DOMAIN percent AS int CHECK (VALUE BETWEEN 0 AND 100);
  CREATE TABLE solo (id int, v int);
  CREATE UNIQUE INDEX solo_id_key ON solo (id);
  CREATE UNIQUE INDEX proven_v_key ON proven (v);
  CREATE UNIQUE INDEX parent_qty_uq ON parent (qty);
  CREATE INDEX parent_code_idx ON parent (code);
  CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
  CREATE TRIGGER parent_noop BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION noop();
  INSERT INTO parent SELECT g, 'c' || g, g, g, 'n' FROM generate_series(1, 200) g;
  INSERT INTO child SELECT g, g FROM generate_series(1, 200) g;
  INSERT INTO orphan SELECT g, g FROM generate_series(1, 200) g;
  INSERT INTO proven SELECT g, g FROM generate_series(1, 200) g;
  INSERT INTO events_2 SELECT g, 1000 + g FROM generate_series(1, 200) g;
  INSERT INTO solo SELECT g, g FROM generate_series(1, 200) g;
  ANALYZE;
`;

const CASES = [
  'ALTER TABLE "public"."parent" ALTER COLUMN "qty" TYPE bigint USING "qty"::bigint',
  'ALTER TABLE "public"."parent" ALTER COLUMN "code" TYPE character varying(20) USING "code"::character varying(20)',
  'ALTER TABLE "public"."parent" ALTER COLUMN "code" TYPE text',
  'ALTER TABLE "public"."parent" ALTER COLUMN "code" TYPE character varying(5)',
  'ALTER TABLE "public"."parent" ALTER COLUMN "amount" TYPE numeric(12,2)',
  'ALTER TABLE "public"."parent" ALTER COLUMN "amount" TYPE numeric(12,3)',
  'ALTER TABLE "public"."parent" ADD COLUMN "z" integer DEFAULT 1',
  'ALTER TABLE "public"."parent" ADD COLUMN "z" timestamp with time zone DEFAULT now()',
  'ALTER TABLE "public"."parent" ADD COLUMN "z" double precision DEFAULT random()',
  'ALTER TABLE "public"."parent" ADD COLUMN "z" integer GENERATED ALWAYS AS IDENTITY',
  'ALTER TABLE "public"."parent" DROP COLUMN "note"',
  'ALTER TABLE "public"."solo" ADD COLUMN "z" integer CHECK (z > 0)',
  'ALTER TABLE "public"."solo" ADD COLUMN "z" integer REFERENCES "public"."parent" ("id")',
  'ALTER TABLE "public"."solo" ADD COLUMN "z" public.percent',
  'ALTER TABLE "public"."parent" ALTER COLUMN "qty" SET NOT NULL',
  'ALTER TABLE "public"."proven" ALTER COLUMN "v" SET NOT NULL',
  'ALTER TABLE "public"."parent" ALTER COLUMN "qty" SET DEFAULT 0',
  'ALTER TABLE "public"."parent" ADD CONSTRAINT "qty_positive" CHECK (qty > 0)',
  'ALTER TABLE "public"."parent" ADD CONSTRAINT "qty_positive" CHECK (qty > 0) NOT VALID',
  'ALTER TABLE "public"."solo" ADD CONSTRAINT "solo_parent_fk" FOREIGN KEY ("v") REFERENCES "public"."parent" ("id")',
  'ALTER TABLE "public"."solo" ADD CONSTRAINT "solo_parent_fk" FOREIGN KEY ("v") REFERENCES "public"."parent" ("id") NOT VALID',
  'ALTER TABLE "public"."orphan" VALIDATE CONSTRAINT "orphan_parent_fk"',
  'ALTER TABLE "public"."parent" ADD CONSTRAINT "parent_qty_key" UNIQUE ("qty")',
  'CREATE INDEX "parent_qty_idx" ON "public"."parent" ("qty")',
  'DROP INDEX "public"."parent_code_idx"',
  'REINDEX INDEX "public"."parent_code_idx"',
  'ALTER TABLE "public"."solo" ADD CONSTRAINT "solo_pkey" PRIMARY KEY USING INDEX "solo_id_key"',
  'ALTER TABLE "public"."proven" ADD CONSTRAINT "proven_pkey" PRIMARY KEY USING INDEX "proven_v_key"',
  'ALTER TABLE "public"."parent" ADD CONSTRAINT "parent_code_key" UNIQUE USING INDEX "parent_qty_uq"',
  'ALTER INDEX "public"."parent_code_idx" RENAME TO "parent_code_idx2"',
  'CREATE TRIGGER "t2" AFTER INSERT ON "public"."parent" FOR EACH ROW EXECUTE FUNCTION noop()',
  'ALTER TABLE "public"."parent" DISABLE TRIGGER "parent_noop"',
  'CREATE POLICY "p" ON "public"."parent" USING (true)',
  'ALTER TABLE "public"."parent" ENABLE ROW LEVEL SECURITY',
  'COMMENT ON TABLE "public"."parent" IS \'x\'',
  'COMMENT ON COLUMN "public"."parent"."code" IS \'x\'',
  'ALTER TABLE "public"."parent" SET (fillfactor = 70)',
  'ALTER TABLE "public"."solo" SET (user_catalog_table = true)',
  'ALTER TABLE "public"."parent" ALTER COLUMN "qty" SET STATISTICS 500',
  'ALTER TABLE "public"."parent" ADD COLUMN "z" serial',
  'CREATE UNIQUE INDEX "parent_id_uq" ON "public"."parent" ("id")',
  'ALTER TABLE "public"."solo" SET UNLOGGED',
  'ALTER TABLE "public"."events" ATTACH PARTITION "public"."events_2" FOR VALUES FROM (1000) TO (2000)',
  'ALTER TABLE "public"."events" DETACH PARTITION "public"."events_1"',
  'DROP TABLE "public"."child"',
  'ALTER TABLE "public"."child" DROP CONSTRAINT "child_parent_fk"',
  'ALTER TABLE "public"."parent" RENAME COLUMN "note" TO "remark"',
  'CREATE TABLE "public"."fresh" ("id" integer REFERENCES "public"."parent" ("id"))',
];

interface Observed {
  mode: LockMode;
  index: boolean;
  rewritten: boolean;
  read: boolean;
}

const PG_MODES: Record<string, LockMode> = Object.fromEntries(
  LOCK_MODES.map((m) => [`${m.split(' ').map((w) => w[0] + w.slice(1).toLowerCase()).join('')}Lock`, m]),
);

async function relations(session: PgSession): Promise<Map<string, { file: string; read: number }>> {
  const rows = await session.query<{ name: string; file: string; read: string }>(
    `SELECT c.relname AS name, c.relfilenode::text AS file,
            COALESCE(s.seq_tup_read, 0) + COALESCE(s.idx_tup_fetch, 0) AS read
       FROM pg_class c LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
      WHERE c.relnamespace = 'public'::regnamespace`,
  );
  return new Map(rows.map((r) => [`public.${r.name}`, { file: r.file, read: Number(r.read) }]));
}

/** Runs the statement in a transaction that is rolled back; what it held and did, per relation. */
async function observe(session: PgSession, sql: string): Promise<Map<string, Observed>> {
  await session.exec('BEGIN');
  try {
    const before = await relations(session);
    await session.exec(sql);
    const after = await relations(session);
    const locks = await session.query<{ name: string; mode: string; kind: string }>(
      `SELECT 'public.' || c.relname AS name, l.mode, c.relkind AS kind FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'm', 'v', 'i')`,
    );
    const out = new Map<string, Observed>();
    for (const lock of locks) {
      const mode = PG_MODES[lock.mode]!;
      const was = before.get(lock.name);
      const now = after.get(lock.name);
      const seen = out.get(lock.name);
      out.set(lock.name, {
        mode: seen && modeRank(seen.mode) > modeRank(mode) ? seen.mode : mode,
        index: lock.kind === 'i',
        rewritten: was !== undefined && now !== undefined && was.file !== now.file,
        read: was !== undefined && now !== undefined && now.read > was.read,
      });
    }
    return out;
  } finally {
    await session.exec('ROLLBACK');
  }
}

/** A statement holds the strongest of its subcommands' locks on a table until it ends. */
function strongestPerTable(locks: RelationLock[]): RelationLock[] {
  const out = new Map<string, RelationLock>();
  for (const l of locks) {
    const seen = out.get(l.table);
    out.set(l.table, !seen ? l : {
      ...seen,
      mode: modeRank(l.mode) > modeRank(seen.mode) ? l.mode : seen.mode,
      effect: effectRank(l.effect) > effectRank(seen.effect) ? l.effect : seen.effect,
    });
  }
  return [...out.values()];
}

test('pg_locks mode names map onto the documented lock modes', () => {
  assert.equal(PG_MODES.ShareUpdateExclusiveLock, 'SHARE UPDATE EXCLUSIVE');
  assert.equal(PG_MODES.AccessExclusiveLock, 'ACCESS EXCLUSIVE');
  assert.equal(Object.keys(PG_MODES).length, 8);
});

serverTest('every classification matches what the server does: lock mode, rewrite, full read', async () => {
  await withServerSession(async (session) => {
    await session.exec(SETUP);
    const from = await introspect(session, { schemas: ['public'] });
    const version = await serverVersionNum(session);
    const mismatches: string[] = [];
    let compared = 0;
    for (const sql of CASES) {
      const predicted = strongestPerTable(await analyzeSql(sql, { state: new RelationState(from), version }));
      const observed = await observe(session, sql);
      for (const lock of predicted) {
        const real = observed.get(lock.table);
        // A relation the statement dropped or created has nothing to compare after it.
        if (!real) continue;
        compared++;
        const rewrite = lock.effect === 'rewrite';
        const read = lock.effect === 'scan' || lock.effect === 'rewrite';
        if (real.mode !== lock.mode || real.rewritten !== rewrite || real.read !== read) {
          mismatches.push(`${sql}\n  ${lock.table}: predicted ${lock.mode}/${lock.effect}, server ${real.mode}/${real.rewritten ? 'rewrite' : real.read ? 'scan' : 'catalog'}`);
        }
      }
      // Every table the server locked beyond ACCESS SHARE is one the analysis names.
      for (const [table, real] of observed) {
        const named = predicted.some((l) => l.table === table);
        if (!named && !real.index && modeRank(real.mode) > modeRank('ACCESS SHARE')) mismatches.push(`${sql}\n  ${table}: locked ${real.mode} by the server, not predicted`);
      }
    }
    assert.deepEqual(mismatches, []);
    assert.ok(compared >= CASES.length, `only ${compared} predictions compared`);
  });
});
