// ALTER TABLE: the lock, effect and risk of each subcommand. The statement
// takes the strongest lock of its subcommands (AlterTableGetLockLevel).
import type { AlterTableCmd, ColumnDef, Constraint, Node, PartitionCmd, RangeVar, TypeCast } from 'libpg-query';
import { ALTER_TABLE_LOCKS, LIGHT_RELOPTIONS, REWRITING_SUBCOMMANDS, SINCE, type RelationLock } from './locks.js';
import { columnTypeText, defaultRewrites, nameParts, unwrap, type AnalysisContext } from './locks-nodes.js';
import { relationKey } from './locks-state.js';
import { typeChangeKeepsStorage, typeNameParts } from './locks-types.js';
import type { ParsedType } from './type-ref.js';

type Lock = Omit<RelationLock, 'table'> & { table?: string };

const catalog = (mode: RelationLock['mode'], operation: string): Lock => ({ mode, effect: 'catalog', operation });

export function alterTableLocks(table: string, cmds: Node[], ctx: AnalysisContext): RelationLock[] {
  const out: RelationLock[] = [];
  for (const node of cmds) {
    const cmd = unwrap<AlterTableCmd>(node, 'AlterTableCmd');
    for (const { table: other, ...lock } of subcommandLocks(table, cmd ?? {}, ctx)) out.push({ table: other ?? table, ...lock });
  }
  return out;
}

function subcommandLocks(table: string, cmd: AlterTableCmd, ctx: AnalysisContext): Lock[] {
  const subtype = cmd.subtype ?? '';
  const column = cmd.name ?? '';
  switch (subtype) {
    case 'AT_AddColumn':
      return addColumn(table, unwrap<ColumnDef>(cmd.def, 'ColumnDef') ?? {}, ctx);
    case 'AT_DropColumn':
      ctx.state.setColumn(table, column, undefined);
      return [catalog('ACCESS EXCLUSIVE', 'DROP COLUMN')];
    case 'AT_AlterColumnType':
      return [alterType(table, column, unwrap<ColumnDef>(cmd.def, 'ColumnDef') ?? {}, ctx)];
    case 'AT_ColumnDefault':
      return [catalog('ACCESS EXCLUSIVE', cmd.def ? 'SET DEFAULT' : 'DROP DEFAULT')];
    case 'AT_SetNotNull':
      return [setNotNull(table, column, ctx)];
    case 'AT_DropNotNull':
      ctx.state.setNotNull(table, column, false);
      return [catalog('ACCESS EXCLUSIVE', 'DROP NOT NULL')];
    case 'AT_AddConstraint':
      return addConstraint(table, unwrap<Constraint>(cmd.def, 'Constraint') ?? {}, ctx);
    case 'AT_ValidateConstraint': {
      ctx.state.validateConstraint(table, column);
      const referenced = ctx.state.foreignKeyTarget(table, column);
      const own: Lock = { mode: 'SHARE UPDATE EXCLUSIVE', effect: 'scan', operation: 'VALIDATE CONSTRAINT' };
      return referenced ? [own, { table: referenced, mode: 'ROW SHARE', effect: 'scan', operation: 'VALIDATE CONSTRAINT (referenced)' }] : [own];
    }
    case 'AT_DropConstraint': {
      const referenced = ctx.state.foreignKeyTarget(table, column);
      ctx.state.dropConstraint(table, column);
      const own = catalog('ACCESS EXCLUSIVE', 'DROP CONSTRAINT');
      return referenced ? [own, { ...catalog('ACCESS EXCLUSIVE', 'DROP CONSTRAINT (referenced)'), table: referenced }] : [own];
    }
    case 'AT_AttachPartition':
      return attachPartition(unwrap<PartitionCmd>(cmd.def, 'PartitionCmd')?.name, ctx);
    case 'AT_DetachPartition':
      return detachPartition(unwrap<PartitionCmd>(cmd.def, 'PartitionCmd') ?? {}, ctx);
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
      return [catalog(relOptionsLock(cmd.def), subtype === 'AT_SetRelOptions' ? 'SET (storage parameters)' : 'RESET (storage parameters)')];
    default:
      if (REWRITING_SUBCOMMANDS.has(subtype)) return [{ mode: 'ACCESS EXCLUSIVE', effect: 'rewrite', operation: operationName(subtype), risk: 'rewrite' }];
      return [catalog(ALTER_TABLE_LOCKS[subtype] ?? 'ACCESS EXCLUSIVE', operationName(subtype))];
  }
}

/** `AT_EnableRowSecurity` → `ENABLE ROW SECURITY`. */
function operationName(subtype: string): string {
  return subtype
    .replace(/^AT_/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

function addColumn(table: string, def: ColumnDef, ctx: AnalysisContext): Lock[] {
  const type = columnTypeText(def.typeName);
  if (def.colname) ctx.state.setColumn(table, def.colname, type);
  const constraints = (def.constraints ?? []).map((c) => unwrap<Constraint>(c, 'Constraint') ?? {});
  const out: Lock[] = [];
  const rewrite = defaultRewrites(def, constraints, ctx);
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL');
  if (def.colname && (notNull || constraints.some((c) => c.contype === 'CONSTR_PRIMARY'))) ctx.state.setNotNull(table, def.colname, true);
  const hasDefault = constraints.some((c) => c.contype === 'CONSTR_DEFAULT');
  if (rewrite) out.push({ mode: 'ACCESS EXCLUSIVE', effect: 'rewrite', operation: 'ADD COLUMN', risk: 'rewrite' });
  // NOT NULL without a default: the table is checked for rows (it fails on the first one).
  else if (notNull && !hasDefault) out.push({ mode: 'ACCESS EXCLUSIVE', effect: 'scan', operation: 'ADD COLUMN NOT NULL' });
  else out.push(catalog('ACCESS EXCLUSIVE', 'ADD COLUMN'));
  for (const c of constraints) {
    // A foreign key on a column that starts out NULL everywhere holds for every row: Postgres skips its validation.
    if (c.contype === 'CONSTR_FOREIGN') out.push(...addConstraint(table, c, ctx, rewrite || !hasDefault));
    if (c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_CHECK') out.push(...addConstraint(table, c, ctx, rewrite));
  }
  return out;
}

function alterType(table: string, column: string, def: ColumnDef, ctx: AnalysisContext): Lock {
  const from = ctx.state.columnType(table, column);
  const to = def.typeName ? typeNameParts(def.typeName) : undefined;
  if (def.typeName) ctx.state.setColumn(table, column, columnTypeText(def.typeName));
  const using = def.raw_default;
  const usingKeeps = using === undefined || sameColumnRef(using, column) || castToSameType(using, column, to);
  const keeps = from !== undefined && to !== undefined && usingKeeps && typeChangeKeepsStorage(from, to);
  return keeps
    ? { mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'ALTER COLUMN TYPE (binary coercible)' }
    : { mode: 'ACCESS EXCLUSIVE', effect: 'rewrite', operation: 'ALTER COLUMN TYPE', risk: 'rewrite' };
}

function sameColumnRef(node: Node, column: string): boolean {
  const fields = (node as { ColumnRef?: { fields?: { String?: { sval?: string } }[] } }).ColumnRef?.fields;
  return fields?.length === 1 && fields[0]?.String?.sval === column;
}

/** `USING col::newtype`: the same conversion as no USING at all. */
function castToSameType(node: Node, column: string, to: ParsedType | undefined): boolean {
  const cast = unwrap<TypeCast>(node, 'TypeCast');
  const target = cast?.typeName ? typeNameParts(cast.typeName) : undefined;
  if (!cast?.arg || !target || !to) return false;
  return sameColumnRef(cast.arg, column) && target.name === to.name && target.mods.join() === to.mods.join() && target.dims === to.dims;
}

/** Would making these columns NOT NULL need a scan? Not for columns NOT NULL already, nor (PG12+) proven by a valid CHECK. */
function needsNullScan(table: string, columns: string[] | undefined, ctx: AnalysisContext): boolean {
  const checkCounts = ctx.version >= SINCE.notNullFromCheck;
  return columns === undefined || columns.some((c) => !ctx.state.knownNotNull(table, c, checkCounts));
}

function setNotNull(table: string, column: string, ctx: AnalysisContext): Lock {
  const scan = needsNullScan(table, [column], ctx);
  const proven = !scan && ctx.state.provenNotNull(table, column) && !ctx.state.knownNotNull(table, column, false);
  ctx.state.setNotNull(table, column, true);
  if (!scan) return { mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: proven ? 'SET NOT NULL (proven by a valid CHECK)' : 'SET NOT NULL (already NOT NULL)' };
  return { mode: 'ACCESS EXCLUSIVE', effect: 'scan', operation: 'SET NOT NULL', risk: 'scan' };
}

/** `unchecked`: nothing to validate apart from the constraint itself (the statement rewrites the table, which checks it on the way, or the column is new). */
function addConstraint(table: string, c: Constraint, ctx: AnalysisContext, unchecked = false): Lock[] {
  // A table created by the plan has nothing to validate either.
  const validated = !c.skip_validation && !unchecked && !ctx.state.isNew(table);
  switch (c.contype) {
    case 'CONSTR_FOREIGN': {
      const referenced = relationKey(c.pktable as RangeVar | undefined);
      if (c.conname) ctx.state.addForeignKey(table, c.conname, referenced);
      const effect = validated ? 'scan' : 'catalog';
      const risk = validated ? ({ risk: 'scan' } as const) : {};
      return [
        { mode: 'SHARE ROW EXCLUSIVE', effect, operation: c.skip_validation ? 'ADD FOREIGN KEY NOT VALID' : 'ADD FOREIGN KEY', ...risk },
        { table: referenced, mode: 'SHARE ROW EXCLUSIVE', effect, operation: 'ADD FOREIGN KEY (referenced)', ...risk },
      ];
    }
    case 'CONSTR_CHECK': {
      const column = notNullTestColumn(c.raw_expr);
      if (column && c.conname) ctx.state.addNotNullCheck(table, c.conname, column, !c.skip_validation);
      if (!validated) return [catalog('ACCESS EXCLUSIVE', c.skip_validation ? 'ADD CHECK NOT VALID' : 'ADD CHECK')];
      return [{ mode: 'ACCESS EXCLUSIVE', effect: 'scan', operation: 'ADD CHECK', risk: 'scan' }];
    }
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
    case 'CONSTR_EXCLUSION': {
      const kind = c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : c.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'EXCLUDE';
      const schema = table.split('.')[0];
      const columns = c.indexname ? ctx.state.columnsOfIndex(`${schema}.${c.indexname}`) : nameParts(c.keys);
      if (c.indexname) {
        // A primary key makes its columns NOT NULL: a scan unless they are (or are proven) already.
        const scan = c.contype === 'CONSTR_PRIMARY' && needsNullScan(table, columns, ctx);
        if (c.contype === 'CONSTR_PRIMARY') for (const col of columns ?? []) ctx.state.setNotNull(table, col, true);
        return [scan ? { mode: 'ACCESS EXCLUSIVE', effect: 'scan', operation: `ADD ${kind} USING INDEX (sets NOT NULL)`, risk: 'scan' } : catalog('ACCESS EXCLUSIVE', `ADD ${kind} USING INDEX`)];
      }
      if (c.conname) ctx.state.addIndex(`${schema}.${c.conname}`, table, columns);
      if (c.contype === 'CONSTR_PRIMARY') for (const col of columns ?? []) ctx.state.setNotNull(table, col, true);
      return [{ mode: 'ACCESS EXCLUSIVE', effect: 'scan', operation: `ADD ${kind} (builds its index)`, risk: 'index_build' }];
    }
    case 'CONSTR_NOTNULL':
      return c.skip_validation
        ? [catalog('ACCESS EXCLUSIVE', 'ADD NOT NULL NOT VALID')]
        : [{ mode: 'ACCESS EXCLUSIVE', effect: 'scan', operation: 'ADD NOT NULL', risk: 'scan' }];
    default:
      return [{ mode: 'ACCESS EXCLUSIVE', effect: 'unknown', operation: `ADD CONSTRAINT (${c.contype ?? 'unknown'})`, risk: 'unknown' }];
  }
}

function notNullTestColumn(expr: Node | undefined): string | undefined {
  const test = (expr as { NullTest?: { nulltesttype?: string; arg?: Node } } | undefined)?.NullTest;
  if (test?.nulltesttype !== 'IS_NOT_NULL' || !test.arg) return undefined;
  const fields = (test.arg as { ColumnRef?: { fields?: { String?: { sval?: string } }[] } }).ColumnRef?.fields;
  return fields?.length === 1 ? fields[0]?.String?.sval : undefined;
}

function attachPartition(partition: RangeVar | undefined, ctx: AnalysisContext): Lock[] {
  const parentMode = ctx.version >= SINCE.attachShareUpdate ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
  return [
    catalog(parentMode, 'ATTACH PARTITION (parent)'),
    // The partition is scanned to prove its rows fit the bound (skipped when a valid CHECK implies it).
    { table: relationKey(partition), mode: 'ACCESS EXCLUSIVE', effect: 'scan', operation: 'ATTACH PARTITION', risk: 'scan' },
  ];
}

function detachPartition(cmd: PartitionCmd, ctx: AnalysisContext): Lock[] {
  const partition = relationKey(cmd.name);
  if (cmd.concurrent && ctx.version < SINCE.detachConcurrently) {
    return [{ mode: 'ACCESS EXCLUSIVE', effect: 'unknown', operation: 'DETACH PARTITION CONCURRENTLY (needs PostgreSQL 14)', risk: 'unknown' }];
  }
  if (cmd.concurrent) {
    return [
      catalog('SHARE UPDATE EXCLUSIVE', 'DETACH PARTITION CONCURRENTLY (parent)'),
      { ...catalog('SHARE UPDATE EXCLUSIVE', 'DETACH PARTITION CONCURRENTLY'), table: partition },
    ];
  }
  return [catalog('ACCESS EXCLUSIVE', 'DETACH PARTITION (parent)'), { ...catalog('ACCESS EXCLUSIVE', 'DETACH PARTITION'), table: partition }];
}

function relOptionsLock(def: Node | undefined): RelationLock['mode'] {
  const items = (def as { List?: { items?: Node[] } } | undefined)?.List?.items ?? (Array.isArray(def) ? (def as Node[]) : []);
  const names = items.map((i) => {
    const d = (i as { DefElem?: { defname?: string; defnamespace?: string } }).DefElem;
    return d?.defnamespace ? `${d.defnamespace}.${d.defname}` : (d?.defname ?? '');
  });
  const light = names.length > 0 && names.every((n) => LIGHT_RELOPTIONS.has(n) || /^(toast\.)?autovacuum_/.test(n));
  return light ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
}
