import { quoteIdent } from '../quote.js';

/**
 * A collation or operator class as the IR spells it: the bare name when it
 * lives in pg_catalog, else `"schema"."name"`, quoted because collation
 * names may themselves contain dots (`en_US.utf8`).
 */
export function catalogObjectName(schema: string | null, name: string | null): string | undefined {
  if (name === null) return undefined;
  if (schema === null || schema === 'pg_catalog') return name;
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * `LEFT JOIN pg_description <alias>`: an object's comment (`<alias>.description`).
 * Same row as obj_description()/col_description(), but those run a query per
 * row, and a join is read once: thousands of columns make the difference.
 */
export const commentJoin = (alias: string, catalog: string, oid: string, subid = '0'): string =>
  `LEFT JOIN pg_catalog.pg_description ${alias} ON ${alias}.objoid = ${oid} AND ${alias}.classoid = 'pg_catalog.${catalog}'::pg_catalog.regclass AND ${alias}.objsubid = ${subid}`;
