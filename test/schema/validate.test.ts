import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import { formatReport, validatePlanFile, validateSchemaFile, validateSchemaText, validatePlanText } from '../../src/schema/validate.js';

const ORIGINAL = fileURLToPath(new URL('../fixtures/original/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lockplane-validate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Problems as `path: message` lines, for exact assertions. */
function problems(doc: unknown): string[] {
  const report = validateSchemaText(JSON.stringify(doc, null, 2), 's.json');
  assert.equal(report.valid, report.problems.length === 0);
  return report.problems.map((p) => `${p.path}: ${p.message}`);
}

const col = (name: string, type = 'integer'): object => ({ name, type, nullable: false });

describe('validateSchemaFile', () => {
  it('passes every original README example', () => {
    for (const file of readdirSync(ORIGINAL)) {
      const path = join(ORIGINAL, file);
      const report = file.endsWith('.plan.json') ? validatePlanFile(path) : validateSchemaFile(path);
      assert.deepEqual(report, { file: path, valid: true, problems: [] });
    }
  });

  it('lists every JSON Schema problem with its line and column', () => {
    const path = join(tmp, 'desired.json');
    writeFileSync(
      path,
      [
        '{',
        '  "tables": [',
        '    {',
        '      "name": "users",',
        '      "columns": [',
        '        {"name": "id", "type": "integer", "nulable": false},',
        '        {"name": "email"},',
        '        {"name": "age", "type": "integer", "default": 5}',
        '      ],',
        '      "indexes": [{"name": "i", "columns": ["id"], "unique": "yes"}]',
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    );
    const report = validateSchemaFile(path);
    assert.equal(report.valid, false);
    assert.deepEqual(formatReport(report), [
      `${path}:6:43: /tables/0/columns/0/nulable is not a known property; did you mean "nullable"?`,
      `${path}:7:9: /tables/0/columns/1/type is required`,
      `${path}:8:44: /tables/0/columns/2/default must be a string or null`,
      `${path}:10:52: /tables/0/indexes/0/unique must be true or false`,
    ]);
  });

  it('reports invalid JSON as one problem with a position', () => {
    const report = validateSchemaText('{\n  "tables": [\n    1\n    2\n  ]\n}', 'bad.json');
    assert.deepEqual(report, {
      file: 'bad.json',
      valid: false,
      problems: [{ path: '', message: "invalid JSON: expected ',' or a closing bracket, found \"2\"", line: 4, column: 5 }],
    });
    assert.deepEqual(formatReport(report), ['bad.json:4:5: invalid JSON: expected \',\' or a closing bracket, found "2"']);
  });

  it('throws only when the file cannot be read', () => {
    assert.throws(() => validateSchemaFile(join(tmp, 'nope.json')), (e: unknown) => e instanceof InputError && e.message === `${join(tmp, 'nope.json')}: no such file or directory`);
  });
});

describe('semantic checks', () => {
  it('finds duplicate tables and columns', () => {
    assert.deepEqual(
      problems({
        tables: [
          { name: 'users', columns: [col('id'), col('id')] },
          { schema: 'public', name: 'users', columns: [col('id')] },
          { schema: 'other', name: 'users', columns: [col('id')] },
        ],
      }),
      ['/tables/0/columns/1: duplicate column id in table public.users', '/tables/1: duplicate table public.users'],
    );
  });

  it('finds key, index and constraint columns that do not exist', () => {
    assert.deepEqual(
      problems({
        tables: [
          {
            name: 't',
            columns: [col('a'), col('b')],
            primary_key: { columns: ['a', 'x'] },
            unique_constraints: [{ name: 't_u', columns: ['y'] }],
            indexes: [
              { name: 't_i', columns: ['b', 'z'], unique: false },
              { name: 't_k', columns: [], unique: false, keys: [{ expression: 'lower(b)' }, { column: 'w' }], include: ['v'] },
            ],
          },
        ],
      }),
      [
        '/tables/0/primary_key/columns/1: primary key column x does not exist in table public.t',
        '/tables/0/unique_constraints/0/columns/0: unique constraint t_u column y does not exist in table public.t',
        '/tables/0/indexes/0/columns/1: index t_i column z does not exist in table public.t',
        '/tables/0/indexes/1/keys/1/column: index t_k column w does not exist in table public.t',
        '/tables/0/indexes/1/include/0: index t_k include column v does not exist in table public.t',
      ],
    );
  });

  it('checks foreign keys: table, columns, referenced columns, arity', () => {
    assert.deepEqual(
      problems({
        tables: [
          { name: 'accounts', columns: [col('id'), col('region')] },
          {
            name: 'posts',
            columns: [col('id'), col('user_id'), col('account_id')],
            foreign_keys: [
              { name: 'posts_user_fk', columns: ['user_id'], referenced_table: 'users', referenced_columns: ['id'] },
              { name: 'posts_account_fk', columns: ['account_id', 'nope'], referenced_table: 'accounts', referenced_columns: ['id'] },
              { name: 'posts_account2_fk', columns: ['account_id'], referenced_schema: 'public', referenced_table: 'accounts', referenced_columns: ['idd'] },
              { name: 'posts_other_fk', columns: ['account_id'], referenced_schema: 'other', referenced_table: 'accounts', referenced_columns: ['id'] },
            ],
          },
        ],
      }),
      [
        '/tables/1/foreign_keys/0: foreign key posts_user_fk references missing table public.users',
        '/tables/1/foreign_keys/1: foreign key posts_account_fk has 2 column(s) but references 1',
        '/tables/1/foreign_keys/1/columns/1: foreign key posts_account_fk column nope does not exist in table public.posts',
        '/tables/1/foreign_keys/2/referenced_columns/0: foreign key posts_account2_fk references missing column public.accounts.idd',
        '/tables/1/foreign_keys/3: foreign key posts_other_fk references missing table other.accounts',
      ],
    );
  });

  it('finds names longer than 63 bytes, counting UTF-8 bytes', () => {
    const ok = 'a'.repeat(63);
    const long = 'é'.repeat(32); // 32 characters, 64 bytes
    assert.deepEqual(
      problems({
        tables: [
          { name: ok, columns: [col(long)] },
          { schema: 'x'.repeat(64), name: 't', columns: [col('id')], indexes: [{ name: long, columns: ['id'], unique: false }] },
        ],
      }),
      [
        `/tables/0/columns/0/name: name ${long} is 64 bytes long; Postgres allows at most 63`,
        `/tables/1/schema: name ${'x'.repeat(64)} is 64 bytes long; Postgres allows at most 63`,
        `/tables/1/indexes/0/name: name ${long} is 64 bytes long; Postgres allows at most 63`,
      ],
    );
  });

  it('finds index names that collide in a schema, and identity/default conflicts', () => {
    assert.deepEqual(
      problems({
        tables: [
          { name: 'a', columns: [{ name: 'id', type: 'integer', default: '1', identity: { generation: 'ALWAYS' } }], indexes: [{ name: 'same', columns: ['id'] }] },
          { name: 'b', columns: [col('id')], unique_constraints: [{ name: 'same', columns: ['id'] }], indexes: [{ name: 'a', columns: ['id'] }] },
        ],
      }),
      [
        '/tables/0/columns/0: column id cannot have both identity and a default',
        '/tables/1/unique_constraints/0/name: unique constraint name public.same is already used by index public.same',
        '/tables/1/indexes/0/name: index name public.a is already used by table public.a',
      ],
    );
  });

  it('points semantic problems at their line', () => {
    const text = '{"tables": [\n  {"name": "t", "columns": [{"name": "a", "type": "int"}],\n   "primary_key": {"columns": ["b"]}}\n]}';
    assert.deepEqual(formatReport(validateSchemaText(text, 's.json')), [
      's.json:3:32: /tables/0/primary_key/columns/0: primary key column b does not exist in table public.t',
    ]);
  });
});

describe('validatePlanFile', () => {
  it('lists every plan problem', () => {
    const report = validatePlanText(
      JSON.stringify({ source_hash: 'ABC', steps: [{ description: '', sql: [] }, { sql: 'x', hazards: 'LP1' }], extra: 1 }, null, 1),
      'p.json',
    );
    assert.deepEqual(
      report.problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`),
      [
        '2:2 /source_hash must be a sha256 hash (64 lowercase hex digits)',
        '5:4 /steps/0/description must not be empty',
        '6:4 /steps/0/sql must not be empty',
        '8:3 /steps/1/description is required',
        '10:4 /steps/1/hazards must be an array',
        '13:2 /extra is not a known property (allowed: $schema, format_version, dialect, source_hash, target_hash, lock_analysis_version, steps, source_objects)',
      ],
    );
  });
});
