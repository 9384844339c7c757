// `validate`: every problem of a schema or plan file, with positions, instead
// of stopping at the first.
import { formatProblem, type Problem } from './json-schema.js';
import { locateProblems, locatedJsonSchemaProblems, readJsonFile } from './json.js';
import { parseJsonWithPositions, type ParsedJson } from './json-text.js';
import { lineColumnAt } from './position.js';
import { semanticProblems } from './semantic.js';
import type { Schema } from './types.js';

export type { Problem } from './json-schema.js';

export interface ValidationReport {
  file: string;
  valid: boolean;
  problems: Problem[];
}

/** Checks a schema JSON file: syntax, the JSON Schema, then names and references. Throws InputError only when the file cannot be read. */
export function validateSchemaFile(path: string): ValidationReport {
  return validateSchemaText(readJsonFile(path), path);
}

export function validateSchemaText(text: string, file: string): ValidationReport {
  return validateText(text, file, (json) => {
    const problems = locatedJsonSchemaProblems(json, 'schema');
    if (problems.length > 0) return problems;
    // Semantic checks need a structurally valid document.
    return locateProblems(json, semanticProblems(json.value as Schema));
  });
}

export function validatePlanFile(path: string): ValidationReport {
  return validatePlanText(readJsonFile(path), path);
}

export function validatePlanText(text: string, file: string): ValidationReport {
  return validateText(text, file, (json) => locatedJsonSchemaProblems(json, 'plan'));
}

function validateText(text: string, file: string, check: (json: ParsedJson) => Problem[]): ValidationReport {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    const at = lineColumnAt(text.replace(/^\uFEFF/, ''), parsed.error.index);
    return { file, valid: false, problems: [{ path: '', message: `invalid JSON: ${parsed.error.message}`, ...at }] };
  }
  const problems = check(parsed.json);
  return { file, valid: problems.length === 0, problems };
}

/** One line per problem: `FILE:LINE:COL: /pointer message`. */
export function formatReport(report: ValidationReport): string[] {
  return report.problems.map((p) => {
    const where = p.line === undefined ? report.file : `${report.file}:${p.line}:${p.column ?? 1}`;
    return p.path === '' ? `${where}: ${p.message}` : `${where}: ${formatProblem(p)}`;
  });
}
