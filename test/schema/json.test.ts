import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import { jsonSchemaPath, lockplanePackageRoot } from '../../src/schema/json-schema.js';
import { loadPlanJson, loadSchemaJson, parsePlanJson, parseSchemaJson, saveSchemaJson } from '../../src/schema/json.js';
import type { Schema } from '../../src/schema/types.js';
import { validateSchemaText } from '../../src/schema/validate.js';

const ORIGINAL = fileURLToPath(new URL('../fixtures/original/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lockplane-json-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function inputError(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.exitCode, 2);
    return true;
  });
}

describe('original README examples', () => {
  const files = readdirSync(ORIGINAL).sort();
  it('are all present', () => assert.equal(files.length, 8));
  for (const file of files) {
    it(`${file} loads unchanged`, () => {
      if (file.endsWith('.plan.json')) {
        const plan = loadPlanJson(join(ORIGINAL, file));
        assert.ok(plan.steps.length > 0);
        for (const step of plan.steps) assert.equal(typeof step.sql, 'string');
      } else {
        const schema = loadSchemaJson(join(ORIGINAL, file));
        assert.ok(schema.tables.length > 0);
      }
    });
  }
  it('keeps the original fields', () => {
    const schema = loadSchemaJson(join(ORIGINAL, 'users-posts.schema.json'));
    assert.equal(schema.$schema, 'https://raw.githubusercontent.com/zakandrewking/lockplane/main/schema-json/schema.json');
    assert.deepEqual(schema.tables[0]!.columns[0], {
      name: 'id',
      type: 'integer',
      nullable: false,
      default: "nextval('users_id_seq'::regclass)",
      is_primary_key: true,
    });
    assert.deepEqual(schema.tables[1]!.indexes, [{ name: 'idx_posts_user_id', columns: ['user_id'], unique: false }]);
  });
});

describe('parseSchemaJson', () => {
  it('reports a JSON syntax error with line and column', () => {
    inputError(
      () => parseSchemaJson('{\n  "tables": [\n    {"name": "t", "columns": [],},\n  ]\n}\n', 'desired.json'),
      'desired.json:3:32: invalid JSON: trailing comma is not allowed',
    );
    inputError(() => parseSchemaJson('{"tables": [] // no\n}', 'a.json'), 'a.json:1:15: invalid JSON: comments are not allowed in JSON');
    inputError(() => parseSchemaJson('{"tables": [\n', 'a.json'), "a.json:2:1: invalid JSON: unexpected end of input, expected ']'");
    inputError(() => parseSchemaJson('', 'a.json'), 'a.json:1:1: invalid JSON: unexpected end of input');
    inputError(() => parseSchemaJson('{"tables": []} x', 'a.json'), 'a.json:1:16: invalid JSON: unexpected "x"');
  });

  it('counts columns in characters on non-ASCII lines', () => {
    inputError(() => parseSchemaJson('{"tables": [{"name": "ü😀",, }]}', 'a.json'), 'a.json:1:27: invalid JSON: expected a property name in double quotes, found ","');
  });

  it('reports the first schema problem as a JSON pointer', () => {
    const text = JSON.stringify({ tables: [{ name: 't', columns: [{ name: 'a', type: 'int' }, { name: 'b' }] }] });
    inputError(() => parseSchemaJson(text, 'desired.json'), 'desired.json: /tables/0/columns/1/type is required');
    inputError(() => parseSchemaJson('{}', 'd.json'), 'd.json: /tables is required');
    inputError(() => parseSchemaJson('[]', 'd.json'), 'd.json: / must be an object');
  });

  it('reads range types and checks them', () => {
    const range = { name: 'floatrange', subtype: 'double precision', subtype_diff: 'float8mi', multirange_type_name: 'floats' };
    const schema = parseSchemaJson(JSON.stringify({ tables: [], range_types: [range] }), 'd.json');
    assert.deepEqual(schema.range_types, [range]);
    inputError(() => parseSchemaJson(JSON.stringify({ tables: [], range_types: [{ name: 'r' }] }), 'd.json'), 'd.json: /range_types/0/subtype is required');
    // The default multirange name of `span` is span_multirange: an enum of that name collides (`lockplane validate`).
    const clash = { tables: [], types: [{ name: 'span_multirange', values: ['a'] }], range_types: [{ name: 'span', subtype: 'integer' }] };
    assert.deepEqual(
      validateSchemaText(JSON.stringify(clash), 'd.json').problems.map((p) => p.message),
      ['duplicate type public.span_multirange'],
    );
  });

  it('catches typos and wrong values', () => {
    const schema = (column: object): string => JSON.stringify({ tables: [{ name: 't', columns: [column] }] });
    inputError(
      () => parseSchemaJson(schema({ name: 'a', type: 'int', nulable: true }), 'd.json'),
      'd.json: /tables/0/columns/0/nulable is not a known property; did you mean "nullable"?',
    );
    inputError(() => parseSchemaJson(schema({ name: 'a', type: 'int', default: 5 }), 'd.json'), 'd.json: /tables/0/columns/0/default must be a string or null');
    inputError(() => parseSchemaJson(schema({ name: '', type: 'int' }), 'd.json'), 'd.json: /tables/0/columns/0/name must not be empty');
    inputError(
      () => parseSchemaJson(schema({ name: 'a', type: 'int', identity: { generation: 'SOMETIMES' } }), 'd.json'),
      'd.json: /tables/0/columns/0/identity/generation must be one of "ALWAYS", "BY DEFAULT"',
    );
    inputError(
      () => parseSchemaJson(schema({ name: 'a', type: 'int', identity: { generation: 'ALWAYS', start: 'one' } }), 'd.json'),
      'd.json: /tables/0/columns/0/identity/start must be an integer',
    );
    inputError(() => parseSchemaJson('{"tables": [], "tabels": []}', 'd.json'), 'd.json: /tabels is not a known property; did you mean "tables"?');
  });

  it('checks index keys and index columns', () => {
    const table = (index: object): string => JSON.stringify({ tables: [{ name: 't', columns: [{ name: 'a', type: 'text' }], indexes: [index] }] });
    inputError(
      () => parseSchemaJson(table({ name: 'i', keys: [{ column: 'a', expression: 'lower(a)' }] }), 'd.json'),
      'd.json: /tables/0/indexes/0/keys/0 must have exactly one of column or expression',
    );
    inputError(() => parseSchemaJson(table({ name: 'i', keys: [{ order: 'DESC' }] }), 'd.json'), 'd.json: /tables/0/indexes/0/keys/0 must have exactly one of column or expression');
    inputError(() => parseSchemaJson(table({ name: 'i' }), 'd.json'), 'd.json: /tables/0/indexes/0 must have columns or keys');
  });

  it('accepts any identifier and fills what the JSON may omit', () => {
    const text = JSON.stringify({
      tables: [
        {
          schema: 'Sales Dept',
          name: 'Ünïcode Table-1',
          columns: [
            { name: 'id', type: 'bigint', identity: { generation: 'BY DEFAULT', start: 1, cache: '10' } },
            { name: 'Note', type: 'text', default: null },
          ],
          indexes: [{ name: 'by lower note', keys: [{ expression: 'lower("Note")' }, { column: 'id', order: 'DESC' }] }],
        },
      ],
    });
    const schema = parseSchemaJson(text, 'd.json');
    const table = schema.tables[0]!;
    assert.equal(table.name, 'Ünïcode Table-1');
    assert.deepEqual(table.columns, [
      { name: 'id', type: 'bigint', nullable: true, identity: { generation: 'BY DEFAULT', start: '1', cache: '10' } },
      { name: 'Note', type: 'text', nullable: true },
    ]);
    assert.deepEqual(table.indexes, [
      { name: 'by lower note', columns: ['id'], unique: false, keys: [{ expression: 'lower("Note")' }, { column: 'id', order: 'DESC' }] },
    ]);
  });

  it('loadSchemaJson reports a missing file', () => {
    inputError(() => loadSchemaJson(join(tmp, 'missing.json')), `${join(tmp, 'missing.json')}: no such file or directory`);
    inputError(() => loadSchemaJson(tmp), `${tmp}: is a directory, expected a JSON file`);
  });

  it('finds the JSON Schemas from any working directory', () => {
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      assert.equal(lockplanePackageRoot(), fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, ''));
      const file = join(tmp, 'x.json');
      writeFileSync(file, '{"tables": []}');
      assert.deepEqual(loadSchemaJson(file), { tables: [] });
      assert.ok(jsonSchemaPath('plan').endsWith(join('schema-json', 'plan.json')));
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('saveSchemaJson', () => {
  const full: Schema = {
    $schema: 'https://raw.githubusercontent.com/zakandrewking/lockplane/main/schema-json/schema.json',
    dialect: 'postgres',
    schemas: [{ name: 'app' }],
    tables: [
      {
        schema: 'app',
        name: 'users',
        columns: [
          { name: 'id', type: 'bigint', nullable: false, is_primary_key: true, identity: { generation: 'ALWAYS', start: '100', increment: '2', min_value: '1', max_value: '9223372036854775807', cache: '5', cycle: true } },
          { name: 'email', type: 'character varying(255)', nullable: false, collation: 'C' },
          { name: 'email_lower', type: 'text', nullable: true, generated: { expression: 'lower((email)::text)' } },
          { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        ],
        primary_key: { name: 'users_pk', columns: ['id'] },
        unique_constraints: [{ name: 'users_email_key', columns: ['email'], nulls_not_distinct: true, deferrable: true, initially_deferred: true }],
        check_constraints: [{ name: 'email_has_at', expression: "(email)::text ~~ '%@%'::text", no_inherit: true }],
        indexes: [
          {
            name: 'users_lower_idx',
            columns: [],
            unique: true,
            keys: [{ expression: 'lower((email)::text)', collation: 'C', opclass: 'text_pattern_ops', order: 'DESC', nulls: 'LAST' }],
            method: 'btree',
            where: 'created_at IS NOT NULL',
            include: ['id'],
            nulls_not_distinct: true,
            with: ['fillfactor=90'],
          },
        ],
        foreign_keys: [
          {
            name: 'users_self_fk',
            columns: ['id'],
            referenced_schema: 'app',
            referenced_table: 'users',
            referenced_columns: ['id'],
            on_delete: 'CASCADE',
            on_update: 'SET NULL',
            match: 'FULL',
            deferrable: true,
            initially_deferred: true,
          },
        ],
      },
    ],
  };

  it('round-trips every field', () => {
    const text = saveSchemaJson(full);
    assert.ok(text.endsWith('}\n'));
    assert.ok(text.includes('\n  "tables": [\n'));
    assert.deepEqual(parseSchemaJson(text, 'saved.json'), full);
    assert.equal(saveSchemaJson(parseSchemaJson(text, 'saved.json')), text);
  });

  it('writes keys in the original order whatever order they came in', () => {
    const scrambled: Schema = {
      tables: [{ columns: [{ is_primary_key: true, nullable: false, type: 'integer', name: 'id' }], name: 't', schema: 'public' }],
    };
    const saved = JSON.parse(saveSchemaJson(scrambled)) as { tables: [{ columns: object[] }] };
    assert.deepEqual(Object.keys(saved.tables[0]), ['schema', 'name', 'columns']);
    assert.deepEqual(Object.keys(saved.tables[0].columns[0]!), ['name', 'type', 'nullable', 'is_primary_key']);
  });

  it('saves the README examples back to equal JSON', () => {
    for (const file of readdirSync(ORIGINAL).filter((f) => f.endsWith('.schema.json'))) {
      const schema = loadSchemaJson(join(ORIGINAL, file));
      assert.deepEqual(parseSchemaJson(saveSchemaJson(schema), file), schema);
    }
  });
});

describe('parsePlanJson', () => {
  it('accepts the original minimal form and the full form', () => {
    assert.deepEqual(parsePlanJson('{"steps":[{"description":"d","sql":"SELECT 1"}]}', 'p.json').steps.length, 1);
    assert.deepEqual(parsePlanJson('{"steps":[]}', 'p.json'), { steps: [] });
    const full = {
      $schema: 'https://raw.githubusercontent.com/zakandrewking/lockplane/main/schema-json/plan.json',
      format_version: 1,
      dialect: 'postgres',
      source_hash: 'a'.repeat(64),
      target_hash: '0123456789abcdef'.repeat(4),
      steps: [
        {
          description: 'Create index',
          sql: ['SET lock_timeout = 0', 'CREATE INDEX CONCURRENTLY i ON t (a)'],
          hazards: ['LP101'],
          transactional: false,
          reverse: { description: 'Drop index', sql: ['DROP INDEX CONCURRENTLY i'] },
          change: { kind: 'create_index', table: { schema: 'public', name: 't' } },
        },
      ],
    };
    assert.deepEqual(parsePlanJson(JSON.stringify(full), 'p.json'), full);
  });

  it('reports plan problems', () => {
    inputError(() => parsePlanJson('{"steps":[{"description":"d","sql":""}]}', 'p.json'), 'p.json: /steps/0/sql must not be empty');
    inputError(() => parsePlanJson('{"steps":[{"description":"d","sql":[]}]}', 'p.json'), 'p.json: /steps/0/sql must not be empty');
    inputError(() => parsePlanJson('{"steps":[{"sql":"x"}]}', 'p.json'), 'p.json: /steps/0/description is required');
    inputError(() => parsePlanJson('{"steps":[], "source_hash": "abc"}', 'p.json'), 'p.json: /source_hash must be a sha256 hash (64 lowercase hex digits)');
    inputError(() => parsePlanJson('{"steps":[{"description":"d","sql":"x","change":{}}]}', 'p.json'), 'p.json: /steps/0/change/kind is required');
    inputError(() => parsePlanJson('{"steps":[{"description":"d","sql":5}]}', 'p.json'), 'p.json: /steps/0/sql must be a string or an array');
    inputError(() => loadPlanJson(join(tmp, 'nope.json')), `${join(tmp, 'nope.json')}: no such file or directory`);
  });
});
