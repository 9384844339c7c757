// Where a database is expected to be between the groups of an apply: the
// schema hash (a full introspection) at the start and the end, and a
// catalog stamp (one query; see dialects/postgres/catalog-stamp.ts) after
// every group in between, where a resume or a retry picks up.
import { catalogStamp } from '../dialects/postgres/catalog-stamp.js';
import type { PgSession } from '../dialects/postgres/session.js';
import type { SchemaFilter } from '../schema/filter.js';
import { currentHash } from './execute.js';

export type SchemaState = { hash: string } | { stamp: string };

/** The database's state, of the same kind as `like` (a hash or a stamp). */
export async function stateNow(session: PgSession, like: SchemaState, scope: SchemaFilter, inTransaction = false): Promise<SchemaState> {
  if ('stamp' in like) return { stamp: await catalogStamp(session, scope) };
  return { hash: await currentHash(session, scope, inTransaction) };
}

export function sameState(a: SchemaState, b: SchemaState): boolean {
  return 'stamp' in a ? 'stamp' in b && a.stamp === b.stamp : 'hash' in b && a.hash === b.hash;
}

/** For messages: `hash 1a2b3c4d5e6f…` or `catalog stamp 1a2b3c4d5e6f…`. */
export function describeState(state: SchemaState): string {
  return 'stamp' in state ? `catalog stamp ${state.stamp.slice(0, 12)}…` : `hash ${state.hash.slice(0, 12)}…`;
}
