// Runs /usr/bin/python3 on a script; the tests that need Python (and Debian's
// SQLAlchemy) skip without it, or fail under CI=true.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export function python(script: string, input = ''): string {
  const run = spawnSync(PYTHON, ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}

function problem(modules: string): string | null {
  const run = spawnSync(PYTHON, ['-c', `import ${modules}`], { encoding: 'utf8' });
  return run.status === 0 ? null : `${PYTHON} cannot import ${modules} (apt-get install python3-alembic python3-sqlalchemy python3-psycopg2)`;
}

/** False (after skipping) when Python lacks the modules; under CI=true a missing module fails the test. */
export function needsPython(t: { skip(message: string): void }, modules: string): boolean {
  const missing = problem(modules);
  if (missing === null) return true;
  if (process.env.CI === 'true') throw new Error(`${missing}. Under CI=true this test must run.`);
  t.skip(missing);
  return false;
}
