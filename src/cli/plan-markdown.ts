// A plan as a pull-request comment: a summary, every step with its SQL and
// hazards, and the rollback (each step's reverse, last first).
import { offlineRollback } from '../export/reverse.js';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';
import { hazardInfo } from '../safety/registry.js';
import { lockLines } from './lock-lines.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A fence longer than any run of backticks in the text, so SQL cannot close it. */
function fenced(lang: string, text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Text safe inside a table cell or a heading: one line, no table pipes. */
function inline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '\\|');
}

function hazardLine(code: string): string {
  const info = hazardInfo(code);
  if (!info) return `- **${code}**`;
  const loss = info.data_loss ? ' — deletes data' : '';
  const alternative = info.alternative ? ` Safer: ${info.alternative}.` : '';
  return `- **${code}** ${info.title} (${info.severity}${info.blocking ? ', blocks validation' : ''}${loss}).${alternative}`;
}

function stepSection(step: PlanStep, number: number): string {
  const parts = [`#### ${number}. ${inline(step.description)}`, '', fenced('sql', stepStatements(step).map((s) => `${s};`).join('\n'))];
  if (step.transactional === false) parts.push('', step.backfill ? 'Runs outside a transaction, in batches by primary key.' : 'Runs outside a transaction.');
  if (step.hazards?.length) parts.push('', 'Hazards:', ...step.hazards.map(hazardLine));
  const locks = lockLines(step);
  if (locks.length) parts.push('', 'Locks:', ...locks.map((l) => `- ${inline(l.replace(/^lock /, ''))}`));
  return parts.join('\n');
}

function summary(plan: Plan): string[] {
  const hazardous = plan.steps.filter((s) => s.hazards?.length);
  const codes = [...new Set(hazardous.flatMap((s) => s.hazards ?? []))].sort();
  const outside = plan.steps.filter((s) => s.transactional === false).length;
  const facts = [`**${plural(plan.steps.length, 'step')}**`];
  facts.push(hazardous.length ? `${plural(hazardous.length, 'step')} with hazards (${codes.join(', ')})` : 'no hazards');
  if (outside) facts.push(`${outside} outside a transaction`);
  const lines = [facts.join(' · ')];
  if (plan.source_hash) lines.push('', `Source \`${plan.source_hash}\` → target \`${plan.target_hash ?? 'unknown'}\``);
  lines.push('', '| # | Step | Hazards |', '|---|---|---|');
  plan.steps.forEach((s, i) => lines.push(`| ${i + 1} | ${inline(s.description)} | ${s.hazards?.join(', ') ?? '—'} |`));
  return lines;
}

function rollbackSection(plan: Plan): string[] {
  const rollback = offlineRollback(plan);
  if ('missing' in rollback) {
    const { index, description } = rollback.missing;
    return [
      `No rollback from the plan alone: step ${index + 1} (${inline(description)}) carries no reverse SQL.`,
      'Compute one against the database: `lockplane rollback --plan PLAN.json --from DATABASE_URL`.',
    ];
  }
  if (rollback.steps.length === 0) return ['Nothing to undo.'];
  return [`${plural(rollback.steps.length, 'step')}, last change first:`, '', ...rollback.steps.map((s, i) => stepSection(s, i + 1)).join('\n\n').split('\n')];
}

export function planMarkdown(plan: Plan): string {
  if (plan.steps.length === 0) return '### Lockplane plan: no changes\n\nThe database matches the schema.\n';
  const lines = [`### Lockplane plan: ${plural(plan.steps.length, 'step')} pending`, '', ...summary(plan), '', '### Steps', ''];
  lines.push(plan.steps.map((s, i) => stepSection(s, i + 1)).join('\n\n'), '', '<details><summary>Rollback</summary>', '', ...rollbackSection(plan), '', '</details>');
  return `${lines.join('\n')}\n`;
}
