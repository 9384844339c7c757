// Namespaces (Postgres schemas).
import { createSchemaStatements, dropSchemaSql } from '../../dialects/postgres/render.js';
import { key, noDeps, PHASE, type ChangeHandler } from './handler.js';

export const createSchema: ChangeHandler<'create_schema'> = {
  phase: PHASE.create_schema,
  sortKey: (c) => [c.schema],
  describe: (c) => `Create schema ${c.schema}`,
  summary: (c) => `CREATE SCHEMA ${c.schema}`,
  sql: (c) => createSchemaStatements(c.schema, c.comment),
  deps: (c) => ({ ...noDeps(), produces: [key.schema(c.schema)] }),
};

export const dropSchema: ChangeHandler<'drop_schema'> = {
  phase: PHASE.drop_schema,
  sortKey: (c) => [c.schema],
  describe: (c) => `Drop schema ${c.schema}`,
  summary: (c) => `DROP SCHEMA ${c.schema}`,
  sql: (c) => [dropSchemaSql(c.schema)],
  deps: (c) => ({ ...noDeps(), removes: [key.schema(c.schema)] }),
};
