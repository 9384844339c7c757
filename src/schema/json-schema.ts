// The published JSON Schemas (schema-json/*.json), compiled once with ajv,
// and their errors turned into short messages at JSON pointers.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

export interface Problem {
  /** JSON pointer of the offending node, e.g. /tables/0/columns/1/type ("" is the document). */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** `/pointer message` for predicates ("is required", "must be …"), `/pointer: message` for sentences. */
export function formatProblem(problem: Pick<Problem, 'path' | 'message'>): string {
  const path = problem.path === '' ? '/' : problem.path;
  return /^(is|must) /.test(problem.message) ? `${path} ${problem.message}` : `${path}: ${problem.message}`;
}

export type JsonSchemaName = 'schema' | 'plan';

let packageRoot: string | undefined;

/** The package directory (holding schema-json/), found from this module's own location, not the cwd. */
export function lockplanePackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schema-json', 'schema.json'))) {
      packageRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('lockplane: cannot find the package directory holding schema-json/');
    dir = parent;
  }
}

export function jsonSchemaPath(name: JsonSchemaName): string {
  return join(lockplanePackageRoot(), 'schema-json', `${name}.json`);
}

// ajv is CommonJS: its module.exports (what a default import gives under
// NodeNext) has the class as `default` (set by ajv for exactly this interop).
// Required on first use, not imported: compiling ajv costs every command
// ~100 ms at start-up, and only those that read JSON files need it.
type Ajv2020 = typeof ajv2020.default;
const loadAjv2020 = (): Ajv2020 => (createRequire(import.meta.url)('ajv/dist/2020.js') as typeof ajv2020).default;
let ajv: InstanceType<Ajv2020> | undefined;
const validators = new Map<JsonSchemaName, ValidateFunction>();

function validator(name: JsonSchemaName): ValidateFunction {
  const cached = validators.get(name);
  if (cached) return cached;
  ajv ??= new (loadAjv2020())({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const schema = JSON.parse(readFileSync(jsonSchemaPath(name), 'utf8')) as Record<string, unknown>;
  const compiled = ajv.compile(schema);
  validators.set(name, compiled);
  return compiled;
}

/** Every JSON Schema problem of `value`, one per offending node. */
export function jsonSchemaProblems(name: JsonSchemaName, value: unknown): Problem[] {
  const validate = validator(name);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // Errors inside oneOf/anyOf branches explain why each branch failed; the oneOf/anyOf
  // error itself says it better.
  const branches = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const kept = errors.filter(
    (e) => !branches.some((b) => e.instancePath.startsWith(b.instancePath) && e.schemaPath.startsWith(`${b.schemaPath}/`)),
  );
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of kept) {
    const problem = describe(error);
    const key = `${problem.path}\0${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

const A: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  integer: 'an integer',
  number: 'a number',
  null: 'null',
};

function describe(error: ErrorObject): Problem {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${escapeSegment(String(params.missingProperty))}`, message: 'is required' };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties) ?? {});
      const guess = closest(name, known);
      const hint = guess ? `; did you mean "${guess}"?` : known.length ? ` (allowed: ${known.join(', ')})` : '';
      return { path: `${at}/${escapeSegment(name)}`, message: `is not a known property${hint}` };
    }
    case 'type': {
      const types = String(params.type).split(',');
      return { path: at, message: `must be ${types.map((t) => A[t] ?? t).join(' or ')}` };
    }
    case 'enum':
      return { path: at, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'minLength':
      return { path: at, message: 'must not be empty' };
    case 'minItems':
      return { path: at, message: params.limit === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} items` };
    case 'pattern':
      return {
        path: at,
        message: String(params.pattern).includes('a-f0-9')
          ? 'must be a sha256 hash (64 lowercase hex digits)'
          : String(params.pattern).includes('0-9')
            ? 'must be an integer'
            : `must match ${String(params.pattern)}`,
      };
    case 'oneOf':
    case 'anyOf': {
      // Each oneOf/anyOf in our schemas is a choice between required properties: name them.
      const choices = ((error.schema as { required?: string[] }[] | undefined) ?? []).map((b) => b.required?.[0]).filter(Boolean);
      const list = choices.join(' or ');
      return { path: at, message: error.keyword === 'oneOf' ? `must have exactly one of ${list}` : `must have ${list}` };
    }
    default:
      return { path: at, message: error.message ?? `is invalid (${error.keyword})` };
  }
}

function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The known name within edit distance 2 of a typo, if exactly one is nearest. */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
