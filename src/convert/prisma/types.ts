// Column types: Prisma scalar types and @db.* native types → Postgres types,
// spelled as the catalog prints them (format_type).
import { Args, attributeLabel, type Attribute, type Site } from './ast.js';

export const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

type Render = (params: number[]) => string;

interface NativeType {
  /** The Prisma scalar types it may annotate. */
  scalars: readonly string[];
  /** How many numeric arguments it takes (at most). */
  arity: number;
  render: Render;
}

const fixed = (type: string): Render => () => type;
const sized = (name: string, suffix = ''): Render => (p) => (p.length ? `${name}(${p.join(',')})${suffix}` : `${name}${suffix}`);

const NATIVE_TYPES: Record<string, NativeType> = {
  Text: { scalars: ['String'], arity: 0, render: fixed('text') },
  Char: { scalars: ['String'], arity: 1, render: (p) => `character(${p[0] ?? 1})` },
  VarChar: { scalars: ['String'], arity: 1, render: sized('character varying') },
  Bit: { scalars: ['String'], arity: 1, render: (p) => `bit(${p[0] ?? 1})` },
  VarBit: { scalars: ['String'], arity: 1, render: sized('bit varying') },
  Uuid: { scalars: ['String'], arity: 0, render: fixed('uuid') },
  Xml: { scalars: ['String'], arity: 0, render: fixed('xml') },
  Inet: { scalars: ['String'], arity: 0, render: fixed('inet') },
  Citext: { scalars: ['String'], arity: 0, render: fixed('citext') },
  Boolean: { scalars: ['Boolean'], arity: 0, render: fixed('boolean') },
  Integer: { scalars: ['Int'], arity: 0, render: fixed('integer') },
  SmallInt: { scalars: ['Int'], arity: 0, render: fixed('smallint') },
  Oid: { scalars: ['Int'], arity: 0, render: fixed('oid') },
  BigInt: { scalars: ['BigInt'], arity: 0, render: fixed('bigint') },
  DoublePrecision: { scalars: ['Float'], arity: 0, render: fixed('double precision') },
  Real: { scalars: ['Float'], arity: 0, render: fixed('real') },
  Decimal: { scalars: ['Decimal'], arity: 2, render: sized('numeric') },
  Money: { scalars: ['Decimal'], arity: 0, render: fixed('money') },
  Timestamp: { scalars: ['DateTime'], arity: 1, render: sized('timestamp', ' without time zone') },
  Timestamptz: { scalars: ['DateTime'], arity: 1, render: sized('timestamp', ' with time zone') },
  Date: { scalars: ['DateTime'], arity: 0, render: fixed('date') },
  Time: { scalars: ['DateTime'], arity: 1, render: sized('time', ' without time zone') },
  Timetz: { scalars: ['DateTime'], arity: 1, render: sized('time', ' with time zone') },
  Json: { scalars: ['Json'], arity: 0, render: fixed('json') },
  JsonB: { scalars: ['Json'], arity: 0, render: fixed('jsonb') },
  ByteA: { scalars: ['Bytes'], arity: 0, render: fixed('bytea') },
};

/** The Postgres type of a `@db.X(…)` attribute on a field of Prisma type `scalar`. */
export function nativeType(site: Site, scalar: string, attribute: Attribute): string {
  const label = attributeLabel(attribute);
  const native = NATIVE_TYPES[attribute.name];
  if (!native) throw site.unsupported(label, 'not a PostgreSQL native type Lockplane knows');
  if (!native.scalars.includes(scalar)) throw site.invalid(`${label} cannot be used on a field of type ${scalar}`);
  const args = new Args(attribute.args);
  if (args.named.size > 0 || args.positional.length > native.arity) throw site.invalid(`${label} takes ${native.arity ? `at most ${native.arity} numeric arguments` : 'no arguments'}`);
  const params = args.positional.map((value) => {
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number)) throw site.invalid(`${label}: ${JSON.stringify(value)} is not a whole number`);
    return number;
  });
  return native.render(params);
}

/** The serial pseudo-type Prisma Migrate writes for `@default(autoincrement())` on a column of `type`. */
export function serialType(type: string): string | undefined {
  return { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' }[type];
}
