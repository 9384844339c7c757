// View definitions, read in batches. pg_get_viewdef takes an ACCESS SHARE
// lock on the view and on every relation its query names, held until the
// statement ends: one query over 5,000 views held 10,000 entries of the
// server's shared lock table (64 × 100 by default, for all sessions), enough
// to make it and every other session fail with "out of shared memory".
// Batches bound that; outside a transaction each batch releases its locks.
// Inside one (apply reads the schema in its transactions) locks last to the
// transaction's end, so each batch runs in a savepoint that is rolled back
// once its rows are read: Postgres releases the locks taken after a
// savepoint when it is rolled back to.
import type { PgSession } from '../session.js';

/** Views per pg_get_viewdef query. */
export const VIEW_BATCH = 500;

const SAVEPOINT = 'lockplane_view_definitions';

/** View oid → pg_get_viewdef text. `inTransaction`: the session is in a transaction block (see above). */
export async function readViewDefinitions(session: PgSession, oids: readonly string[], inTransaction = false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < oids.length; i += VIEW_BATCH) {
    const read = () =>
      session.query<{ oid: string; definition: string }>(
        `SELECT v.oid::text AS oid, pg_catalog.pg_get_viewdef(v.oid) AS definition FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS v(oid)`,
        [oids.slice(i, i + VIEW_BATCH)],
      );
    const rows = inTransaction ? await releasingLocks(session, read) : await read();
    for (const r of rows) out.set(r.oid, r.definition);
  }
  return out;
}

/** Runs `read` in a savepoint rolled back afterwards (also when it fails, so the transaction stays usable): its locks go with it. */
async function releasingLocks<T>(session: PgSession, read: () => Promise<T>): Promise<T> {
  const rollBack = `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`;
  await session.exec(`SAVEPOINT ${SAVEPOINT}`);
  let result: T;
  try {
    result = await read();
  } catch (error) {
    await session.exec(rollBack).catch(() => undefined);
    throw error;
  }
  await session.exec(rollBack);
  return result;
}
