// The validation report, in the original Lockplane's text format, plus the
// codes, safer alternatives and warnings this implementation adds.
import type { Finding, StepValidation } from './types.js';

export type Allowance = Set<string> | 'all';

export function isAllowed(code: string, allowed: Allowance | undefined): boolean {
  return allowed === 'all' || (allowed !== undefined && allowed.has(code));
}

/** Blocking findings that are not allowed, with their 0-based step index. */
export function blockingFindings(
  results: readonly StepValidation[],
  allowed: Allowance,
): { step: number; finding: Finding }[] {
  return results.flatMap((r) =>
    r.findings.filter((f) => f.blocking && !isAllowed(f.code, allowed)).map((finding) => ({ step: r.step, finding })),
  );
}

function findingLines(f: Finding, allowed: Allowance | undefined): string[] {
  const blocked = f.blocking && !isAllowed(f.code, allowed);
  const icon = blocked ? '✗' : f.severity === 'info' ? 'ℹ' : '⚠';
  const suffix = f.blocking && !blocked ? ' (allowed)' : blocked ? ' (blocking)' : '';
  const lines = [`  ${icon} ${f.code} ${f.message}${suffix}`];
  for (const d of f.details ?? []) lines.push(`    ${d}`);
  if (f.alternative && f.severity !== 'info') lines.push(`    Safer alternative: ${f.alternative}`);
  return lines;
}

export function formatValidationReport(
  results: readonly StepValidation[],
  allowed?: Allowance,
): { text: string; blocked: boolean } {
  const lines = ['=== Validation Results ===', ''];
  let blocked = false;
  const irreversible: number[] = [];
  for (const r of results) {
    const errors = r.findings.filter((f) => f.blocking && !isAllowed(f.code, allowed));
    const pass = errors.length === 0;
    if (!pass) blocked = true;
    if (!r.reversible) irreversible.push(r.step + 1);
    lines.push(`${pass ? '✓' : '✗'} Validation ${r.step + 1}: ${pass ? 'PASS' : 'FAIL'}`);
    for (const e of errors) lines.push(`  Error: ${e.message}`);
    for (const reason of r.reasons) lines.push(`  - ${reason}`);
    lines.push(
      r.reversible
        ? `  - Reversible: ${r.reverseDescription}`
        : `  - Not reversible without data loss (rollback: ${r.reverseDescription})`,
    );
    for (const f of r.findings) lines.push(...findingLines(f, allowed));
    lines.push('');
  }
  lines.push(
    irreversible.length === 0
      ? '✓ All operations are reversible'
      : `⚠ Not all operations are reversible without data loss (step${irreversible.length > 1 ? 's' : ''} ${irreversible.join(', ')})`,
  );
  lines.push(blocked ? '❌ Validation FAILED: Some operations are not safe' : '✓ All validations passed');
  return { text: lines.join('\n'), blocked };
}
