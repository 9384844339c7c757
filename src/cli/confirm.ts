// The approval prompt: only the word `yes` approves, as in Terraform.
import { createInterface } from 'node:readline/promises';
import { InputError } from '../errors.js';

export async function confirm(question: string, autoApprove: boolean): Promise<boolean> {
  if (autoApprove) return true;
  if (!process.stdin.isTTY) {
    throw new InputError('refusing to apply without approval: standard input is not a terminal; pass --auto-approve');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Only 'yes' will be accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
