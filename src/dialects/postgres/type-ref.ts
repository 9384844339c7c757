// Which user type a column's type names. The catalog spells a user type
// schema-qualified (introspection runs with only pg_catalog on the path), with
// each part quoted only when it must be: `public.mood`, `"My S"."Mood"[]`.
import type { QualifiedName } from '../../schema/types.js';
import { parseRegclassText } from './render/sequence.js';

/** The qualified type a column type names, with or without `[]`; undefined for built-in (unqualified) types. */
export function typeReference(type: string): QualifiedName | undefined {
  const base = type.endsWith('[]') ? type.slice(0, -2) : type;
  if (!base.includes('.')) return undefined;
  const parts = parseRegclassText(base);
  return parts?.length === 2 ? { schema: parts[0]!, name: parts[1]! } : undefined;
}

/** The column type names exactly this type (or an array of it). */
export function usesType(type: string, q: QualifiedName): boolean {
  const ref = typeReference(type);
  return ref !== undefined && ref.schema === q.schema && ref.name === q.name;
}

const PART = '(?:"(?:[^"]|"")*"|[A-Za-z_\\u0080-\\uffff][A-Za-z0-9_$\\u0080-\\uffff]*)';
const CAST = new RegExp(`::(${PART}\\.${PART})`, 'g');

/** The qualified types an expression casts to (`'a'::public.mood`), as the catalog spells them. */
export function expressionTypes(text: string): QualifiedName[] {
  const out: QualifiedName[] = [];
  for (const m of text.matchAll(CAST)) {
    const ref = typeReference(m[1]!);
    if (ref) out.push(ref);
  }
  return out;
}

/** A type in catalog spelling split into its name, modifiers and array dimensions. */
export interface ParsedType {
  name: string;
  mods: number[];
  dims: number;
}

export function parseType(type: string): ParsedType {
  let rest = type.trim();
  let dims = 0;
  while (rest.endsWith('[]')) {
    dims += 1;
    rest = rest.slice(0, -2).trimEnd();
  }
  const m = /^(.*?)\(([^)]*)\)(.*)$/.exec(rest);
  if (!m) return { name: rest, mods: [], dims };
  const mods = m[2]!.split(',').map((s) => Number(s.trim()));
  const name = `${m[1]!.trim()} ${m[3]!.trim()}`.trim();
  return { name, mods: mods.every(Number.isFinite) ? mods : [], dims };
}
