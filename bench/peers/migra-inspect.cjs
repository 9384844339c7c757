// migra's inspection alone: @pgkit/schemainspect (what `migra A B` runs on
// each side) reads one database and prints the inspected schema as JSON.
// Usage: node bench/peers/migra-inspect.cjs DATABASE_URL
const { createClient } = require('@pgkit/client');
const { get_inspector } = require('@pgkit/schemainspect');

async function main() {
  const url = process.argv[2];
  if (!url) throw new Error('usage: migra-inspect.cjs DATABASE_URL');
  const client = createClient(url);
  try {
    const inspected = await get_inspector(client);
    process.stdout.write(`${JSON.stringify(inspected)}\n`);
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
