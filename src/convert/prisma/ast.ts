// Reading the prisma-ast tree: attributes, their arguments and literal values.
import type { Attribute, AttributeArgument, BlockAttribute, Func, KeyValue, RelationArray, Value } from '@mrleebo/prisma-ast';
import { InputError, LockplaneError } from '../../errors.js';

export type { Attribute, BlockAttribute, Func, Value };

/** Any AST node: the parser attaches `location` to most of them (location tracking is on). */
type Located = object;

function lineOf(node: Located | undefined): number | undefined {
  const line = (node as { location?: { startLine?: unknown } } | undefined)?.location?.startLine;
  return typeof line === 'number' && Number.isFinite(line) ? line : undefined;
}

/** Where problems are reported: the schema file and the line of the node at hand. */
export class Site {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
  ) {}

  static of(file: string, node: Located | undefined): Site {
    return new Site(file, lineOf(node));
  }

  /** A narrower site: the node's own line when it has one. */
  at(node: Located | undefined): Site {
    const line = lineOf(node);
    return line === undefined ? this : new Site(this.file, line);
  }

  private prefix(): string {
    return this.line === undefined ? this.file : `${this.file}:${this.line}`;
  }

  /** Valid Prisma that Lockplane cannot convert: exit 1. */
  unsupported(construct: string, hint = ''): LockplaneError {
    return new LockplaneError(`${this.prefix()}: ${construct} is not supported by lockplane convert${hint ? ` (${hint})` : ''}`);
  }

  /** Not a valid Prisma schema: exit 2. */
  invalid(message: string): InputError {
    return new InputError(`${this.prefix()}: ${message}`);
  }
}

export function isFunc(value: unknown): value is Func {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'function';
}

function isKeyValue(value: unknown): value is KeyValue {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'keyValue';
}

export function isArray(value: unknown): value is RelationArray {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'array';
}

/** Arguments of an attribute or function call, split into positional and named. */
export class Args {
  readonly positional: Value[];
  readonly named: Map<string, Value>;

  constructor(args: readonly (AttributeArgument | Value)[] | undefined) {
    this.positional = [];
    this.named = new Map();
    for (const arg of args ?? []) {
      const value = typeof arg === 'object' && arg !== null && (arg as { type?: unknown }).type === 'attributeArgument' ? (arg as AttributeArgument).value : (arg as Value);
      if (isKeyValue(value)) this.named.set(value.key, value.value);
      else this.positional.push(value as Value);
    }
  }

  /** The argument by name, else at `index` among the positional ones. */
  get(name: string, index?: number): Value | undefined {
    return this.named.get(name) ?? (index === undefined ? undefined : this.positional[index]);
  }

  /** Refuses arguments other than `allowed` (by name) and more positional ones than `maxPositional`. */
  only(site: Site, what: string, allowed: readonly string[], maxPositional: number): void {
    for (const key of this.named.keys()) {
      if (!allowed.includes(key)) throw site.unsupported(`the ${key}: argument of ${what}`);
    }
    if (this.positional.length > maxPositional) throw site.invalid(`${what} takes at most ${maxPositional} unnamed argument${maxPositional === 1 ? '' : 's'}`);
  }
}

/** A Prisma string literal's text, or undefined when the value is not a string literal. */
export function stringLiteral(value: Value | undefined): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('"')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return value.slice(1, -1);
  }
}

export function requireString(site: Site, value: Value | undefined, what: string): string {
  const text = stringLiteral(value);
  if (text === undefined) throw site.invalid(`${what} must be a string literal`);
  return text;
}

/** `[a, b]` (names) as plain strings; `a(sort: Desc)` entries come back as functions. */
export function listItems(site: Site, value: Value | undefined, what: string): (string | Func)[] {
  if (isArray(value)) return (value.args ?? []) as (string | Func)[];
  if (typeof value === 'string' && !value.startsWith('"')) return [value];
  throw site.invalid(`${what} must be a list like [a, b]`);
}

export function attributeLabel(attribute: { name: string; group?: string | undefined; kind: string }): string {
  const at = attribute.kind === 'field' ? '@' : '@@';
  return `${at}${attribute.group ? `${attribute.group}.` : ''}${attribute.name}`;
}
