// A fake terminal for the wizard: keystrokes into its input stream, and what
// it printed (ANSI codes removed) to wait on before the next answer.
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

export const KEY = { enter: '\r', down: '\x1B[B', left: '\x1B[D', ctrlC: '\x03', backspace: '\x7F' } as const;

export class FakeTerminal {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  private text = '';
  private cursor = 0;

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.text += stripVTControlCharacters(chunk.toString('utf8'));
    });
  }

  /** Everything printed so far. */
  get screen(): string {
    return this.text;
  }

  /** Waits until `pattern` is printed after the last match, then moves past it. */
  async waitFor(pattern: string | RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (index >= 0) {
        this.cursor += index + 1;
        return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; screen so far:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits for a prompt, then types the keys. */
  async answer(prompt: string | RegExp, ...keys: string[]): Promise<void> {
    await this.waitFor(prompt);
    for (const key of keys) this.input.write(key);
  }
}
