// Emptying a shadow schema in batches: tables (with their indexes, foreign
// keys, partitions and the views over them) go a hundred per transaction,
// then the schema with what is left.
import assert from 'node:assert/strict';
import { dropSchemaInBatches } from '../../src/shadow/drop-schema.js';
import { serverTest, withServerSession } from '../helpers/databases.js';

serverTest('a schema of 250 tables is dropped in batches, dependents included', () =>
  withServerSession(async (session) => {
    const ddl = ['CREATE SCHEMA big', 'CREATE TABLE big.t0 (id int PRIMARY KEY)'];
    for (let i = 1; i < 250; i++) ddl.push(`CREATE TABLE big.t${i} (id int PRIMARY KEY, prev int REFERENCES big.t${i - 1} (id)); CREATE INDEX ON big.t${i} (prev)`);
    ddl.push('CREATE TABLE big.p (id int) PARTITION BY RANGE (id); CREATE TABLE big.p1 PARTITION OF big.p FOR VALUES FROM (0) TO (10)');
    ddl.push('CREATE VIEW big.v AS SELECT t0.id FROM big.t0 JOIN big.t249 ON t249.prev = t0.id');
    ddl.push("CREATE TYPE big.mood AS ENUM ('ok'); CREATE FUNCTION big.f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    await session.exec(ddl.join(';\n'));
    await dropSchemaInBatches(session, 'big');
    const [left] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'big'`);
    assert.equal(left?.n, 0);
  }),
);
