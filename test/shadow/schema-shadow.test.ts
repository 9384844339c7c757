// SHADOW_SCHEMA: proving a single-schema plan in a schema of the target's
// own database, moved there; and every refusal that keeps the target safe.
import assert from 'node:assert/strict';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan } from '../../src/plan/index.js';
import type { Plan } from '../../src/plan/types.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Schema } from '../../src/schema/types.js';
import { provePlan } from '../../src/shadow/prove.js';
import { NotRelocatableError } from '../../src/shadow/relocate.js';
import { UnsafeShadowError } from '../../src/shadow/server-shadow.js';
import { serverTest, withServerSession } from '../helpers/databases.js';

const DESIRED_SQL = `
  CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');
  CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, mood mood NOT NULL DEFAULT 'ok', CHECK (email <> ''));
  CREATE TABLE posts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, title text);
  CREATE INDEX posts_author_idx ON posts (author_id) WHERE title IS NOT NULL;
  COMMENT ON TABLE users IS 'people';`;

/** The plan from an empty public schema (plus an old table) to DESIRED_SQL, made on the session's own database. */
async function planOn(session: PgSession): Promise<{ current: Schema; plan: Plan }> {
  await session.exec(DESIRED_SQL);
  const desired = await introspect(session, { schemas: ['public'] });
  await session.exec('DROP TABLE posts, users; DROP TYPE mood; CREATE TABLE old (id int)');
  const current = await introspect(session, { schemas: ['public'] });
  return { current, plan: buildPlan(current, desired) };
}

/** targetSchemas null: the target manages every schema of its database. */
const shadowIn = (url: string, schema = 'lp_shadow', targetSchemas: string[] | null = ['public']) => ({
  schemas: ['public'],
  shadowSchema: { schema, url, targetUrl: url, ...(targetSchemas ? { targetSchemas } : {}) },
});

serverTest('a single-schema plan is proven in a shadow schema of the target database: forward and reverse; the target is untouched', () =>
  withServerSession(async (session, url) => {
    const { current, plan } = await planOn(session);
    assert.ok(plan.steps.length >= 5);
    const proof = await provePlan(current, plan, shadowIn(url));
    assert.equal(proof.reachedTarget, true);
    assert.deepEqual(proof.reverse, { ok: true });
    assert.match(proof.shadow, /shadow schema lp_shadow in /);
    assert.equal(schemaHash(await introspect(session, { schemas: ['public'] })), schemaHash(current), 'the target is untouched');
    const left = await session.query<{ n: number; comment: string }>(
      `SELECT (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'lp_shadow'::regnamespace) AS n, obj_description('lp_shadow'::regnamespace, 'pg_namespace') AS comment`,
    );
    assert.deepEqual(left, [{ n: 0, comment: 'Lockplane shadow schema: its contents are reset at every use' }], 'left empty and marked');
    // A second proof reuses the marked schema.
    assert.equal((await provePlan(current, plan, shadowIn(url))).reachedTarget, true);
  }),
);

serverTest('a shadow schema is refused, touching nothing, when it is the target or unsafe to reset', () =>
  withServerSession(async (session, url) => {
    const { current, plan } = await planOn(session);
    const unsafe = (pattern: RegExp) => (error: unknown) => error instanceof UnsafeShadowError && pattern.test(error.message);
    await assert.rejects(provePlan(current, plan, shadowIn(url, 'lp_shadow', null)), unsafe(/whose every schema Lockplane manages/));
    await assert.rejects(provePlan(current, plan, shadowIn(url, 'app', ['public', 'app'])), unsafe(/is one of the target's schemas/));
    await assert.rejects(provePlan(current, plan, shadowIn(url, 'public')), unsafe(/use a dedicated schema/));
    await session.exec('CREATE SCHEMA busy; CREATE TABLE busy.keep (id int)');
    await assert.rejects(provePlan(current, plan, shadowIn(url, 'busy')), unsafe(/holds objects and is not marked as Lockplane's/));
    assert.equal((await session.query(`SELECT 1 FROM pg_class WHERE oid = 'busy.keep'::regclass`)).length, 1);

    // Marked, but something outside depends on it: a reset would reach outside.
    await provePlan(current, plan, shadowIn(url));
    await session.exec('CREATE TABLE lp_shadow.t (id int); CREATE VIEW public_view AS SELECT * FROM lp_shadow.t');
    await assert.rejects(provePlan(current, plan, shadowIn(url)), unsafe(/objects outside it depend on it \(rule _RETURN on view public\.public_view\)/));
    assert.equal((await session.query(`SELECT 1 FROM pg_class WHERE relname = 'public_view'`)).length, 1);
  }),
);

serverTest('plans that cannot be moved exactly into a shadow schema are refused with the reason', () =>
  withServerSession(async (session, url) => {
    const { current, plan } = await planOn(session);
    const refused = (pattern: RegExp) => (error: unknown) => error instanceof NotRelocatableError && pattern.test(error.message);
    const handWritten: Plan = { steps: [{ description: 'x', sql: 'CREATE TABLE x (id int)' }] };
    await assert.rejects(provePlan(current, handWritten, shadowIn(url)), refused(/has no structured change/));
    const edited: Plan = { ...plan, steps: plan.steps.map((s, i) => (i === 0 ? { ...s, sql: `${String(s.sql)} ` } : s)) };
    await assert.rejects(provePlan(current, edited, shadowIn(url)), refused(/is not what Lockplane renders/));

    await session.exec('CREATE SCHEMA app; CREATE TABLE app.a (id int)');
    const wide = await introspect(session, { schemas: ['public', 'app'] });
    await session.exec('DROP TABLE app.a; CREATE TABLE app.b (id int)');
    const both = buildPlan(await introspect(session, { schemas: ['public', 'app'] }), wide);
    await assert.rejects(provePlan(await introspect(session, { schemas: ['public', 'app'] }), both, shadowIn(url)), refused(/spans several schemas \(app, public\)/));
  }),
);
