// Where each object of a SQL source is defined: the file and line of its
// CREATE statement (and of each column or constraint line inside CREATE
// TABLE), so a report about an object can point at the text that declares it.
import type { DefinitionKind, SourceDefinition } from '../schema/definitions.js';
import type { QualifiedName } from '../schema/types.js';
import { DEFAULT_NAMESPACE } from '../schema/types.js';
import type { NodeBody } from './declarative.js';
import { lineAt, relationOf, type ParsedStatement } from './renames.js';
import { parseSqlText, readText, sqlSourceFiles } from './source.js';
import type { TextIndex } from './text-index.js';


type Node = Record<string, unknown>;

const only = (node: unknown, type: string): Node | undefined => (node as Record<string, Node> | undefined)?.[type];

/** A `List` of `String` nodes (type names, function names) as a qualified name. */
function qualifiedFromNames(names: unknown): QualifiedName | undefined {
  const parts = (Array.isArray(names) ? (names as unknown[]) : []).map((n) => only(n, 'String')?.sval).filter((s): s is string => typeof s === 'string');
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1]!;
  return { schema: parts.length > 1 ? parts[parts.length - 2]! : DEFAULT_NAMESPACE, name };
}

function tableElement(element: unknown, table: QualifiedName, index: TextIndex, file: string): SourceDefinition | undefined {
  const column = only(element, 'ColumnDef');
  if (column && typeof column.location === 'number' && typeof column.colname === 'string') {
    return { kind: 'column', object: table, member: column.colname, file, line: lineAt(index, column.location) };
  }
  const c = only(element, 'Constraint');
  if (c && typeof c.location === 'number' && typeof c.conname === 'string') {
    return { kind: 'constraint', object: table, member: c.conname, file, line: lineAt(index, c.location) };
  }
  return undefined;
}

function statementDefinitions(s: ParsedStatement, index: TextIndex, file: string): SourceDefinition[] {
  const at = (kind: DefinitionKind, object: QualifiedName, member?: string): SourceDefinition => ({ kind, object, ...(member !== undefined ? { member } : {}), file, line: s.line });
  const body: NodeBody = s.body;
  const table = relationOf(body);
  switch (s.kind) {
    case 'CreateStmt': {
      if (!table) return [];
      const elements = ((body.tableElts as unknown[] | undefined) ?? []).map((e) => tableElement(e, table, index, file));
      return [at('table', table), ...elements.filter((d): d is SourceDefinition => d !== undefined)];
    }
    case 'AlterTableStmt': {
      if (!table) return [];
      const cmds = ((body.cmds as unknown[] | undefined) ?? []).map((c) => only(c, 'AlterTableCmd'));
      return cmds.flatMap((c) => {
        const d = c && (c.subtype === 'AT_AddConstraint' || c.subtype === 'AT_AddColumn') ? tableElement(c.def, table, index, file) : undefined;
        return d ? [{ ...d, line: Math.max(d.line, s.line) }] : [];
      });
    }
    case 'IndexStmt':
      return table && typeof body.idxname === 'string' ? [at('index', table, body.idxname)] : [];
    case 'ViewStmt': {
      const view = relationOf({ relation: body.view });
      return view ? [at('table', view)] : [];
    }
    case 'CreateTableAsStmt': {
      const into = body.into as Node | undefined;
      const rel = relationOf({ relation: into?.rel });
      return rel ? [at('table', rel)] : [];
    }
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt': {
      const names = s.kind === 'CreateDomainStmt' ? body.domainname : s.kind === 'CreateEnumStmt' ? body.typeName : undefined;
      const name = qualifiedFromNames(names) ?? relationOf({ relation: body.typevar });
      return name ? [at('type', name)] : [];
    }
    case 'CreateFunctionStmt': {
      const name = qualifiedFromNames(body.funcname);
      return name ? [at('routine', name)] : [];
    }
    case 'CreatePolicyStmt':
      return policyOrTrigger('policy', body.table, body.policy_name);
    case 'CreateTrigStmt':
      return policyOrTrigger('trigger', body.relation, body.trigname);
    default:
      return [];
  }

  function policyOrTrigger(kind: 'policy' | 'trigger', relation: unknown, name: unknown): SourceDefinition[] {
    const on = relationOf({ relation });
    return on && typeof name === 'string' ? [at(kind, on, name)] : [];
  }
}

/** Every definition in a SQL source (a file or a directory of them), in source order. */
export async function sqlDefinitions(path: string): Promise<SourceDefinition[]> {
  const out: SourceDefinition[] = [];
  for (const file of sqlSourceFiles(path)) {
    const { parsed, index } = await parseSqlText(readText(file), file);
    for (const statement of parsed) out.push(...statementDefinitions(statement, index, file));
  }
  return out;
}
