// Aggregates (pg_aggregate + pg_proc, prokind 'a'): Routines of kind
// `aggregate`, whose definition is the CREATE AGGREGATE statement built from
// the catalog. What they use (transition and final functions, their state
// type) comes from pg_depend like any function's.
import type { QualifiedName, Routine } from '../../../schema/types.js';
import { aggregateDefinition, type AggregateModify } from '../render/aggregates.js';
import type { PgSession } from '../session.js';
import type { Later } from './scope.js';
import { ownerKey, type DependsMap } from './depends.js';
import { grantKey, type GrantsMap } from './grants.js';
import { commentJoin } from './names.js';
import { notExtensionMember } from './objects.js';

/** `{schema,name}` of a function oid column; NULL for 0 (none). */
const fn = (column: string): string =>
  `(SELECT ARRAY[pn.nspname::text, pp.proname::text] FROM pg_catalog.pg_proc pp JOIN pg_catalog.pg_namespace pn ON pn.oid = pp.pronamespace WHERE pp.oid = ${column})`;

const AGGREGATES_SQL = `
SELECT p.oid::text AS oid, n.nspname::text AS schema_name, p.proname::text AS name,
       pg_catalog.oidvectortypes(p.proargtypes) AS signature,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       pg_catalog.pg_get_function_result(p.oid) AS returns,
       a.aggkind::text AS aggkind,
       ${fn('a.aggtransfn')} AS sfunc, pg_catalog.format_type(a.aggtranstype, NULL) AS stype, a.aggtransspace AS sspace,
       ${fn('a.aggfinalfn')} AS finalfunc, a.aggfinalextra AS finalfunc_extra, a.aggfinalmodify::text AS finalfunc_modify,
       ${fn('a.aggcombinefn')} AS combinefunc, ${fn('a.aggserialfn')} AS serialfunc, ${fn('a.aggdeserialfn')} AS deserialfunc,
       a.agginitval AS initcond,
       ${fn('a.aggmtransfn')} AS msfunc, ${fn('a.aggminvtransfn')} AS minvfunc,
       CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END AS mstype, a.aggmtransspace AS msspace,
       ${fn('a.aggmfinalfn')} AS mfinalfunc, a.aggmfinalextra AS mfinalfunc_extra, a.aggmfinalmodify::text AS mfinalfunc_modify,
       a.aggminitval AS minitcond,
       (SELECT o.oprname::text FROM pg_catalog.pg_operator o WHERE o.oid = a.aggsortop) AS sortop,
       (SELECT on_.nspname::text FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace on_ ON on_.oid = o.oprnamespace WHERE o.oid = a.aggsortop) AS sortop_schema,
       p.proparallel::text AS parallel,
       ds.description AS comment
FROM pg_catalog.pg_aggregate a
JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
${commentJoin('ds', 'pg_proc', 'p.oid')}
WHERE n.nspname = ANY ($1::text[])
  AND ${notExtensionMember('pg_proc', 'p.oid')}
ORDER BY n.nspname COLLATE "C", p.proname COLLATE "C", pg_catalog.oidvectortypes(p.proargtypes) COLLATE "C"`;

interface AggregateRow {
  oid: string;
  schema_name: string;
  name: string;
  signature: string;
  arguments: string;
  returns: string;
  aggkind: string;
  sfunc: string[];
  stype: string;
  sspace: number;
  finalfunc: string[] | null;
  finalfunc_extra: boolean;
  finalfunc_modify: string;
  combinefunc: string[] | null;
  serialfunc: string[] | null;
  deserialfunc: string[] | null;
  initcond: string | null;
  msfunc: string[] | null;
  minvfunc: string[] | null;
  mstype: string | null;
  msspace: number;
  mfinalfunc: string[] | null;
  mfinalfunc_extra: boolean;
  mfinalfunc_modify: string;
  minitcond: string | null;
  sortop: string | null;
  sortop_schema: string | null;
  parallel: string;
  comment: string | null;
}

const MODIFY: Record<string, AggregateModify> = { r: 'READ_ONLY', s: 'SHAREABLE', w: 'READ_WRITE' };
const PARALLEL: Record<string, 'SAFE' | 'RESTRICTED'> = { s: 'SAFE', r: 'RESTRICTED' };

function qualifiedFn(parts: string[] | null): QualifiedName | undefined {
  return parts === null ? undefined : { schema: parts[0]!, name: parts[1]! };
}

function definitionOf(r: AggregateRow): string {
  const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
  return aggregateDefinition({
    name: { schema: r.schema_name, name: r.name },
    arguments: r.arguments,
    ordered: r.aggkind !== 'n',
    hypothetical: r.aggkind === 'h',
    sfunc: qualifiedFn(r.sfunc)!,
    stype: r.stype,
    sspace: r.sspace,
    finalfunc: qualifiedFn(r.finalfunc),
    finalfunc_extra: r.finalfunc_extra,
    finalfunc_modify: MODIFY[r.finalfunc_modify] ?? 'READ_ONLY',
    combinefunc: qualifiedFn(r.combinefunc),
    serialfunc: qualifiedFn(r.serialfunc),
    deserialfunc: qualifiedFn(r.deserialfunc),
    initcond: opt(r.initcond),
    msfunc: qualifiedFn(r.msfunc),
    minvfunc: qualifiedFn(r.minvfunc),
    mstype: opt(r.mstype),
    msspace: r.msspace,
    mfinalfunc: qualifiedFn(r.mfinalfunc),
    mfinalfunc_extra: r.mfinalfunc_extra,
    mfinalfunc_modify: MODIFY[r.mfinalfunc_modify] ?? 'READ_ONLY',
    minitcond: opt(r.minitcond),
    sortop: r.sortop !== null && r.sortop_schema !== null ? { schema: r.sortop_schema, name: r.sortop } : undefined,
    parallel: PARALLEL[r.parallel],
  });
}

export async function readAggregates(session: PgSession, namespaces: string[], dependsLater: Later<DependsMap>, grantsLater: Later<GrantsMap>): Promise<Routine[]> {
  const rows = await session.query<AggregateRow>(AGGREGATES_SQL, [namespaces]);
  const depends = await dependsLater;
  const grants = await grantsLater;
  return rows.map((r) => {
    const f: Routine = { schema: r.schema_name, name: r.name, kind: 'aggregate', signature: r.signature, arguments: r.arguments, returns: r.returns, definition: definitionOf(r) };
    if (r.comment !== null && r.comment !== '') f.comment = r.comment;
    const g = grants.get(grantKey('function', r.oid));
    if (g) f.grants = g;
    const refs = depends.get(ownerKey('function', r.oid));
    if (refs) f.depends_on = refs;
    return f;
  });
}
