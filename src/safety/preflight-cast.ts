// Which rows a column type change cannot convert, as a read-only predicate.
// A failing cast aborts a query, so the predicate must never cast a value it
// has not proven convertible: on Postgres 16+ `pg_input_is_valid` tests text
// input without raising; before 16 (and for numbers, whose casts round rather
// than parse) range and pattern tests stand in for the common target types,
// and the rest is reported as not checked.
import { quoteIdent, quoteLiteral } from '../dialects/postgres/quote.js';
import { parseType } from '../dialects/postgres/type-ref.js';
import { classifyTypeChange } from './type-change.js';

export type CastCheck =
  | { kind: 'safe' }
  /** `predicate` is true for a row whose value does not convert; `problem` completes "N rows in T have …". */
  | { kind: 'predicate'; predicate: string; problem: string }
  | { kind: 'unchecked'; reason: string };

export interface CastContext {
  /** server_version_num. */
  version: number;
  /** Labels of the target type when it is an enum. */
  targetEnumLabels?: readonly string[] | undefined;
  /** The source type is a user type (an enum): its values convert through text. */
  sourceIsUserType?: boolean;
}

const INTEGER_RANGE: Record<string, readonly [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};
const STRINGS = new Set(['text', 'character varying', 'character']);
const FLOAT_MAX: Record<string, string> = { real: '3.4028234663852886e38', 'double precision': '1.7976931348623157e308' };
const NUMBERS = new Set([...Object.keys(INTEGER_RANGE), 'numeric', ...Object.keys(FLOAT_MAX)]);

// Patterns of what each input function accepts (Postgres 15), matched against the value as text.
const INTEGER_TEXT = '^\\s*[+-]?[0-9]+\\s*$';
const NUMERIC_TEXT = '^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$';
const FLOAT_TEXT = '^\\s*([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|nan|[+-]?inf|[+-]?infinity)\\s*$';
const BOOLEAN_TEXT = '^\\s*(t|tr|tru|true|f|fa|fal|fals|false|y|ye|yes|n|no|on|of|off|1|0)\\s*$';
const UUID_TEXT = '^([0-9a-f]{4}(-?[0-9a-f]{4}){7}|\\{[0-9a-f]{4}(-?[0-9a-f]{4}){7}\\})$';
const DATE_TEXT = '^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$';

export function castCheck(name: string, from: string, to: string, ctx: CastContext): CastCheck {
  if (classifyTypeChange(from, to) !== 'narrowing') return { kind: 'safe' };
  const column = quoteIdent(name);
  const a = parseType(from);
  const b = parseType(to);
  if (ctx.targetEnumLabels) return enumCheck(name, to, a.dims > 0 || b.dims > 0, ctx.targetEnumLabels);
  if (a.dims > 0 || b.dims > 0) return unchecked(`array type change ${from} → ${to}`);
  if (b.name === 'text' || (b.name === 'character varying' && b.mods.length === 0)) return { kind: 'safe' };
  const text = `${column}::text`;
  const fromString = STRINGS.has(a.name) || ctx.sourceIsUserType === true;
  const problem = `${name} values that do not convert to ${to}`;
  const pred = (predicate: string, note = ''): CastCheck => ({ kind: 'predicate', predicate, problem: problem + note });

  if ((b.name === 'character varying' || b.name === 'character') && b.mods.length === 1) {
    const length = b.mods[0]!;
    return { kind: 'predicate', predicate: `char_length(${fromString ? column : text}) > ${length}`, problem: `${name} longer than ${length} characters (they would be cut)` };
  }
  if (fromString && ctx.version >= 160000) return pred(`NOT pg_input_is_valid(${text}, ${quoteLiteral(to)})`);
  const range = INTEGER_RANGE[b.name];
  if (range) {
    const [min, max] = range;
    if (a.name in INTEGER_RANGE) return pred(`${column} NOT BETWEEN ${min} AND ${max}`);
    // Numbers round to the nearest integer; NaN and infinity compare above every number.
    if (NUMBERS.has(a.name)) return pred(`NOT (${column}::numeric > ${min} - 0.5 AND ${column}::numeric < ${max} + 0.5)`);
    if (fromString) return pred(`CASE WHEN ${text} ~ ${quoteLiteral(INTEGER_TEXT)} THEN ${text}::numeric NOT BETWEEN ${min} AND ${max} ELSE true END`);
  }
  if (b.name === 'numeric') {
    const fits = (value: string): string =>
      b.mods.length === 0 ? 'false' : `NOT (${value} = 'NaN' OR abs(round(${value}, ${b.mods[1] ?? 0})) < 1e${b.mods[0]! - (b.mods[1] ?? 0)})`;
    if (NUMBERS.has(a.name)) return pred(fits(`${column}::numeric`));
    if (fromString) {
      return pred(`CASE WHEN ${text} ~* ${quoteLiteral(NUMERIC_TEXT)} THEN ${fits(`${text}::numeric`)} WHEN ${text} ~* '^\\s*nan\\s*$' THEN false ELSE true END`);
    }
  }
  if (b.name in FLOAT_MAX) {
    if (a.name === 'numeric') return pred(`NOT (${column} = 'NaN' OR abs(${column}) <= ${FLOAT_MAX[b.name]})`);
    if (fromString) return pred(`${text} !~* ${quoteLiteral(FLOAT_TEXT)}`, ' (Postgres < 16: checked by pattern, not range)');
  }
  if (b.name === 'boolean') {
    if (a.name === 'integer') return { kind: 'safe' };
    if (fromString) return pred(`${text} !~* ${quoteLiteral(BOOLEAN_TEXT)}`);
  }
  if (b.name === 'uuid' && fromString) return pred(`${text} !~* ${quoteLiteral(UUID_TEXT)}`);
  if (b.name === 'date') {
    if (a.name.startsWith('timestamp')) return { kind: 'safe' };
    if (fromString) return pred(dateCheck(text), ' (Postgres < 16: only YYYY-MM-DD counts as a date)');
  }
  if (fromString) return unchecked(`${from} → ${to} needs Postgres 16+ (pg_input_is_valid) to check read-only`);
  return unchecked(`no read-only check for ${from} → ${to}`);
}

function unchecked(reason: string): CastCheck {
  return { kind: 'unchecked', reason };
}

/** Not an ISO date, or one that does not exist (2023-02-30). CASE keeps make_date from seeing a bad month. */
function dateCheck(text: string): string {
  const part = (n: number): string => `split_part(btrim(${text}), '-', ${n})::int`;
  return `CASE WHEN ${text} !~ ${quoteLiteral(DATE_TEXT)} THEN true WHEN ${part(1)} < 1 OR ${part(2)} NOT BETWEEN 1 AND 12 THEN true ` +
    `ELSE ${part(3)} NOT BETWEEN 1 AND extract(day FROM make_date(${part(1)}, ${part(2)}, 1) + interval '1 month - 1 day') END`;
}

function enumCheck(name: string, to: string, array: boolean, labels: readonly string[]): CastCheck {
  const column = quoteIdent(name);
  const list = labels.map(quoteLiteral).join(', ');
  const problem = `${name} values that are not labels of ${to}`;
  if (array) {
    const predicate = labels.length === 0 ? `cardinality(${column}::text[]) > 0` : `EXISTS (SELECT 1 FROM unnest(${column}::text[]) AS lp_v(v) WHERE v IS NOT NULL AND v NOT IN (${list}))`;
    return { kind: 'predicate', predicate, problem };
  }
  return { kind: 'predicate', predicate: labels.length === 0 ? `${column} IS NOT NULL` : `${column}::text NOT IN (${list})`, problem };
}
