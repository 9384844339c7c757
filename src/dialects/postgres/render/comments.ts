// COMMENT ON … IS '…' (or IS NULL to remove). Objects created with a comment
// get their COMMENT statements right after the statement that creates them.
import type { CommentTarget } from '../../../schema/types.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../quote.js';

function objectSql(target: CommentTarget): string {
  switch (target.kind) {
    case 'schema':
      return `SCHEMA ${quoteIdent(target.schema)}`;
    case 'table':
      return `TABLE ${quoteQualified(target.table)}`;
    case 'column':
      return `COLUMN ${quoteQualified(target.table)}.${quoteIdent(target.column)}`;
    case 'index':
      return `INDEX ${quoteQualified({ schema: target.table.schema, name: target.name })}`;
    case 'constraint':
      return `CONSTRAINT ${quoteIdent(target.name)} ON ${quoteQualified(target.table)}`;
    case 'type':
      return `TYPE ${quoteQualified(target.type)}`;
    case 'sequence':
      return `SEQUENCE ${quoteQualified(target.sequence)}`;
    case 'view':
      return `${target.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${quoteQualified(target.view)}`;
    case 'function':
      return `${target.procedure ? 'PROCEDURE' : 'FUNCTION'} ${quoteQualified(target.function)}(${target.signature})`;
    case 'trigger':
      return `TRIGGER ${quoteIdent(target.name)} ON ${quoteQualified(target.table)}`;
    case 'policy':
      return `POLICY ${quoteIdent(target.name)} ON ${quoteQualified(target.table)}`;
    case 'extension':
      return `EXTENSION ${quoteIdent(target.extension)}`;
    case 'domain':
      return `DOMAIN ${quoteQualified(target.domain)}`;
  }
}

export function commentSql(target: CommentTarget, text: string | undefined): string {
  return `COMMENT ON ${objectSql(target)} IS ${text === undefined || text === '' ? 'NULL' : quoteLiteral(text)}`;
}

/** The COMMENT statement for a new object, when it has a comment. */
export function commentStatements(target: CommentTarget, text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : [commentSql(target, text)];
}
