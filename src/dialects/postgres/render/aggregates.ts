// CREATE AGGREGATE from pg_aggregate's fields. Postgres has no
// pg_get_aggregatedef, so introspection builds the statement here, in one
// canonical spelling (options in pg_dump's order, defaults left out): equal
// aggregates print equal text, whatever source declared them.
import type { QualifiedName } from '../../../schema/types.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../quote.js';

export type AggregateModify = 'READ_ONLY' | 'SHAREABLE' | 'READ_WRITE';

/** What CREATE AGGREGATE declares; functions by qualified name, types in catalog spelling. */
export interface AggregateSpec {
  name: QualifiedName;
  /** pg_get_function_arguments: `numeric`, `double precision ORDER BY anyelement`; empty for `(*)`. */
  arguments: string;
  /** Ordered-set or hypothetical-set (their FINALFUNC_MODIFY default is READ_WRITE). */
  ordered: boolean;
  hypothetical: boolean;
  sfunc: QualifiedName;
  stype: string;
  sspace: number;
  finalfunc?: QualifiedName;
  finalfunc_extra: boolean;
  finalfunc_modify: AggregateModify;
  combinefunc?: QualifiedName;
  serialfunc?: QualifiedName;
  deserialfunc?: QualifiedName;
  /** NULL and the empty string differ: absent is NULL. */
  initcond?: string;
  msfunc?: QualifiedName;
  minvfunc?: QualifiedName;
  mstype?: string;
  msspace: number;
  mfinalfunc?: QualifiedName;
  mfinalfunc_extra: boolean;
  mfinalfunc_modify: AggregateModify;
  minitcond?: string;
  /** An operator `schema.op`. */
  sortop?: { schema: string; name: string };
  parallel?: 'SAFE' | 'RESTRICTED';
}

/** The argument list inside CREATE/DROP AGGREGATE's parentheses: `*` for none. */
export function aggregateArguments(args: string): string {
  return args.trim() === '' ? '*' : args;
}

export function aggregateDefinition(a: AggregateSpec): string {
  const options: string[] = [`SFUNC = ${quoteQualified(a.sfunc)}`, `STYPE = ${a.stype}`];
  const defaultModify: AggregateModify = a.ordered ? 'READ_WRITE' : 'READ_ONLY';
  if (a.sspace > 0) options.push(`SSPACE = ${a.sspace}`);
  if (a.finalfunc) options.push(`FINALFUNC = ${quoteQualified(a.finalfunc)}`);
  if (a.finalfunc_extra) options.push('FINALFUNC_EXTRA');
  if (a.finalfunc_modify !== defaultModify) options.push(`FINALFUNC_MODIFY = ${a.finalfunc_modify}`);
  if (a.combinefunc) options.push(`COMBINEFUNC = ${quoteQualified(a.combinefunc)}`);
  if (a.serialfunc) options.push(`SERIALFUNC = ${quoteQualified(a.serialfunc)}`);
  if (a.deserialfunc) options.push(`DESERIALFUNC = ${quoteQualified(a.deserialfunc)}`);
  if (a.initcond !== undefined) options.push(`INITCOND = ${quoteLiteral(a.initcond)}`);
  if (a.msfunc) options.push(`MSFUNC = ${quoteQualified(a.msfunc)}`);
  if (a.minvfunc) options.push(`MINVFUNC = ${quoteQualified(a.minvfunc)}`);
  if (a.mstype) options.push(`MSTYPE = ${a.mstype}`);
  if (a.msspace > 0) options.push(`MSSPACE = ${a.msspace}`);
  if (a.mfinalfunc) options.push(`MFINALFUNC = ${quoteQualified(a.mfinalfunc)}`);
  if (a.mfinalfunc_extra) options.push('MFINALFUNC_EXTRA');
  if (a.msfunc && a.mfinalfunc_modify !== defaultModify) options.push(`MFINALFUNC_MODIFY = ${a.mfinalfunc_modify}`);
  if (a.minitcond !== undefined) options.push(`MINITCOND = ${quoteLiteral(a.minitcond)}`);
  if (a.sortop) options.push(`SORTOP = OPERATOR(${quoteIdent(a.sortop.schema)}.${a.sortop.name})`);
  if (a.parallel) options.push(`PARALLEL = ${a.parallel}`);
  if (a.hypothetical) options.push('HYPOTHETICAL');
  return `CREATE AGGREGATE ${quoteQualified(a.name)}(${aggregateArguments(a.arguments)}) (\n    ${options.join(',\n    ')}\n)`;
}

const CREATE_AGGREGATE = /^CREATE\s+(OR\s+REPLACE\s+)?AGGREGATE\s/i;

export function isAggregateDefinition(text: string): boolean {
  return CREATE_AGGREGATE.test(text.trim());
}

/** CREATE OR REPLACE AGGREGATE (Postgres 12+): same arguments and result, new options. */
export function replaceAggregateSql(definition: string): string {
  return definition.trim().replace(CREATE_AGGREGATE, 'CREATE OR REPLACE AGGREGATE ');
}

export function dropAggregateSql(name: QualifiedName, args: string): string {
  return `DROP AGGREGATE ${quoteQualified(name)}(${aggregateArguments(args)})`;
}
