// An Alembic revision file from a Lockplane plan: upgrade() runs the plan's
// steps, downgrade() its rollback; steps that cannot run in a transaction go
// in autocommit_block().
import { randomBytes } from 'node:crypto';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';
import { pythonDocstring, pythonString } from './python.js';
import { offlineRollback } from './reverse.js';

export interface AlembicRevision {
  message: string;
  revision: string;
  downRevision: string | null;
  createDate: Date;
  plan: Plan;
  /** The rollback plan; without it downgrade() uses each step's reverse, when every step has one. */
  rollback?: Plan;
}

/** A 12-hex-digit id, like Alembic's own. */
export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

/** Alembic's default file name: REV_SLUG.py, the slug from the message. */
export function revisionFileName(revision: string, message: string): string {
  const slug = message.toLowerCase().replace(/\W+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40).replace(/_+$/, '');
  return slug ? `${revision}_${slug}.py` : `${revision}.py`;
}

const INDENT = '    ';

function stepLines(step: PlanStep, number: number): string[] {
  const hazards = step.hazards?.length ? `  [hazards: ${step.hazards.join(', ')}]` : '';
  const comment = `# ${number}. ${step.description}${hazards}`.replace(/[\r\n]+/g, ' ');
  const executes = stepStatements(step).map((sql) => `op.execute(_sql(${pythonString(sql)}))`);
  if (step.transactional !== false) return [comment, ...executes];
  return [comment, 'with op.get_context().autocommit_block():', ...executes.map((line) => INDENT + line)];
}

function body(lines: string[]): string {
  if (lines.length === 0) return `${INDENT}pass`;
  // Continuation lines of a '''…''' literal belong to the string: never indent them.
  return lines.map((line) => INDENT + line).join('\n');
}

function stepsBody(steps: PlanStep[]): string {
  return body(steps.flatMap((step, i) => stepLines(step, i + 1)));
}

function downgradeBody(revision: AlembicRevision): string {
  if (revision.rollback) return stepsBody(revision.rollback.steps);
  const offline = offlineRollback(revision.plan);
  if ('steps' in offline) return stepsBody(offline.steps);
  const { index, description } = offline.missing;
  const message =
    `Lockplane cannot reverse step ${index + 1} (${description}): it carries no reverse SQL. ` +
    'Export again with --rollback ROLLBACK.json (from `lockplane rollback --plan PLAN.json --from DATABASE`), or write this downgrade by hand.';
  return body([`raise NotImplementedError(${pythonString(message)})`]);
}

export function renderAlembicRevision(revision: AlembicRevision): string {
  const header = `${revision.message}\n\nRevision ID: ${revision.revision}\nRevises:${revision.downRevision === null ? '' : ` ${revision.downRevision}`}\nCreate Date: ${revision.createDate.toISOString()}\n\nWritten by lockplane export alembic.`;
  return `${pythonDocstring(header)}
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = ${pythonString(revision.revision)}
down_revision = ${revision.downRevision === null ? 'None' : pythonString(revision.downRevision)}
branch_labels = None
depends_on = None


def _sql(statement: str) -> sa.schema.DDL:
    # DDL runs the SQL as written: unlike text(), it has no :name bind
    # parameters. It formats with %, so a literal % is doubled.
    return sa.schema.DDL(statement.replace('%', '%%'))


def upgrade() -> None:
${stepsBody(revision.plan.steps)}


def downgrade() -> None:
${downgradeBody(revision)}
`;
}
