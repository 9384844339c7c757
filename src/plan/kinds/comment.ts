// Comments: COMMENT ON … IS '…' / IS NULL, after the object exists.
import { commentSql } from '../../dialects/postgres/render.js';
import { describeTarget } from '../../diff/comment-target.js';
import type { CommentTarget } from '../../schema/types.js';
import { key, noDeps, PHASE, type ChangeHandler } from './handler.js';

function targetKey(target: CommentTarget): string {
  switch (target.kind) {
    case 'schema':
      return key.schema(target.schema);
    case 'table':
      return key.table(target.table);
    case 'column':
      return key.column(target.table, target.column);
    case 'index':
      return key.relation(target.table.schema, target.name);
    case 'constraint':
      return key.constraint(target.table, target.name);
    case 'type':
      return key.type(target.type);
    case 'sequence':
      return target.serial ? key.column(target.serial.table, target.serial.column) : key.table(target.sequence);
    case 'view':
      return key.table(target.view);
    case 'function':
      return key.routine(target.function, target.signature);
    case 'trigger':
      return key.trigger(target.table, target.name);
    case 'policy':
      return key.policy(target.table, target.name);
    case 'extension':
      return key.extension(target.extension);
    case 'domain':
      return key.type(target.domain);
  }
}

function sortKey(target: CommentTarget): string[] {
  switch (target.kind) {
    case 'schema':
      return [target.schema];
    case 'table':
      return [target.table.schema, target.table.name];
    case 'column':
      return [target.table.schema, target.table.name, target.column];
    case 'index':
    case 'constraint':
      return [target.table.schema, target.table.name, target.name];
    case 'type':
      return [target.type.schema, target.type.name];
    case 'sequence':
      return [target.sequence.schema, target.sequence.name];
    case 'view':
      return [target.view.schema, target.view.name];
    case 'function':
      return [target.function.schema, target.function.name, target.signature];
    case 'trigger':
    case 'policy':
      return [target.table.schema, target.table.name, target.name];
    case 'extension':
      return [target.extension];
    case 'domain':
      return [target.domain.schema, target.domain.name];
  }
}

export const setComment: ChangeHandler<'set_comment'> = {
  phase: PHASE.set_comment,
  sortKey: (c) => [c.target.kind, ...sortKey(c.target)],
  describe: (c) => (c.to === undefined ? `Remove comment from ${describeTarget(c.target)}` : `Set comment on ${describeTarget(c.target)}`),
  summary: (c) => `COMMENT ON ${describeTarget(c.target)}`,
  sql: (c) => [commentSql(c.target, c.to)],
  deps: (c) => ({ ...noDeps(), needs: [targetKey(c.target)] }),
};
