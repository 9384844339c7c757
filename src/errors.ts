// Errors that reach the user: one line, a documented exit code, no secrets.

export const ExitCode = {
  ok: 0,
  runtime: 1,
  badInput: 2,
  blocked: 3,
  /** `plan --check`: the database does not match the schema yet. */
  pending: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class LockplaneError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.runtime,
    options?: { cause?: unknown },
  ) {
    super(redact(message), options);
    this.name = 'LockplaneError';
  }
}

/** Bad input or usage: exit 2. */
export class InputError extends LockplaneError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.badInput, options);
    this.name = 'InputError';
  }
}

/** Blocked by a safety check: exit 3. */
export class BlockedError extends LockplaneError {
  constructor(message: string) {
    super(message, ExitCode.blocked);
    this.name = 'BlockedError';
  }
}

/** Removes passwords from connection URLs and key=value strings anywhere in a text. */
export function redact(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s]*)@/gi, '$1***@')
    .replace(/(password\s*=\s*)('[^']*'|"[^"]*"|[^\s&;]+)/gi, '$1***')
    .replace(/([?&](?:password|authToken|auth_token)=)[^&\s]+/gi, '$1***');
}
