// `plan --output github`: a GitHub Actions workflow command per hazard
// (::error / ::warning / ::notice), pointing at the file and line of the
// schema source that declares the object, then the plan as text for the log.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { isAbsolute, relative } from 'node:path';
import type { Plan } from '../plan/types.js';
import type { StepLocator } from '../plan/source-locator.js';
import { hazardInfo } from '../safety/registry.js';
import { isAllowed, type Allowance } from '../safety/report.js';
import type { Finding, StepValidation } from '../safety/types.js';
import { planText } from './plan-output.js';

type Level = 'error' | 'warning' | 'notice';

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function level(f: Pick<Finding, 'blocking' | 'severity' | 'code'>, allowed: Allowance | undefined): Level {
  if (f.blocking && !isAllowed(f.code, allowed)) return 'error';
  return f.severity === 'info' ? 'notice' : 'warning';
}

export function workflowCommand(lvl: Level, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${lvl}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** The findings of each step, plus any hazard code on the step (lock hazards) no finding reports. */
function stepFindings(plan: Plan, validations: readonly StepValidation[]): Finding[][] {
  return plan.steps.map((step, i) => {
    const findings = [...(validations[i]?.findings ?? [])];
    for (const code of step.hazards ?? []) {
      if (findings.some((f) => f.code === code)) continue;
      const info = hazardInfo(code);
      if (!info) continue;
      findings.push({ code, severity: info.severity, message: info.title, blocking: info.blocking, ...(info.alternative ? { alternative: info.alternative } : {}) });
    }
    return findings;
  });
}

export function planGithub(plan: Plan, validations: readonly StepValidation[], locate: StepLocator, allowed?: Allowance): string {
  const lines: string[] = [];
  stepFindings(plan, validations).forEach((findings, i) => {
    const step = plan.steps[i]!;
    const at = locate(step);
    const file = at ? (isAbsolute(at.file) ? relative(process.cwd(), at.file) : at.file) : undefined;
    for (const f of findings) {
      const safer = f.alternative ? ` Safer: ${f.alternative}.` : '';
      const message = `Step ${i + 1} (${step.description}): ${f.message.replace(/\.$/, '')}.${safer}`;
      lines.push(workflowCommand(level(f, allowed), { file, line: at?.line, title: `Lockplane ${f.code}` }, message));
    }
  });
  return `${lines.map((l) => `${l}\n`).join('')}${planText(plan)}`;
}
