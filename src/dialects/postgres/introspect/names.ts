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
