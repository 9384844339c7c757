// Public schema-transition cases (pgschema's testdata) must converge, on
// PGlite and on the Postgres server (where pg_dump must agree too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { CORPUS, checkCase, checkCaseFromSql, corpusCases } from './harness.js';

/** Cases outside this release's scope, each with the reason. */
const EXCLUDED: Record<string, string> = {
  'create_table/issue_295_pgvector_typmod': 'needs the pgvector extension, which is not installed here',
  'create_table/add_fk': 'needs btree_gist (PGlite) and WITHOUT OVERLAPS (Postgres 18; the server is 15)',
  'create_table/add_pk': 'needs btree_gist (PGlite) and WITHOUT OVERLAPS (Postgres 18; the server is 15)',
};

/** Cases that converge with new.sql as the desired state but cannot database to database. */
const EXCLUDED_DB_TO_DB: Record<string, string> = {
  'online/add_constraint':
    "B holds Postgres's first print of a varchar IN-list CHECK, which is not a parse fixpoint: no SQL reproduces that text in A. With new.sql as the desired state it converges (normalization settles CHECKs, src/shadow/settle.ts)",
};

/** Cases that converge database to database but not with new.sql itself as the desired state (`--to new.sql`). */
const EXCLUDED_FROM_SQL: Record<string, string> = {};

/** Cases that converge from new.sql on PGlite but not on the server. */
const EXCLUDED_FROM_SQL_ON_SERVER: Record<string, string> = {};

/** Cases PGlite cannot load (the server can). */
const EXCLUDED_ON_PGLITE: Record<string, string> = {
  'create_table/add_column_cross_schema_custom_type': 'needs the hstore and citext extensions, which PGlite does not load here (the server runs it)',
};

/** Cases the Postgres 15 server cannot load. */
const EXCLUDED_ON_SERVER: Record<string, string> = {
  'create_table/issue_501_virtual_generated_column': 'virtual generated columns need Postgres 18; the server is 15',
};

const CATEGORIES = [
  'create_table',
  'create_index',
  'comment',
  'create_type',
  'create_view',
  'create_materialized_view',
  'create_function',
  'create_procedure',
  'create_trigger',
  'create_policy',
  'create_sequence',
  'dependency',
  'create_domain',
  'privilege',
  'default_privilege',
  'create_aggregate',
  'migrate',
  'online',
];
const cases = corpusCases(CATEGORIES);

test('the corpus is present', (t) => {
  if (cases.length > 0) return;
  const message = `corpus not found at ${CORPUS} (set LOCKPLANE_CORPUS_DIR)`;
  if (process.env.CI === 'true') assert.fail(`${message}; under CI=true the corpus tests must run`);
  process.stderr.write(`\n*** NOTICE: ${message}. Corpus tests are SKIPPED. ***\n\n`);
  t.skip(message);
});

async function resetPglite(session: PgSession): Promise<void> {
  const rows = await session.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
  );
  for (const { nspname } of rows) await session.exec(`DROP SCHEMA "${nspname.replace(/"/g, '""')}" CASCADE`);
  await session.exec('CREATE SCHEMA public');
}

/** Counts the cases that pass in one mode and prints the count when the mode is done. */
function tally(mode: string): { pass(): void; print(): void } {
  let passed = 0;
  return {
    pass: () => void passed++,
    print: () => process.stdout.write(`corpus ${mode}: ${passed} of ${cases.length} cases pass\n`),
  };
}

test(`corpus on PGlite: ${CATEGORIES.join(', ')} cases converge and roll back`, { timeout: 1_800_000 }, async (t) => {
  const a = await connect('pglite://memory');
  const b = await connect('pglite://memory');
  const dbToDb = tally('on PGlite, database to database');
  const fromSql = tally('on PGlite, --to new.sql');
  try {
    for (const c of cases) {
      await t.test(c.name, { skip: EXCLUDED[c.name] ?? EXCLUDED_ON_PGLITE[c.name] ?? EXCLUDED_DB_TO_DB[c.name] ?? false }, async () => {
        await resetPglite(a);
        await resetPglite(b);
        await checkCase(c, a, b);
        dbToDb.pass();
      });
    }
    for (const c of cases) {
      await t.test(`${c.name} (--to new.sql)`, { skip: EXCLUDED[c.name] ?? EXCLUDED_ON_PGLITE[c.name] ?? EXCLUDED_FROM_SQL[c.name] ?? false }, async () => {
        await resetPglite(a);
        await checkCaseFromSql(c, a);
        fromSql.pass();
      });
    }
  } finally {
    dbToDb.print();
    fromSql.print();
    await a.close();
    await b.close();
  }
});

serverTest(
  'corpus on the Postgres server: converge, and pg_dump agrees',
  async (t) => {
    const dbToDb = tally('on the server, database to database');
    const fromSql = tally('on the server, --to new.sql');
    for (const c of cases) {
      await t.test(c.name, { skip: EXCLUDED[c.name] ?? EXCLUDED_DB_TO_DB[c.name] ?? EXCLUDED_ON_SERVER[c.name] ?? false }, async () => {
        await withServerDatabase((urlA) =>
          withServerDatabase(async (urlB) => {
            const a = await connect(urlA);
            const b = await connect(urlB);
            try {
              await checkCase(c, a, b, async () => {
                assert.equal(dumpIgnoringColumnOrder(urlA), dumpIgnoringColumnOrder(urlB), `${c.name}: pg_dump differs`);
              });
            } finally {
              await a.close();
              await b.close();
            }
          }),
        );
        dbToDb.pass();
      });
    }
    for (const c of cases) {
      const skip = EXCLUDED[c.name] ?? EXCLUDED_ON_SERVER[c.name] ?? EXCLUDED_FROM_SQL[c.name] ?? EXCLUDED_FROM_SQL_ON_SERVER[c.name] ?? false;
      await t.test(`${c.name} (--to new.sql)`, { skip }, async () => {
        // The desired state is built where the target's Postgres version prints the catalog the same way: a shadow database on the server.
        await withServerDatabase((urlA) =>
          withServerDatabase(async (shadowUrl) => {
            const a = await connect(urlA);
            try {
              await checkCaseFromSql(c, a, shadowUrl);
            } finally {
              await a.close();
            }
          }),
        );
        fromSql.pass();
      });
    }
    dbToDb.print();
    fromSql.print();
  },
  { timeout: 1_800_000 },
);

/** pg_dump --schema-only with column lines sorted inside each CREATE TABLE (column order is ignored). */
function dumpIgnoringColumnOrder(url: string): string {
  const dump = execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', url], { encoding: 'utf8' });
  return dump
    .split('\n')
    .filter((line) => !line.startsWith('--') && !/^\\(un)?restrict /.test(line))
    .join('\n')
    .replace(/(CREATE TABLE [^\n]+\(\n)([\s\S]*?)(\n\);)/g, (_m, head: string, body: string, tail: string) => {
      const lines = body.split('\n').map((l) => l.replace(/,$/, ''));
      return head + lines.sort().join(',\n') + tail;
    });
}

