import type { Command } from 'commander';
import { InputError } from '../../errors.js';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('run a Model Context Protocol server on stdin/stdout, for AI agents (see docs/mcp.md)')
    .option('--cwd <dir>', 'the project directory (lockplane.toml, .lockplane/); MCP clients often start servers elsewhere')
    .action(async (opts: { cwd?: string }) => {
      if (opts.cwd) {
        try {
          process.chdir(opts.cwd);
        } catch {
          throw new InputError(`--cwd: ${opts.cwd} is not a directory`);
        }
      }
      // The SDK is loaded only here: other commands and --version stay fast.
      await (await import('../../mcp/server.js')).runMcpServer();
    });
}
