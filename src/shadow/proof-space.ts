// Where a plan is proven: a scratch database (in-memory PGlite or
// SHADOW_DATABASE_URL), where the plan runs as it is; or a shadow schema
// (SHADOW_SCHEMA), where it runs moved into that schema (relocate.ts).
import { introspect } from '../dialects/postgres/introspect.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { renderSchemaDdl } from '../plan/ddl.js';
import type { PgSession } from '../dialects/postgres/session.js';
import type { Plan } from '../plan/types.js';
import type { Schema } from '../schema/types.js';
import { planSchema, relocate, relocateBack } from './relocate.js';
import { checkShadowSchemaName, openSchemaShadow, releaseSchemaShadow, type SchemaShadowOptions } from './schema-shadow.js';
import { openScratch, type ScratchOptions } from './scratch.js';
import { createRoleSql, rolesUsed } from './roles.js';
import { CompiledFilter, filterOf, type SchemaFilter } from '../schema/filter.js';
import { runSeed } from './seed.js';

/** The filter says what the hashes cover (lockplane.toml `schemas`, exclusions, globs). */
export interface ProofSpaceOptions extends ScratchOptions, SchemaFilter {
  /** DDL for objects outside the filter that the schema names (auth.users), run first, best effort; see seed.ts. */
  seed?: readonly string[];
  /** Prove in this shadow schema instead of a scratch database. */
  shadowSchema?: Omit<SchemaShadowOptions, 'touched'>;
}

export interface ProofSpace {
  session: PgSession;
  description: string;
  /** Statements that load the source schema. */
  sourceDdl: string[];
  /** A plan (the forward one, or its rollback) as it runs in the shadow. */
  inShadow(plan: Plan): Plan;
  /** The shadow's schema, as the target would report it. */
  readBack(): Promise<Schema>;
  release(): Promise<void>;
}

export async function openProofSpace(current: Schema, plan: Plan, options: ProofSpaceOptions): Promise<ProofSpace> {
  if (options.shadowSchema) return openSchemaSpace(current, plan, options.shadowSchema, filterOf(options));
  const scratch = await openScratch(options);
  const scope = filterOf(options);
  await runSeed(scratch.session, options.seed);
  return {
    session: scratch.session,
    description: scratch.description,
    sourceDdl: [...rolesUsed(current, plan).map(createRoleSql), ...renderSchemaDdl(current)],
    inShadow: (p) => p,
    readBack: () => introspect(scratch.session, scope),
    release: () => scratch.release(),
  };
}

async function openSchemaSpace(current: Schema, plan: Plan, options: Omit<SchemaShadowOptions, 'touched'>, filter: SchemaFilter): Promise<ProofSpace> {
  checkShadowSchemaName(options.schema);
  const compiled = new CompiledFilter(filter);
  const inScope = (namespace: string): boolean => compiled.namespace(namespace);
  const moved = relocate(current, plan, options.schema, inScope); // refuses before anything is opened
  const session = await openSchemaShadow({ ...options, touched: [planSchema(current, plan, inScope)] });
  const createShadow = `CREATE SCHEMA ${quoteIdent(options.schema)}`;
  return {
    session,
    description: `shadow schema ${options.schema} in ${session.description}`,
    sourceDdl: renderSchemaDdl(moved.current).filter((sql) => sql !== createShadow),
    inShadow: (p) => (p === plan ? moved.plan : relocate(current, p, options.schema, inScope).plan),
    readBack: async () => relocateBack(await introspect(session, { schemas: [options.schema] }), moved.relocation, current.schemas),
    release: () => releaseSchemaShadow(session, options.schema),
  };
}
