// The pure parts of the shadow-schema provider: the URL handed to the ORM and
// the renaming of the shadow schema's contents into the managed schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkShadowSchemaName, rehomeSchema, shadowSchemaUrl } from '../../src/shadow/shadow-schema.js';
import type { Schema } from '../../src/schema/types.js';

test('shadowSchemaUrl puts the schema on the search path, replacing any options', () => {
  assert.equal(shadowSchemaUrl('postgresql://u:p@h/db', 'lp_shadow'), 'postgresql://u:p@h/db?options=-csearch_path%3Dlp_shadow');
  assert.equal(
    shadowSchemaUrl('postgresql://h/db?sslmode=disable&options=-cstatement_timeout%3D5', 'lp_shadow'),
    'postgresql://h/db?sslmode=disable&options=-csearch_path%3Dlp_shadow',
  );
});

test('checkShadowSchemaName refuses managed, reserved and odd names', () => {
  assert.throws(() => checkShadowSchemaName('public', []), /a schema the environment uses/);
  assert.throws(() => checkShadowSchemaName('app', ['public', 'app']), /a schema the environment uses/);
  assert.throws(() => checkShadowSchemaName('pg_temp', []), /a schema the environment uses/);
  assert.throws(() => checkShadowSchemaName('Shadow; drop', []), /lower-case name/);
  assert.doesNotThrow(() => checkShadowSchemaName('lockplane_shadow', ['public']));
});

test('rehomeSchema renames the namespace in names and expressions, not in column names', () => {
  const shadow: Schema = {
    schemas: [{ name: 'lp_shadow', comment: 'Lockplane shadow schema' }],
    tables: [
      {
        schema: 'lp_shadow',
        name: 'lp_shadow',
        columns: [
          { name: 'lp_shadow', type: 'integer', nullable: false, default: "nextval('lp_shadow.lp_shadow_id_seq'::regclass)" },
          { name: 'parent', type: 'integer', nullable: true },
        ],
        foreign_keys: [{ name: 'fk', columns: ['parent'], referenced_schema: 'lp_shadow', referenced_table: 'lp_shadow', referenced_columns: ['lp_shadow'] }],
      },
    ],
  };
  const target: Schema = { schemas: [{ name: 'public' }], tables: [] };
  const rehomed = rehomeSchema(shadow, 'lp_shadow', 'public', target);
  assert.deepEqual(rehomed.schemas, [{ name: 'public' }]);
  const table = rehomed.tables[0]!;
  assert.equal(table.schema ?? 'public', 'public');
  assert.equal(table.name, 'lp_shadow');
  assert.equal(table.columns[0]!.name, 'lp_shadow');
  assert.equal(table.columns[0]!.default, "nextval('public.lp_shadow_id_seq'::regclass)");
  assert.equal(table.foreign_keys?.[0]?.referenced_schema ?? 'public', 'public');
  assert.deepEqual(table.foreign_keys?.[0]?.referenced_columns, ['lp_shadow']);
});
