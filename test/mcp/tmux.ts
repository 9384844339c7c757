// A real terminal for `lockplane approve`: a tmux pane on a private tmux
// server, driven through test/init/terminal.ts's FakeTerminal. What the pane
// prints (pipe-pane) is fed into the FakeTerminal's output, and the keys
// written to its input are typed into the pane (send-keys -H), so a test
// answers prompts exactly as the init wizard's tests do. The command's stdout
// (the token) goes to a file, its exit code to another, both in a private
// directory.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, DATABASE_KEYS } from '../e2e/cli.js';
import { FakeTerminal } from '../init/terminal.js';

export const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class TmuxTerminal extends FakeTerminal {
  private readonly socket = `lockplane-test-${randomBytes(4).toString('hex')}`;
  private readonly files = mkdtempSync(join(tmpdir(), 'lockplane-tmux-'));
  private readonly log = join(this.files, 'screen');
  private readonly pump: NodeJS.Timeout;
  private offset = 0;

  /** Runs `lockplane ARGS` in `cwd`. */
  constructor(cwd: string, args: string[]) {
    super();
    const unset = DATABASE_KEYS.map((k) => `-u ${k}`).join(' ');
    const command = `env ${unset} NO_COLOR=1 ${[process.execPath, BIN, ...args].map(quote).join(' ')} > ${quote(join(this.files, 'out'))}; echo $? > ${quote(join(this.files, 'code'))}`;
    // The pane starts a shell that waits for a line, so that pipe-pane is attached before the command prints anything.
    this.tmux('new-session', '-d', '-x', '160', '-y', '50', '-c', cwd, `read go; ${command}; sleep 600`);
    this.tmux('pipe-pane', '-O', `cat >> ${quote(this.log)}`);
    this.tmux('send-keys', 'Enter');
    this.input.on('data', (chunk: Buffer) => this.tmux('send-keys', '-H', ...[...chunk].map((b) => b.toString(16).padStart(2, '0'))));
    this.pump = setInterval(() => this.readPane(), 25);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  private readPane(): void {
    if (!existsSync(this.log)) return;
    const fd = openSync(this.log, 'r');
    try {
      const buffer = Buffer.alloc(65536);
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, this.offset)) > 0; this.offset += n) this.output.write(Buffer.from(buffer.subarray(0, n)));
    } finally {
      closeSync(fd);
    }
  }

  /** The exit code and stdout once the command ended. */
  async finished(timeoutMs = 30_000): Promise<{ code: number; stdout: string }> {
    const deadline = Date.now() + timeoutMs;
    const codeFile = join(this.files, 'code');
    while (!existsSync(codeFile) || readFileSync(codeFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`the command did not finish; screen:\n${this.screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.readPane();
    return { code: Number(readFileSync(codeFile, 'utf8').trim()), stdout: readFileSync(join(this.files, 'out'), 'utf8') };
  }

  close(): void {
    clearInterval(this.pump);
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.files, { recursive: true, force: true });
  }
}
