// One introspection through the library, as a separate process so that its
// wall time and peak RSS can be measured. Prints the schema JSON to stdout
// (like `lockplane introspect` does), so the work matches pg_dump's.
// Usage: node bench/introspect/introspect-once.mjs DATABASE_URL
import { connect } from '../../dist/dialects/postgres/session.js';
import { introspect } from '../../dist/dialects/postgres/introspect.js';

const url = process.argv[2];
if (!url) throw new Error('usage: introspect-once.mjs DATABASE_URL');
const session = await connect(url);
try {
  const schema = await introspect(session);
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  process.stderr.write(`tables=${schema.tables.length}\n`);
} finally {
  await session.close();
}
