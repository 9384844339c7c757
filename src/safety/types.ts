// Findings of the safety validation. Codes are stable: users allow them by
// code (`--allow-hazards LP202`) and scripts may match on them.

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  code: string;
  severity: Severity;
  /** One line: what is wrong or risky. */
  message: string;
  /** Further explanation lines. */
  details?: string[];
  /** A safer way to reach the same schema, when there is one. */
  alternative?: string;
  /** Data is lost if the step runs (drops, narrowing). */
  data_loss?: boolean;
  /** The step fails validation unless the code is allowed. */
  blocking: boolean;
}

/** The validation of one plan step. */
export interface StepValidation {
  /** 0-based index of the step in the plan. */
  step: number;
  description: string;
  findings: Finding[];
  /** The step can be undone without losing data. */
  reversible: boolean;
  /** What undoing it does, e.g. "DROP TABLE users". */
  reverseDescription: string;
  /** Why the step is (or is not) safe, e.g. "Table creation is always safe". */
  reasons: string[];
}
