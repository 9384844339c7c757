// Column definitions: `"name" type [COLLATE] [GENERATED …] [DEFAULT] [NOT NULL]`.
import type { Column, Identity } from '../../../schema/types.js';
import { quoteIdent } from '../quote.js';
import { integerLiteral, quoteCatalogName } from './names.js';

export function columnDefinition(column: Column): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.collation) parts.push(`COLLATE ${quoteCatalogName(column.collation)}`);
  if (column.generated) {
    parts.push(`GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.kind === 'virtual' ? 'VIRTUAL' : 'STORED'}`);
  } else if (column.identity) {
    parts.push(identityClause(column.identity));
  } else if (column.default !== undefined) {
    parts.push(`DEFAULT ${column.default}`);
  }
  if (!column.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

/** `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(options)]`. */
export function identityClause(identity: Identity): string {
  const options = identityOptions(identity);
  return `GENERATED ${identity.generation} AS IDENTITY${options.length ? ` (${options.join(' ')})` : ''}`;
}

function identityOptions(identity: Identity): string[] {
  const out: string[] = [];
  if (identity.start !== undefined) out.push(`START WITH ${integerLiteral(identity.start, 'identity start')}`);
  if (identity.increment !== undefined) out.push(`INCREMENT BY ${integerLiteral(identity.increment, 'identity increment')}`);
  if (identity.min_value !== undefined) out.push(`MINVALUE ${integerLiteral(identity.min_value, 'identity minvalue')}`);
  if (identity.max_value !== undefined) out.push(`MAXVALUE ${integerLiteral(identity.max_value, 'identity maxvalue')}`);
  if (identity.cache !== undefined) out.push(`CACHE ${integerLiteral(identity.cache, 'identity cache')}`);
  if (identity.cycle) out.push('CYCLE');
  return out;
}
