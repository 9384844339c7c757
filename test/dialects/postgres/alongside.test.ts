// introspect with a second connection (`alongside`) reads half of the catalog
// on it at the same time: the schema must be exactly the one a single
// connection reads, and both connections must be left as they were.
import assert from 'node:assert/strict';
import { introspect } from '../../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../../src/dialects/postgres/session.js';
import { stableStringify } from '../../../src/schema/hash.js';
import { serverTest, withServerSession } from '../../helpers/databases.js';
import { COMMENTS_SQL, ENUMS_SQL, PRELUDE_SQL, RICH_SCHEMA_SQL } from './introspect-fixture.js';

/** The settings introspection changes while it reads and resets afterwards. */
const SETTINGS_SQL = `SELECT current_setting('search_path') AS path, current_setting('jit') AS jit,
  current_setting('max_parallel_workers_per_gather') AS workers, current_setting('work_mem') AS work_mem`;

serverTest('two connections read the same schema as one, unmodelled objects included', async () => {
  await withServerSession(async (session, url) => {
    await session.exec(PRELUDE_SQL);
    await session.exec(RICH_SCHEMA_SQL + COMMENTS_SQL + ENUMS_SQL);
    await session.exec('CREATE TABLE public.serials (id serial PRIMARY KEY); COMMENT ON SEQUENCE public.serials_id_seq IS $$ids$$; CREATE MATERIALIZED VIEW public.mv AS SELECT 1 AS one; CREATE INDEX mv_one ON public.mv (one);');
    await session.exec('CREATE PUBLICATION alongside_pub');
    const [defaults] = await session.query<{ workers: string; work_mem: string }>(SETTINGS_SQL);
    const unmodelled: string[][] = [[], []];
    const one = await introspect(session, { onUnmodelled: (objects) => unmodelled[0]!.push(...objects.map((o) => o.name)) });
    const alongside = await connect(url);
    try {
      const two = await introspect(session, { alongside, onUnmodelled: (objects) => unmodelled[1]!.push(...objects.map((o) => o.name)) });
      assert.equal(stableStringify(two, new Set()), stableStringify(one, new Set()));
      assert.ok((one.views ?? []).some((v) => v.materialized && v.indexes?.length), 'the fixture reads a materialized view with an index');
      assert.ok(one.tables.some((t) => t.columns.some((c) => c.sequence_comment === 'ids')), 'and a serial sequence comment');
      assert.deepEqual(unmodelled[1], unmodelled[0]);
      assert.ok(unmodelled[0]!.length > 0, 'the publication is reported as unmodelled');
      for (const s of [session, alongside]) {
        const [row] = await s.query<{ path: string; jit: string; workers: string; work_mem: string }>(SETTINGS_SQL);
        assert.deepEqual(row, { path: '"$user", public', jit: 'on', workers: defaults?.workers, work_mem: defaults?.work_mem });
      }
    } finally {
      await alongside.close();
    }
  });
});

serverTest('a query failing mid-read fails introspect, leaves no rejection unhandled and resets both sessions', async () => {
  await withServerSession(async (session, url) => {
    await session.exec(PRELUDE_SQL);
    await session.exec(RICH_SCHEMA_SQL);
    const alongside = await connect(url);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // Two reads fail after the server answered them (grants first, then a later one).
    const failing = (s: PgSession): PgSession => ({
      ...s,
      query: async <R extends object>(sql: string, params?: unknown[]) => {
        const rows = await s.query<R>(sql, params);
        if (/WITH acl AS|pg_catalog\.pg_policy/.test(sql)) throw new Error(`injected failure after ${rows.length} rows`);
        return rows;
      },
      exec: (sql: string) => s.exec(sql),
      close: () => s.close(),
    });
    try {
      await assert.rejects(introspect(failing(session), { alongside: failing(alongside) }), /injected failure/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(unhandled, []);
      for (const s of [session, alongside]) {
        const [row] = await s.query<{ path: string }>(`SELECT current_setting('search_path') AS path`);
        assert.equal(row?.path, '"$user", public');
      }
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await alongside.close();
    }
  });
});

serverTest('queries sent at once on one server session run in turn, without node-pg\'s deprecated queue', async () => {
  await withServerSession(async (session) => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => session.query<{ n: number }>('SELECT $1::int AS n, pg_sleep(0.01)', [n])));
      assert.deepEqual(results.map((rows) => rows[0]?.n), [1, 2, 3, 4, 5]);
      await assert.rejects(Promise.all([session.query('SELECT 1/0'), session.query('SELECT 2 AS two')]), /division by zero/);
      assert.deepEqual(await session.query('SELECT 3 AS three'), [{ three: 3 }]);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings.filter((w) => /already executing a query/.test(w)), []);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
