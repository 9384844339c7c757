// Approval prompts: only the word `yes` approves a plan, as in Terraform; a
// data-losing step is approved by typing the name of what it destroys.
import { createInterface } from 'node:readline/promises';
import { InputError } from '../errors.js';

export async function confirm(question: string, autoApprove: boolean): Promise<boolean> {
  if (autoApprove) return true;
  if (!process.stdin.isTTY) {
    throw new InputError('refusing to apply without approval: standard input is not a terminal; pass --auto-approve');
  }
  return (await ask(`${question} Only 'yes' will be accepted: `)) === 'yes';
}

/** True when the user types exactly `expected`. Needs a terminal. */
export async function confirmByName(question: string, expected: string): Promise<boolean> {
  return (await ask(`${question}\n  Type ${expected} to confirm: `)) === expected;
}

export function interactive(): boolean {
  return process.stdin.isTTY === true;
}

async function ask(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}
