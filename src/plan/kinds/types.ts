// Domains and composite types: created before the columns, functions and
// other types that use them; dropped after those are gone.
import {
  alterDomainStatements,
  createCompositeStatements,
  createDomainStatements,
  dropCompositeSql,
  dropDomainSql,
} from '../../dialects/postgres/render.js';
import type { CompositeType, Domain, QualifiedName } from '../../schema/types.js';
import { DEFAULT_NAMESPACE } from '../../schema/types.js';
import { display, expressionTypeKeys, key, noDeps, PHASE, typeKeys, type ChangeHandler, type Deps } from './handler.js';
import { refKeys } from './objects.js';

const nameOf = (o: { schema?: string; name: string }): QualifiedName => ({ schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name });
const sortKey = (o: { schema?: string; name: string }): string[] => [nameOf(o).schema, o.name];

function domainUses(d: Domain): string[] {
  return [key.schema(nameOf(d).schema), ...typeKeys(d.type), ...expressionTypeKeys(d.default), ...refKeys(d.depends_on)];
}

function compositeUses(t: CompositeType): string[] {
  return [key.schema(nameOf(t).schema), ...t.attributes.flatMap((a) => typeKeys(a.type))];
}

function typeDeps(q: QualifiedName, adding: boolean, uses: string[]): Deps {
  const d = noDeps();
  if (adding) {
    d.produces.push(key.type(q), key.relation(q.schema, q.name));
    d.needs.push(...uses);
  } else {
    d.removes.push(key.type(q), key.relation(q.schema, q.name));
    d.releases.push(...uses);
  }
  return d;
}

export const createDomain: ChangeHandler<'create_domain'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.domain),
  describe: (c) => `Create domain ${display(nameOf(c.domain))}`,
  summary: (c) => `CREATE DOMAIN ${display(nameOf(c.domain))}`,
  sql: (c) => createDomainStatements(c.domain),
  deps: (c) => typeDeps(nameOf(c.domain), true, domainUses(c.domain)),
};

export const dropDomain: ChangeHandler<'drop_domain'> = {
  phase: PHASE.drop_enum,
  sortKey: (c) => sortKey(c.domain),
  describe: (c) => `Drop domain ${display(nameOf(c.domain))}`,
  summary: (c) => `DROP DOMAIN ${display(nameOf(c.domain))}`,
  sql: (c) => [dropDomainSql(c.domain)],
  deps: (c) => typeDeps(nameOf(c.domain), false, domainUses(c.domain)),
};

export const alterDomain: ChangeHandler<'alter_domain'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.to),
  describe: (c) => `Alter domain ${display(nameOf(c.to))}`,
  summary: (c) => `ALTER DOMAIN ${display(nameOf(c.to))}`,
  sql: (c) => alterDomainStatements(c.from, c.to),
  deps: (c) => {
    const uses = domainUses(c.to);
    return { ...noDeps(), needs: [key.type(nameOf(c.to)), ...uses], releases: domainUses(c.from).filter((k) => !uses.includes(k)) };
  },
};

export const createComposite: ChangeHandler<'create_composite_type'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.type),
  describe: (c) => `Create composite type ${display(nameOf(c.type))}`,
  summary: (c) => `CREATE TYPE ${display(nameOf(c.type))}`,
  sql: (c) => createCompositeStatements(c.type),
  deps: (c) => typeDeps(nameOf(c.type), true, compositeUses(c.type)),
};

export const dropComposite: ChangeHandler<'drop_composite_type'> = {
  phase: PHASE.drop_enum,
  sortKey: (c) => sortKey(c.type),
  describe: (c) => `Drop composite type ${display(nameOf(c.type))}`,
  summary: (c) => `DROP TYPE ${display(nameOf(c.type))}`,
  sql: (c) => [dropCompositeSql(c.type)],
  deps: (c) => typeDeps(nameOf(c.type), false, compositeUses(c.type)),
};
