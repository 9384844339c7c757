// Which statements may appear in a schema file. A schema file declares what
// should exist; statements that change data or remove and rename things belong
// to a migration, which Lockplane computes. pg_dump --schema-only output passes.

/** A parsed statement node's body, typed only as far as we read it. */
export type NodeBody = Record<string, unknown>;

export type Verdict = { allowed: true } | { allowed: false; name: string };

const ALWAYS_ALLOWED = new Set([
  'CreateSchemaStmt',
  'IndexStmt',
  'CommentStmt',
  'CreateSeqStmt',
  'CreateEnumStmt',
  'CreateDomainStmt',
  'CompositeTypeStmt',
  'CreateRangeStmt',
  'CreateExtensionStmt',
  'ViewStmt',
  'CreateFunctionStmt',
  'CreateTrigStmt',
  'CreateEventTrigStmt',
  'CreatePolicyStmt',
  'RuleStmt',
  'DefineStmt',
  'GrantStmt',
  'AlterDefaultPrivilegesStmt',
  'AlterOwnerStmt',
  'VariableSetStmt',
]);

/** ALTER TABLE commands that only add to or describe what CREATE made (what pg_dump writes). */
const ALLOWED_ALTER_TABLE = new Set([
  'AT_AddColumn',
  'AT_AddConstraint',
  'AT_AddIndexConstraint',
  'AT_ColumnDefault', // SET DEFAULT; DROP DEFAULT (no def) is refused below
  'AT_SetNotNull',
  'AT_AddIdentity',
  'AT_ChangeOwner',
  'AT_EnableRowSecurity',
  'AT_DisableRowSecurity',
  'AT_ForceRowSecurity',
  'AT_NoForceRowSecurity',
  'AT_AttachPartition',
  'AT_AddInherit',
  'AT_ReplicaIdentity',
  'AT_ClusterOn',
  'AT_SetStatistics',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_SetOptions',
  'AT_SetRelOptions',
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_DisableTrig',
]);

const ALTER_TABLE_NAMES: Record<string, string> = {
  AT_DropColumn: 'DROP COLUMN',
  AT_DropConstraint: 'DROP CONSTRAINT',
  AT_AlterColumnType: 'ALTER COLUMN TYPE',
  AT_DropNotNull: 'ALTER COLUMN DROP NOT NULL',
  AT_DropIdentity: 'ALTER COLUMN DROP IDENTITY',
  AT_SetIdentity: 'ALTER COLUMN SET (identity option)',
  AT_DropExpression: 'ALTER COLUMN DROP EXPRESSION',
  AT_SetExpression: 'ALTER COLUMN SET EXPRESSION',
  AT_DetachPartition: 'DETACH PARTITION',
  AT_DetachPartitionFinalize: 'DETACH PARTITION FINALIZE',
  AT_DropInherit: 'NO INHERIT',
  AT_ValidateConstraint: 'VALIDATE CONSTRAINT',
  AT_AlterConstraint: 'ALTER CONSTRAINT',
  AT_SetTableSpace: 'SET TABLESPACE',
  AT_SetLogged: 'SET LOGGED',
  AT_SetUnLogged: 'SET UNLOGGED',
  AT_DropCluster: 'SET WITHOUT CLUSTER',
  AT_ResetRelOptions: 'RESET',
  AT_ResetOptions: 'ALTER COLUMN RESET',
  AT_SetAccessMethod: 'SET ACCESS METHOD',
  AT_DisableTrigAll: 'DISABLE TRIGGER ALL',
  AT_DisableTrigUser: 'DISABLE TRIGGER USER',
  AT_EnableTrigAll: 'ENABLE TRIGGER ALL',
  AT_EnableTrigUser: 'ENABLE TRIGGER USER',
};

const STATEMENT_NAMES: Record<string, string> = {
  AlterEnumStmt: 'ALTER TYPE',
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  AlterDatabaseStmt: 'ALTER DATABASE',
  AlterDatabaseSetStmt: 'ALTER DATABASE SET',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  CheckPointStmt: 'CHECKPOINT',
  DiscardStmt: 'DISCARD',
  ExecuteStmt: 'EXECUTE',
  DeallocateStmt: 'DEALLOCATE',
  AlterTSConfigurationStmt: 'ALTER TEXT SEARCH CONFIGURATION',
  AlterFdwStmt: 'ALTER FOREIGN DATA WRAPPER',
  CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER',
  CreatePLangStmt: 'CREATE LANGUAGE',
  PlassignStmt: 'assignment',
};

export function classify(kind: string, body: NodeBody): Verdict {
  if (ALWAYS_ALLOWED.has(kind)) return { allowed: true };
  switch (kind) {
    case 'CreateStmt': {
      const relation = asBody(body.relation);
      if (relation?.relpersistence === 't') return refuse('CREATE TEMPORARY TABLE');
      return { allowed: true };
    }
    case 'CreateTableAsStmt':
      if (body.objtype === 'OBJECT_MATVIEW') return { allowed: true };
      return refuse(body.is_select_into ? 'SELECT INTO' : 'CREATE TABLE AS');
    case 'AlterTableStmt':
      return classifyAlterTable(body);
    case 'AlterSeqStmt':
      return asNodes(body.options).every((o) => asBody(o.DefElem)?.defname === 'owned_by')
        ? { allowed: true }
        : refuse('ALTER SEQUENCE');
    case 'SelectStmt':
      return isSetSearchPath(body) ? { allowed: true } : refuse(body.intoClause ? 'SELECT INTO' : 'SELECT');
    case 'DropStmt':
      return refuse(`DROP ${objectName(body.removeType)}`);
    case 'RenameStmt':
      return refuse(renameName(body));
    case 'TransactionStmt':
      return refuse(transactionName(body.kind));
    case 'VacuumStmt':
      return refuse(body.is_vacuumcmd === true ? 'VACUUM' : 'ANALYZE');
    default:
      return refuse(STATEMENT_NAMES[kind] ?? words(kind.replace(/Stmt$/, '')));
  }
}

function refuse(name: string): Verdict {
  return { allowed: false, name };
}

function classifyAlterTable(body: NodeBody): Verdict {
  const what = `ALTER ${objectName(body.objtype ?? 'OBJECT_TABLE')}`;
  for (const node of asNodes(body.cmds)) {
    const cmd = asBody(node.AlterTableCmd);
    const subtype = typeof cmd?.subtype === 'string' ? cmd.subtype : 'unknown';
    if (subtype === 'AT_ColumnDefault' && cmd?.def === undefined) return refuse(`${what} ALTER COLUMN DROP DEFAULT`);
    if (!ALLOWED_ALTER_TABLE.has(subtype)) {
      return refuse(`${what} ${ALTER_TABLE_NAMES[subtype] ?? words(subtype.replace(/^AT_/, ''))}`);
    }
  }
  return { allowed: true };
}

/** pg_dump's `SELECT pg_catalog.set_config('search_path', '', false);`. */
function isSetSearchPath(body: NodeBody): boolean {
  if (body.fromClause !== undefined || body.intoClause !== undefined || body.whereClause !== undefined) return false;
  const targets = asNodes(body.targetList);
  if (targets.length !== 1) return false;
  const call = asBody(asBody(asBody(targets[0]!.ResTarget)?.val)?.FuncCall);
  const name = asNodes(call?.funcname).map((n) => asBody(n.String)?.sval);
  if (name.join('.') !== 'pg_catalog.set_config' && name.join('.') !== 'set_config') return false;
  const first = asBody(asBody(asNodes(call?.args)[0]?.A_Const)?.sval)?.sval;
  return first === 'search_path';
}

const OBJECT_NAMES: Record<string, string> = {
  MATVIEW: 'MATERIALIZED VIEW',
  TABCONSTRAINT: 'CONSTRAINT',
  DOMCONSTRAINT: 'DOMAIN CONSTRAINT',
  FDW: 'FOREIGN DATA WRAPPER',
  LARGEOBJECT: 'LARGE OBJECT',
  OPCLASS: 'OPERATOR CLASS',
  OPFAMILY: 'OPERATOR FAMILY',
  TSCONFIGURATION: 'TEXT SEARCH CONFIGURATION',
  TSDICTIONARY: 'TEXT SEARCH DICTIONARY',
  TSPARSER: 'TEXT SEARCH PARSER',
  TSTEMPLATE: 'TEXT SEARCH TEMPLATE',
  EVENT_TRIGGER: 'EVENT TRIGGER',
  FOREIGN_SERVER: 'SERVER',
  USER_MAPPING: 'USER MAPPING',
};

function objectName(objectType: unknown): string {
  const raw = typeof objectType === 'string' ? objectType.replace(/^OBJECT_/, '') : 'OBJECT';
  return OBJECT_NAMES[raw] ?? raw.replace(/_/g, ' ');
}

function renameName(body: NodeBody): string {
  const type = body.renameType;
  if (type === 'OBJECT_COLUMN') return `ALTER ${objectName(body.relationType ?? 'OBJECT_TABLE')} RENAME COLUMN`;
  if (type === 'OBJECT_TABCONSTRAINT') return `ALTER ${objectName(body.relationType ?? 'OBJECT_TABLE')} RENAME CONSTRAINT`;
  return `ALTER ${objectName(type)} RENAME`;
}

function transactionName(kind: unknown): string {
  const raw = typeof kind === 'string' ? kind.replace(/^TRANS_STMT_/, '') : 'BEGIN';
  const names: Record<string, string> = {
    START: 'START TRANSACTION',
    ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
    RELEASE: 'RELEASE SAVEPOINT',
    PREPARE: 'PREPARE TRANSACTION',
  };
  return names[raw] ?? raw.replace(/_/g, ' ');
}

/** `AlterEnum` → `ALTER ENUM`. */
function words(camel: string): string {
  return camel
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toUpperCase();
}

function asBody(value: unknown): NodeBody | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as NodeBody) : undefined;
}

function asNodes(value: unknown): NodeBody[] {
  return Array.isArray(value) ? value.filter((v): v is NodeBody => asBody(v) !== undefined) : [];
}
