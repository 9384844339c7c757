// Dropping a schema with thousands of tables in one DROP SCHEMA … CASCADE
// takes a lock on every table, index and sequence in one transaction, which
// overflows Postgres's shared lock table ("out of shared memory") and makes
// other sessions on the server fail meanwhile. Tables go first, a batch per
// transaction; the schema (with what is left: types, functions, …) last.
import { quoteIdent, quoteQualified } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';

const TABLES_PER_TRANSACTION = 100;

export async function dropSchemaInBatches(session: PgSession, schema: string): Promise<void> {
  const tables = await session.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
    [schema],
  );
  for (let i = 0; i < tables.length; i += TABLES_PER_TRANSACTION) {
    const batch = tables.slice(i, i + TABLES_PER_TRANSACTION).map(({ name }) => quoteQualified({ schema, name }));
    await session.exec(`DROP TABLE IF EXISTS ${batch.join(', ')} CASCADE`);
  }
  await session.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
}
