// View definitions, read in batches. pg_get_viewdef takes an ACCESS SHARE
// lock on the view and on every relation its query names, held until the
// statement ends: one query over 5,000 views held 10,000 entries of the
// server's shared lock table (64 × 100 by default, for all sessions), enough
// to make it and every other session fail with "out of shared memory".
// Batches bound that; outside a transaction each batch releases its locks.
import type { PgSession } from '../session.js';

const BATCH = 500;

/** View oid → pg_get_viewdef text. */
export async function readViewDefinitions(session: PgSession, oids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < oids.length; i += BATCH) {
    const rows = await session.query<{ oid: string; definition: string }>(
      `SELECT v.oid::text AS oid, pg_catalog.pg_get_viewdef(v.oid) AS definition FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS v(oid)`,
      [oids.slice(i, i + BATCH)],
    );
    for (const r of rows) out.set(r.oid, r.definition);
  }
  return out;
}
