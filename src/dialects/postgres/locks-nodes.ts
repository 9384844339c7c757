// Small helpers over libpg-query parse trees for the lock analysis.
import type { ColumnDef, Constraint, Node, TypeName } from 'libpg-query';
import { DEFAULT_NAMESPACE } from '../../schema/types.js';
import { SINCE, VOLATILE_FUNCTIONS } from './locks.js';
import type { RelationState } from './locks-state.js';
import { typeNameParts } from './locks-types.js';

export interface AnalysisContext {
  state: RelationState;
  /** server_version_num of the target. */
  version: number;
}

/** The body of a `{ Kind: body }` node, when it is of that kind. */
export function unwrap<T>(node: unknown, kind: string): T | undefined {
  return node && typeof node === 'object' && kind in node ? ((node as Record<string, unknown>)[kind] as T) : undefined;
}

/** Every `{ kind: body }` node inside a tree, depth first. */
export function findNodes<T>(tree: unknown, kind: string): T[] {
  const out: T[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === kind) out.push(value as T);
      visit(value);
    }
  };
  visit(tree);
  return out;
}

/** The strings of a name list (`[{String: {sval}}]`). */
export function nameParts(items: Node[] | undefined): string[] {
  return (items ?? []).map((n) => unwrap<{ sval?: string }>(n, 'String')?.sval ?? '');
}

/** `schema.name` from a name list of one or two parts (the last part ignored when `drop` is 1). */
export function qualifiedFromParts(parts: string[], drop = 0): string {
  const kept = parts.slice(0, parts.length - drop);
  return kept.length >= 2 ? `${kept[kept.length - 2]}.${kept[kept.length - 1]}` : `${DEFAULT_NAMESPACE}.${kept[0] ?? '?'}`;
}

/** A column type as text close to the catalog's spelling (enough for the type-change rules). */
export function columnTypeText(type: TypeName | undefined): string | undefined {
  const parts = type ? typeNameParts(type) : undefined;
  if (!parts) return undefined;
  return `${parts.name}${parts.mods.length ? `(${parts.mods.join(',')})` : ''}${'[]'.repeat(parts.dims)}`;
}

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** Does ADD COLUMN with this definition fill existing rows one by one (a rewrite)? */
export function defaultRewrites(def: ColumnDef, constraints: Constraint[], ctx: AnalysisContext): boolean {
  const names = nameParts(def.typeName?.names);
  const typeName = names[names.length - 1] ?? '';
  if (SERIAL_TYPES.has(typeName)) return true;
  // A domain with constraints is checked against every row's new value: PG rewrites the table.
  if (ctx.state.isConstrainedDomain(qualifiedFromParts(names))) return true;
  for (const c of constraints) {
    // Identity values and stored generated columns are computed per row.
    if (c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED') return true;
    if (c.contype === 'CONSTR_DEFAULT' && c.raw_expr !== undefined) {
      if (ctx.version < SINCE.fastColumnDefault) return !isNullConstant(c.raw_expr);
      if (isVolatile(c.raw_expr, ctx)) return true;
    }
  }
  return false;
}

function isNullConstant(expr: Node): boolean {
  return unwrap<{ isnull?: boolean }>(expr, 'A_Const')?.isnull === true;
}

/**
 * An expression calls a VOLATILE function: a built-in or common extension
 * function from the known list, or a function of the schema declared
 * without STABLE/IMMUTABLE. Other functions are taken to be built-ins,
 * which are STABLE or IMMUTABLE unless listed.
 */
export function isVolatile(expr: Node, ctx: AnalysisContext): boolean {
  return findNodes<{ funcname?: Node[] }>(expr, 'FuncCall').some((call) => callIsVolatile(nameParts(call.funcname), ctx.state));
}

/** A call of the function named by `parts` (`[name]` or `[schema, name]`) is VOLATILE (see isVolatile). */
export function callIsVolatile(parts: readonly string[], state: Pick<RelationState, 'functionVolatile'>): boolean {
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[0] : undefined;
  if ((schema === undefined || schema === 'pg_catalog') && VOLATILE_FUNCTIONS.has(name)) return true;
  return state.functionVolatile(`${schema ?? DEFAULT_NAMESPACE}.${name}`) === true;
}

const IDENT = '"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*';
/** `name(` or `schema.name(`, outside string literals. */
const CALL = new RegExp(`(?:(${IDENT})\\s*\\.\\s*)?(${IDENT})\\s*\\(`, 'g');
const unquote = (name: string): string => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase());

/**
 * isVolatile for an expression in catalog spelling (a column default as
 * introspected), where no parse tree is at hand: the same rule over the
 * function calls the text makes. String literals are skipped; a type
 * modifier such as `numeric(10,2)` reads as a call of a function the schema
 * does not define, which counts as not volatile, as in isVolatile.
 */
export function expressionIsVolatile(expression: string, state: Pick<RelationState, 'functionVolatile'>): boolean {
  const code = expression.replace(/[Ee]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'/g, "''");
  for (const m of code.matchAll(CALL)) {
    if (callIsVolatile(m[1] === undefined ? [unquote(m[2]!)] : [unquote(m[1]), unquote(m[2]!)], state)) return true;
  }
  return false;
}
