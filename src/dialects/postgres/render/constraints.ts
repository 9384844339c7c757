// Table constraints: primary key, unique, check, foreign key — as clauses of
// CREATE TABLE and as ALTER TABLE ADD/DROP CONSTRAINT statements.
import type {
  CheckConstraint,
  ExclusionConstraint,
  ForeignKey,
  PrimaryKey,
  QualifiedName,
  UniqueConstraint,
} from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';
import { commentStatements } from './comments.js';
import { quoteList } from './names.js';

function named(name: string | undefined): string {
  return name === undefined ? '' : `CONSTRAINT ${quoteIdent(name)} `;
}

function deferrable(c: { deferrable?: boolean; initially_deferred?: boolean }): string {
  if (!c.deferrable) return '';
  return c.initially_deferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE';
}

export function primaryKeyClause(pk: PrimaryKey): string {
  return `${named(pk.name)}PRIMARY KEY (${quoteList(pk.columns)})`;
}

export function uniqueClause(u: UniqueConstraint): string {
  const nulls = u.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
  return `${named(u.name)}UNIQUE${nulls} (${quoteList(u.columns)})${deferrable(u)}`;
}

export function checkClause(c: CheckConstraint): string {
  return `${named(c.name)}CHECK (${c.expression})${c.no_inherit ? ' NO INHERIT' : ''}`;
}

export function foreignKeyClause(fk: ForeignKey, ownSchema: string): string {
  const target = quoteQualified({ schema: fk.referenced_schema ?? ownSchema, name: fk.referenced_table });
  let out = `${named(fk.name)}FOREIGN KEY (${quoteList(fk.columns)}) REFERENCES ${target} (${quoteList(fk.referenced_columns)})`;
  if (fk.match === 'FULL') out += ' MATCH FULL';
  if (fk.on_delete && fk.on_delete !== 'NO ACTION') out += ` ON DELETE ${fk.on_delete}`;
  if (fk.on_update && fk.on_update !== 'NO ACTION') out += ` ON UPDATE ${fk.on_update}`;
  return out + deferrable(fk);
}

export function addConstraintSql(table: QualifiedName, clause: string): string {
  return `ALTER TABLE ${quoteQualified(table)} ADD ${clause}`;
}

export function dropConstraintSql(table: QualifiedName, name: string): string {
  return `ALTER TABLE ${quoteQualified(table)} DROP CONSTRAINT ${quoteIdent(name)}`;
}

/** The name Postgres gives an unnamed primary key (`<table>_pkey`, cut to 63 bytes). */
export function primaryKeyName(table: QualifiedName, pk: PrimaryKey): string {
  if (pk.name !== undefined) return pk.name;
  const suffix = '_pkey';
  let base = table.name;
  while (Buffer.byteLength(base + suffix) > 63) base = base.slice(0, -1);
  return base + suffix;
}

export const addPrimaryKeySql = (t: QualifiedName, pk: PrimaryKey): string => addConstraintSql(t, primaryKeyClause(pk));
export const dropPrimaryKeySql = (t: QualifiedName, pk: PrimaryKey): string => dropConstraintSql(t, primaryKeyName(t, pk));
export const addUniqueSql = (t: QualifiedName, u: UniqueConstraint): string => addConstraintSql(t, uniqueClause(u));
export const addCheckSql = (t: QualifiedName, c: CheckConstraint): string => addConstraintSql(t, checkClause(c));
export const addForeignKeySql = (t: QualifiedName, fk: ForeignKey): string => addConstraintSql(t, foreignKeyClause(fk, t.schema));

/** ADD CONSTRAINT, then the constraint's comment. */
function withConstraintComment(t: QualifiedName, sql: string, name: string, comment: string | undefined): string[] {
  return [sql, ...commentStatements({ kind: 'constraint', table: t, name }, comment)];
}

export const addPrimaryKeyStatements = (t: QualifiedName, pk: PrimaryKey): string[] =>
  withConstraintComment(t, addPrimaryKeySql(t, pk), primaryKeyName(t, pk), pk.comment);
export const addUniqueStatements = (t: QualifiedName, u: UniqueConstraint): string[] =>
  withConstraintComment(t, addUniqueSql(t, u), u.name, u.comment);
/** `notValid`: existing rows are not checked now (VALIDATE CONSTRAINT does that later, without blocking writes). */
export const addCheckStatements = (t: QualifiedName, c: CheckConstraint, notValid = false): string[] =>
  withConstraintComment(t, addCheckSql(t, c) + (notValid ? NOT_VALID : ''), c.name, c.comment);
export const addForeignKeyStatements = (t: QualifiedName, fk: ForeignKey, notValid = false): string[] =>
  withConstraintComment(t, addForeignKeySql(t, fk) + (notValid ? NOT_VALID : ''), fk.name, fk.comment);

const NOT_VALID = ' NOT VALID';

export function validateConstraintSql(table: QualifiedName, name: string): string {
  return `ALTER TABLE ${quoteQualified(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}`;
}

/** ADD CONSTRAINT … USING INDEX: the unique index of the same name, built before, becomes the constraint's. */
function usingIndexSql(table: QualifiedName, name: string, kind: 'UNIQUE' | 'PRIMARY KEY', attributes = ''): string {
  return `ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${quoteIdent(name)} ${kind} USING INDEX ${quoteIdent(name)}${attributes}`;
}

export const addPrimaryKeyUsingIndexStatements = (t: QualifiedName, pk: PrimaryKey): string[] =>
  withConstraintComment(t, usingIndexSql(t, primaryKeyName(t, pk), 'PRIMARY KEY'), primaryKeyName(t, pk), pk.comment);
export const addUniqueUsingIndexStatements = (t: QualifiedName, u: UniqueConstraint): string[] =>
  withConstraintComment(t, usingIndexSql(t, u.name, 'UNIQUE', deferrable(u)), u.name, u.comment);

export function addExclusionStatements(table: QualifiedName, x: ExclusionConstraint): string[] {
  const text = x.definition.trim();
  if (!/^EXCLUDE\s/i.test(text)) throw new Error(`exclusion constraint ${x.name}: definition must be an EXCLUDE clause`);
  return [
    `ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${quoteIdent(x.name)} ${text}`,
    ...commentStatements({ kind: 'constraint', table, name: x.name }, x.comment),
  ];
}

/** A whole-table rewrite: the table is copied into or out of the WAL. */
export function setPersistenceSql(table: QualifiedName, unlogged: boolean): string {
  return `ALTER TABLE ${quoteQualified(table)} SET ${unlogged ? 'UNLOGGED' : 'LOGGED'}`;
}
