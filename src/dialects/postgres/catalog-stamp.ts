// A catalog stamp: one query that tells whether any committed DDL touched
// the objects an introspection would read since the stamp was taken. It
// combines the xmin of every catalog row that describes an object in the
// managed namespaces (the relations, their columns, defaults, indexes,
// constraints, triggers, policies, rules; types, enum labels, ranges;
// routines; dependencies and comments of all of those) plus the
// database-wide catalogs introspection reads. Any committed CREATE, ALTER,
// DROP, COMMENT or GRANT inserts, updates or deletes such a row, so the
// multiset of xmins changes; VACUUM, ANALYZE and index builds' statistics
// update rows in place, keeping xmin, so they do not. Relations (pg_class)
// count by their describing columns instead, because TRUNCATE, REFRESH
// MATERIALIZED VIEW, VACUUM FULL and REINDEX rewrite their rows routinely
// (a new file) without changing the schema. A row written by the
// current transaction carries its xid, which it keeps after COMMIT: a stamp
// taken inside a transaction right before COMMIT equals one taken after it.
//
// It is not a hash of the schema: two stamps differ whenever a catalog row
// was rewritten, even to the same content. Apply records one per group
// (cheap: a single query), where a full introspection would cost seconds on
// a large schema, and a resume requires the database to be at the recorded
// stamp — stricter than the schema hash in nearly every way. Not covered:
// roles (a rename shows only in pg_authid, which it does not read: it is
// cluster-wide and superuser-only), and operators and operator classes.
import { createHash } from 'node:crypto';
import type { SchemaFilter } from '../../schema/filter.js';
import type { PgSession } from './session.js';
import { readManagedNamespaces } from './introspect/scope.js';

/**
 * A relation's row by what describes it rather than by its xmin: TRUNCATE,
 * REFRESH MATERIALIZED VIEW, VACUUM FULL, CLUSTER and REINDEX give it a new
 * file (relfilenode) by a regular update, routinely and without changing the
 * schema; statistics and the has-index/rules/triggers/subclass hints are
 * left out too (VACUUM resets those in place).
 */
const CLASS_ROW = `pg_catalog.concat_ws('|', oid, relname, relnamespace, reltype, reloftype, relowner, relam, relpersistence, relkind,
    relnatts, relchecks, relrowsecurity, relforcerowsecurity, relispopulated, relreplident, relispartition, relacl, reloptions, relpartbound)`;

/**
 * Each catalog's row count and sum of row hashes, over every row but those
 * of objects outside the managed namespaces. System namespaces count (their
 * rows never change), so what is left out is small: temporary namespaces,
 * excluded schemas, the ledger's — `out`, with their relations, types,
 * routines, constraints, and their relations' triggers (foreign keys make
 * some), defaults, rules and policies (`out_obj`, whose dependencies and
 * comments are left out too), cheap to leave out by an anti-join. TOAST
 * tables and their indexes (`toast`) are left out as well: one follows from
 * its table's columns, and REFRESH MATERIALIZED VIEW replaces it with a new
 * one.
 * $1: the managed namespaces; $2: relations left out (an index a step drops).
 */
const STAMP_SQL = `
WITH out_ns AS MATERIALIZED (
  SELECT oid FROM pg_catalog.pg_namespace
   WHERE NOT (nspname = ANY ($1::text[])) AND nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
), toast AS MATERIALIZED (
  SELECT oid FROM pg_catalog.pg_class WHERE relnamespace = 'pg_toast'::pg_catalog.regnamespace
), out_rel AS MATERIALIZED (
  SELECT oid FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM out_ns)
  UNION ALL SELECT unnest($2::oid[])
), out_obj AS MATERIALIZED (
  SELECT oid FROM out_rel
  UNION ALL SELECT oid FROM pg_catalog.pg_type WHERE typnamespace IN (SELECT oid FROM out_ns)
  UNION ALL SELECT oid FROM pg_catalog.pg_proc WHERE pronamespace IN (SELECT oid FROM out_ns)
  UNION ALL SELECT oid FROM pg_catalog.pg_constraint WHERE connamespace IN (SELECT oid FROM out_ns)
  UNION ALL SELECT oid FROM pg_catalog.pg_trigger WHERE tgrelid IN (SELECT oid FROM out_rel)
  UNION ALL SELECT oid FROM pg_catalog.pg_attrdef WHERE adrelid IN (SELECT oid FROM out_rel)
  UNION ALL SELECT oid FROM pg_catalog.pg_rewrite WHERE ev_class IN (SELECT oid FROM out_rel)
  UNION ALL SELECT oid FROM pg_catalog.pg_policy WHERE polrelid IN (SELECT oid FROM out_rel)
  UNION ALL SELECT oid FROM out_ns
)
SELECT concat_ws(' ',
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 1)), 0) FROM pg_catalog.pg_namespace WHERE oid NOT IN (SELECT oid FROM out_ns)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(${CLASS_ROW}, 2)), 0) FROM pg_catalog.pg_class WHERE oid >= 16384 AND relnamespace <> 'pg_toast'::pg_catalog.regnamespace AND oid NOT IN (SELECT oid FROM out_rel)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 3)), 0) FROM pg_catalog.pg_attribute WHERE attnum > 0 AND attrelid >= 16384 AND attrelid NOT IN (SELECT oid FROM out_rel) AND attrelid NOT IN (SELECT oid FROM toast)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 4)), 0) FROM pg_catalog.pg_attrdef WHERE adrelid NOT IN (SELECT oid FROM out_rel)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 5)), 0) FROM pg_catalog.pg_index WHERE indexrelid NOT IN (SELECT oid FROM out_rel) AND indrelid NOT IN (SELECT oid FROM toast)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 6)), 0) FROM pg_catalog.pg_constraint WHERE connamespace NOT IN (SELECT oid FROM out_ns)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 7)), 0) FROM pg_catalog.pg_type WHERE oid >= 16384 AND typnamespace NOT IN (SELECT oid FROM out_ns)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 8)), 0) FROM pg_catalog.pg_enum WHERE enumtypid NOT IN (SELECT oid FROM out_obj)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 9)), 0) FROM pg_catalog.pg_range WHERE rngtypid NOT IN (SELECT oid FROM out_obj)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 10)), 0) FROM pg_catalog.pg_proc WHERE oid >= 16384 AND pronamespace NOT IN (SELECT oid FROM out_ns)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 11)), 0) FROM pg_catalog.pg_aggregate WHERE aggfnoid NOT IN (SELECT oid FROM out_obj)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 12)), 0) FROM pg_catalog.pg_trigger WHERE tgrelid NOT IN (SELECT oid FROM out_rel)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 13)), 0) FROM pg_catalog.pg_policy WHERE polrelid NOT IN (SELECT oid FROM out_rel)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 14)), 0) FROM pg_catalog.pg_rewrite WHERE ev_class NOT IN (SELECT oid FROM out_rel)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 15)), 0) FROM pg_catalog.pg_sequence WHERE seqrelid NOT IN (SELECT oid FROM out_rel)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 16)), 0) FROM pg_catalog.pg_inherits WHERE inhrelid NOT IN (SELECT oid FROM out_rel)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 17)), 0) FROM pg_catalog.pg_depend WHERE objid >= 16384 AND objid NOT IN (SELECT oid FROM out_obj) AND objid NOT IN (SELECT oid FROM toast)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 18)), 0) FROM pg_catalog.pg_description WHERE objoid >= 16384 AND objoid NOT IN (SELECT oid FROM out_obj)),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 19)), 0) FROM pg_catalog.pg_extension),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 20)), 0) FROM pg_catalog.pg_default_acl),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 21)), 0) FROM pg_catalog.pg_event_trigger),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 22)), 0) FROM pg_catalog.pg_publication),
  (SELECT count(*) || ':' || coalesce(sum(pg_catalog.hashtextextended(xmin::text, 23)), 0) FROM pg_catalog.pg_collation WHERE collnamespace NOT IN (SELECT oid FROM out_ns))
) AS stamp`;

export interface StampOptions {
  /**
   * Relations (by oid) whose own rows are left out: an index a step drops
   * or builds, so that the state before the step and the state after it can
   * be compared without it.
   */
  excludeRelations?: number[];
}

/** The managed namespaces' catalog stamp (see the top of this file); `scope` as introspection takes it. */
export async function catalogStamp(session: PgSession, scope: SchemaFilter, options: StampOptions = {}): Promise<string> {
  const namespaces = (await readManagedNamespaces(session, scope)).map((n) => n.name);
  const [row] = await session.query<{ stamp: string }>(STAMP_SQL, [namespaces, options.excludeRelations ?? []]);
  return createHash('sha256').update(row!.stamp).digest('hex');
}
