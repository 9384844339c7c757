// `lockplane approve` driven at a real terminal (tmux), answering as a person would.
import { KEY } from '../init/terminal.js';
import { TmuxTerminal } from './tmux.js';

/** Types the name of each hazard's object, confirms, and returns the token it printed. */
export async function approveAtTerminal(dir: string, args: string[], acknowledge: string[] = []): Promise<{ token: string; screen: string }> {
  const terminal = new TmuxTerminal(dir, ['approve', ...args]);
  try {
    for (const name of acknowledge) await terminal.answer(`Type ${name} to acknowledge`, name, KEY.enter);
    await terminal.answer('Approve this plan', KEY.left, KEY.enter);
    const { code, stdout } = await terminal.finished();
    if (code !== 0) throw new Error(`approve exited ${code}; screen:\n${terminal.screen}`);
    return { token: stdout.trim(), screen: terminal.screen };
  } finally {
    terminal.close();
  }
}
