// The locks a SQL statement takes, read from its parse tree (libpg-query, the
// real Postgres parser) and the Postgres facts in locks.ts — never from a
// prefix of the SQL text. A statement the analysis does not know is assumed
// to take ACCESS EXCLUSIVE on whatever it touches, with an unknown effect.
import type {
  AlterDomainStmt,
  AlterTableStmt,
  ColumnDef,
  CommentStmt,
  Constraint,
  CreateStmt,
  CreateTableAsStmt,
  DropStmt,
  IndexStmt,
  LockStmt,
  Node,
  RangeVar,
  RefreshMatViewStmt,
  ReindexStmt,
  RenameStmt,
  ViewStmt,
} from 'libpg-query';
import { LOCK_MODES, SINCE, type RelationLock } from './locks.js';
import { alterTableLocks } from './locks-alter.js';
import { columnTypeText, findNodes, nameParts, qualifiedFromParts, unwrap, type AnalysisContext } from './locks-nodes.js';
import { relationKey } from './locks-state.js';

export type { AnalysisContext } from './locks-nodes.js';

/** Statements that lock no table (types, functions, schemas, privileges, session settings, …). */
const NO_TABLE_LOCKS = new Set([
  'GrantStmt',
  'GrantRoleStmt',
  'AlterDefaultPrivilegesStmt',
  'CreateFunctionStmt',
  'AlterFunctionStmt',
  'CreateSchemaStmt',
  'CreateExtensionStmt',
  'AlterExtensionStmt',
  'CreateEnumStmt',
  'AlterEnumStmt',
  'CreateDomainStmt',
  'CompositeTypeStmt',
  'DefineStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'VariableSetStmt',
  'TransactionStmt',
  'AlterOwnerStmt',
  'CreateRoleStmt',
  'AlterRoleStmt',
  'CreateEventTrigStmt',
]);

const unknown = (table: string, operation: string): RelationLock => ({ table, mode: 'ACCESS EXCLUSIVE', effect: 'unknown', operation, risk: 'unknown' });

/** The locks of every statement in `sql`, in order; updates `ctx.state` as the statements would. */
export async function analyzeSql(sql: string, ctx: AnalysisContext): Promise<RelationLock[]> {
  const { parse } = await import('libpg-query');
  let stmts: { stmt?: Node }[];
  try {
    stmts = (await parse(sql)).stmts ?? [];
  } catch {
    return [unknown('*', 'statement the parser rejects')];
  }
  return stmts.flatMap(({ stmt }) => statementLocks(stmt, ctx));
}

export function statementLocks(stmt: Node | undefined, ctx: AnalysisContext): RelationLock[] {
  const kind = stmt ? Object.keys(stmt)[0]! : 'empty';
  if (NO_TABLE_LOCKS.has(kind)) return [];
  const body = (stmt as Record<string, unknown> | undefined)?.[kind];
  const handler = HANDLERS[kind];
  return handler ? handler(body as never, ctx) : [unknown('*', kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase())];
}

type Handler = (body: never, ctx: AnalysisContext) => RelationLock[];

const HANDLERS: Record<string, Handler> = {
  CreateStmt: (s: CreateStmt, ctx) => createTable(s, ctx),
  AlterTableStmt: (s: AlterTableStmt, ctx) => alterTable(s, ctx),
  IndexStmt: (s: IndexStmt, ctx) => {
    const table = relationKey(s.relation);
    const elems = (s.indexParams ?? []).map((p) => unwrap<{ name?: string }>(p, 'IndexElem')?.name);
    const columns = elems.every((e): e is string => e !== undefined) ? elems : undefined;
    if (s.idxname) ctx.state.addIndex(`${table.split('.')[0]}.${s.idxname}`, table, columns);
    return s.concurrent
      ? [{ table, mode: 'SHARE UPDATE EXCLUSIVE', effect: 'scan', operation: 'CREATE INDEX CONCURRENTLY' }]
      : [{ table, mode: 'SHARE', effect: 'scan', operation: 'CREATE INDEX', risk: 'index_build' }];
  },
  DropStmt: (s: DropStmt, ctx) => drop(s, ctx),
  RenameStmt: (s: RenameStmt, ctx) => rename(s, ctx),
  CommentStmt: (s: CommentStmt) => comment(s),
  CreateTrigStmt: (s: { relation?: RangeVar }) => [{ table: relationKey(s.relation), mode: 'SHARE ROW EXCLUSIVE', effect: 'catalog', operation: 'CREATE TRIGGER' }],
  CreatePolicyStmt: (s: { table?: RangeVar }) => [{ table: relationKey(s.table), mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'CREATE POLICY' }],
  AlterPolicyStmt: (s: { table?: RangeVar }) => [{ table: relationKey(s.table), mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'ALTER POLICY' }],
  ViewStmt: (s: ViewStmt, ctx) => view(s, ctx),
  CreateTableAsStmt: (s: CreateTableAsStmt, ctx) => {
    const table = relationKey(s.into?.rel);
    ctx.state.createTable(table, []);
    return [{ table, mode: 'ACCESS EXCLUSIVE', effect: 'write', operation: 'CREATE MATERIALIZED VIEW' }, ...reads(s.query, 'scan', table)];
  },
  RefreshMatViewStmt: (s: RefreshMatViewStmt) => {
    const table = relationKey(s.relation);
    return s.concurrent
      ? [{ table, mode: 'EXCLUSIVE', effect: 'write', operation: 'REFRESH MATERIALIZED VIEW CONCURRENTLY' }]
      : [{ table, mode: 'ACCESS EXCLUSIVE', effect: 'rewrite', operation: 'REFRESH MATERIALIZED VIEW', risk: 'rewrite' }];
  },
  AlterDomainStmt: (s: AlterDomainStmt, ctx) => alterDomain(s, ctx),
  ReindexStmt: (s: ReindexStmt, ctx) => reindex(s, ctx),
  AlterObjectSchemaStmt: (s: { objectType?: string; relation?: RangeVar }) =>
    s.relation ? [{ table: relationKey(s.relation), mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'SET SCHEMA' }] : [],
  InsertStmt: (s: { relation?: RangeVar }) => [{ table: relationKey(s.relation), mode: 'ROW EXCLUSIVE', effect: 'write', operation: 'INSERT' }],
  UpdateStmt: (s: { relation?: RangeVar }) => [{ table: relationKey(s.relation), mode: 'ROW EXCLUSIVE', effect: 'write', operation: 'UPDATE' }],
  DeleteStmt: (s: { relation?: RangeVar }) => [{ table: relationKey(s.relation), mode: 'ROW EXCLUSIVE', effect: 'write', operation: 'DELETE' }],
  SelectStmt: (s: Node) => reads(s, 'scan'),
  TruncateStmt: (s: { relations?: Node[] }) =>
    (s.relations ?? []).map((r) => ({ table: relationKey(unwrap<RangeVar>(r, 'RangeVar')), mode: 'ACCESS EXCLUSIVE' as const, effect: 'rewrite' as const, operation: 'TRUNCATE', risk: 'rewrite' as const })),
  LockStmt: (s: LockStmt) =>
    (s.relations ?? []).map((r) => ({ table: relationKey(unwrap<RangeVar>(r, 'RangeVar')), mode: LOCK_MODES[(s.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE', effect: 'catalog' as const, operation: 'LOCK TABLE' })),
};

/** ACCESS SHARE on every relation a query reads (except `self`). */
function reads(query: unknown, effect: 'scan' | 'catalog', self?: string): RelationLock[] {
  const tables = [...new Set(findNodes<RangeVar>(query, 'RangeVar').map(relationKey))].filter((t) => t !== self).sort();
  return tables.map((table) => ({ table, mode: 'ACCESS SHARE', effect, operation: effect === 'scan' ? 'reads' : 'referenced by the view' }));
}

function createTable(s: CreateStmt, ctx: AnalysisContext): RelationLock[] {
  const table = relationKey(s.relation);
  const columns = (s.tableElts ?? []).flatMap((e) => {
    const def = unwrap<ColumnDef>(e, 'ColumnDef');
    return def?.colname ? [[def.colname, columnTypeText(def.typeName) ?? '?'] as [string, string]] : [];
  });
  ctx.state.createTable(table, columns);
  const out: RelationLock[] = [{ table, mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'CREATE TABLE' }];
  for (const parent of s.inhRelations ?? []) {
    const key = relationKey(unwrap<RangeVar>(parent, 'RangeVar'));
    out.push(
      s.partbound
        ? { table: key, mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'CREATE TABLE … PARTITION OF (parent)' }
        : { table: key, mode: 'SHARE UPDATE EXCLUSIVE', effect: 'catalog', operation: 'CREATE TABLE … INHERITS (parent)' },
    );
  }
  // FOREIGN KEY / REFERENCES: triggers are added to the referenced table.
  for (const c of findNodes<Constraint>(s.tableElts, 'Constraint')) {
    if (c.contype !== 'CONSTR_FOREIGN') continue;
    const referenced = relationKey(c.pktable);
    if (c.conname) ctx.state.addForeignKey(table, c.conname, referenced);
    if (referenced !== table) out.push({ table: referenced, mode: 'SHARE ROW EXCLUSIVE', effect: 'catalog', operation: 'FOREIGN KEY (referenced)' });
  }
  return out;
}

function alterTable(s: AlterTableStmt, ctx: AnalysisContext): RelationLock[] {
  const target = relationKey(s.relation);
  if (s.objtype === 'OBJECT_INDEX') {
    const table = ctx.state.indexTable(target);
    return [{ table: table ?? target, mode: 'SHARE UPDATE EXCLUSIVE', effect: 'catalog', operation: 'ALTER INDEX' }];
  }
  return alterTableLocks(target, s.cmds ?? [], ctx);
}

function drop(s: DropStmt, ctx: AnalysisContext): RelationLock[] {
  const objects = (s.objects ?? []).map((o) => nameParts(unwrap<{ items?: Node[] }>(o, 'List')?.items));
  switch (s.removeType) {
    case 'OBJECT_TABLE':
      return objects.flatMap((parts) => {
        const table = qualifiedFromParts(parts);
        const referenced = ctx.state.referencedTables(table);
        ctx.state.dropTable(table);
        return [
          { table, mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'DROP TABLE' } as RelationLock,
          ...referenced.map((r): RelationLock => ({ table: r, mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'DROP TABLE (referenced by its foreign keys)' })),
        ];
      });
    case 'OBJECT_INDEX':
      return objects.map((parts) => {
        const index = qualifiedFromParts(parts);
        const table = ctx.state.indexTable(index) ?? index;
        ctx.state.dropIndex(index);
        return s.concurrent
          ? { table, mode: 'SHARE UPDATE EXCLUSIVE', effect: 'catalog', operation: 'DROP INDEX CONCURRENTLY' }
          : { table, mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'DROP INDEX', risk: 'index_drop' };
      });
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
      return objects.map((parts) => ({ table: qualifiedFromParts(parts), mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: s.removeType === 'OBJECT_VIEW' ? 'DROP VIEW' : 'DROP MATERIALIZED VIEW' }));
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY':
      return objects.map((parts) => ({ table: qualifiedFromParts(parts, 1), mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: s.removeType === 'OBJECT_TRIGGER' ? 'DROP TRIGGER' : 'DROP POLICY' }));
    case 'OBJECT_FOREIGN_TABLE':
      return objects.map((parts) => ({ table: qualifiedFromParts(parts), mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'DROP FOREIGN TABLE' }));
    case 'OBJECT_SCHEMA':
      // CASCADE may drop tables the plan does not name.
      return s.behavior === 'DROP_CASCADE' ? [unknown('*', 'DROP SCHEMA … CASCADE')] : [];
    default:
      return [];
  }
}

function rename(s: RenameStmt, ctx: AnalysisContext): RelationLock[] {
  const target = relationKey(s.relation);
  const catalog = (table: string, mode: RelationLock['mode'], operation: string): RelationLock[] => [{ table, mode, effect: 'catalog', operation }];
  switch (s.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const renamed = `${target.split('.')[0]}.${s.newname ?? '?'}`;
      ctx.state.renameTable(target, renamed);
      return catalog(target, 'ACCESS EXCLUSIVE', 'RENAME');
    }
    case 'OBJECT_COLUMN':
      ctx.state.renameColumn(target, s.subname ?? '', s.newname ?? '');
      return catalog(target, 'ACCESS EXCLUSIVE', 'RENAME COLUMN');
    case 'OBJECT_TABCONSTRAINT':
      return catalog(target, 'ACCESS EXCLUSIVE', 'RENAME CONSTRAINT');
    case 'OBJECT_INDEX': {
      // The lock is on the index itself, not on its table.
      ctx.state.renameIndex(target, `${target.split('.')[0]}.${s.newname ?? '?'}`);
      const mode = ctx.version >= SINCE.indexRenameShareUpdate ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
      return catalog(target, mode, 'RENAME INDEX (lock on the index)');
    }
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY':
      return catalog(target, 'ACCESS EXCLUSIVE', s.renameType === 'OBJECT_TRIGGER' ? 'RENAME TRIGGER' : 'RENAME POLICY');
    default:
      return [];
  }
}

/** COMMENT ON a relation, or on one of its columns, constraints, triggers or policies. */
function comment(s: CommentStmt): RelationLock[] {
  const items = nameParts(unwrap<{ items?: Node[] }>(s.object, 'List')?.items);
  const drop: Record<string, number> = { OBJECT_TABLE: 0, OBJECT_VIEW: 0, OBJECT_MATVIEW: 0, OBJECT_INDEX: 0, OBJECT_COLUMN: 1, OBJECT_TABCONSTRAINT: 1, OBJECT_TRIGGER: 1, OBJECT_POLICY: 1 };
  const n = drop[s.objtype ?? ''];
  if (n === undefined || items.length === 0) return [];
  return [{ table: qualifiedFromParts(items, n), mode: 'SHARE UPDATE EXCLUSIVE', effect: 'catalog', operation: 'COMMENT' }];
}

function view(s: ViewStmt, ctx: AnalysisContext): RelationLock[] {
  const name = relationKey(s.view);
  const replaced = s.replace === true && ctx.state.exists(name) && !ctx.state.isNew(name);
  if (!replaced) ctx.state.createTable(name, []);
  return [
    { table: name, mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: replaced ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW' },
    ...reads(s.query, 'catalog', name),
  ];
}

/** ADD CONSTRAINT / SET NOT NULL on a domain checks every column of the type under SHARE. */
function alterDomain(s: AlterDomainStmt, ctx: AnalysisContext): RelationLock[] {
  const validates = s.subtype === 'V' || s.subtype === 'O' || (s.subtype === 'C' && !unwrap<Constraint>(s.def, 'Constraint')?.skip_validation);
  if (!validates) return [];
  const domain = qualifiedFromParts(nameParts(s.typeName));
  return ctx.state.domainUsers(domain).map((table) => ({ table, mode: 'SHARE', effect: 'scan', operation: 'ALTER DOMAIN (checks every column of the domain)', risk: 'scan' }));
}

/** REINDEX builds the index anew under SHARE on the table (writes wait); CONCURRENTLY under SHARE UPDATE EXCLUSIVE. */
function reindex(s: ReindexStmt, ctx: AnalysisContext): RelationLock[] {
  if (s.kind !== 'REINDEX_OBJECT_TABLE' && s.kind !== 'REINDEX_OBJECT_INDEX') return [unknown('*', 'REINDEX SCHEMA/DATABASE/SYSTEM')];
  const target = relationKey(s.relation);
  const table = s.kind === 'REINDEX_OBJECT_INDEX' ? (ctx.state.indexTable(target) ?? target) : target;
  const concurrently = (s.params ?? []).some((p) => unwrap<{ defname?: string }>(p, 'DefElem')?.defname === 'concurrently');
  return concurrently
    ? [{ table, mode: 'SHARE UPDATE EXCLUSIVE', effect: 'scan', operation: 'REINDEX CONCURRENTLY' }]
    : [{ table, mode: 'SHARE', effect: 'scan', operation: 'REINDEX', risk: 'index_build' }];
}
