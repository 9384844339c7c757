// The pull-request comment for plans `plan` itself does not make: steps
// outside a transaction, backfills, and a hand-written step without a reverse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planMarkdown } from '../../src/cli/plan-markdown.js';
import type { Plan } from '../../src/plan/types.js';

const plan: Plan = {
  steps: [
    {
      description: 'Create index t_i | concurrently',
      sql: 'CREATE INDEX CONCURRENTLY "t_i" ON "public"."t" ("a")',
      transactional: false,
      reverse: { description: 'Drop index t_i', sql: ['DROP INDEX CONCURRENTLY "public"."t_i"'] },
    },
    { description: 'Hand-written\nbackfill', sql: 'UPDATE t SET a = 1', transactional: false, hazards: ['LP999'] },
  ],
};

test('markdown: non-transactional steps say so; pipes and newlines cannot break the table; unknown codes still listed', () => {
  const md = planMarkdown(plan);
  assert.match(md, /\*\*2 steps\*\* · 1 step with hazards \(LP999\) · 2 outside a transaction/);
  assert.match(md, /\| 1 \| Create index t_i \\\| concurrently \| — \|\n\| 2 \| Hand-written backfill \| LP999 \|/);
  assert.match(md, /```sql\nCREATE INDEX CONCURRENTLY "t_i" ON "public"\."t" \("a"\);\n```\n\nRuns outside a transaction\./);
  assert.match(md, /Hazards:\n- \*\*LP999\*\*\n/);
});

test('markdown: without a reverse for every step the rollback section says which step and what to run', () => {
  const md = planMarkdown(plan);
  assert.match(md, /No rollback from the plan alone: step 2 \(Hand-written backfill\) carries no reverse SQL\.\nCompute one against the database: `lockplane rollback --plan PLAN\.json --from DATABASE_URL`\./);
  const reversible = planMarkdown({ steps: [plan.steps[0]!] });
  assert.match(reversible, /1 step, last change first:\n\n#### 1\. Drop index t_i\n\n```sql\nDROP INDEX CONCURRENTLY "public"\."t_i";\n```\n\nRuns outside a transaction\./);
});

test('markdown: every step lists the locks it takes', () => {
  const md = planMarkdown({
    steps: [
      {
        description: 'Alter column age',
        sql: 'ALTER TABLE "public"."t" ALTER COLUMN "age" TYPE bigint',
        locks: [{ table: 'public.t', mode: 'ACCESS EXCLUSIVE', effect: 'rewrite', operation: 'ALTER COLUMN TYPE', hazards: ['LP110'] }],
      },
    ],
  });
  assert.match(md, /Locks:\n- public\.t: ACCESS EXCLUSIVE, rewrite \(ALTER COLUMN TYPE\) — blocks reads and writes \[LP110\]/);
});
