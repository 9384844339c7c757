// A steady write load on bench_online.items from its own process: N
// connections, each inserting a row and updating a random one in a loop.
// Every statement's latency is measured; on SIGTERM (or after --seconds) it
// prints {writes, failed, maxMs, p99Ms, errors} as one JSON line.
import pg from 'pg';

const url = process.argv[2];
const connections = Number(process.argv[3] ?? 4);
const maxRows = Number(process.argv[4] ?? 1_000_000);
const seconds = Number(process.argv[5] ?? 600);

const latencies = [];
const errors = new Map();
let writes = 0;
let failed = 0;
let running = true;

async function worker(n) {
  const client = new pg.Client({ connectionString: url, application_name: `bench-load-${n}` });
  await client.connect();
  while (running) {
    const insert = Math.random() < 0.5;
    const started = process.hrtime.bigint();
    try {
      if (insert) {
        await client.query(
          `INSERT INTO items (account_id, amount, email, note) VALUES ($1, $2, 'w' || nextval('email_seq'), 'load')`,
          [1 + Math.floor(Math.random() * 1000), Math.floor(Math.random() * 1000)],
        );
      } else {
        await client.query(`UPDATE items SET amount = amount + 1 WHERE id = $1`, [1 + Math.floor(Math.random() * maxRows)]);
      }
      writes++;
    } catch (error) {
      failed++;
      const key = String(error.message).slice(0, 120);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await client.end();
}

function report() {
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  process.stdout.write(
    JSON.stringify({ writes, failed, maxMs: sorted.at(-1) ?? 0, p99Ms: p99, errors: Object.fromEntries(errors) }) + '\n',
  );
}

const workers = Array.from({ length: connections }, (_, n) => worker(n));
const stop = async () => {
  running = false;
  await Promise.allSettled(workers);
  report();
  process.exit(0);
};
process.on('SIGTERM', stop);
setTimeout(stop, seconds * 1000).unref();
process.stdout.write('ready\n');
