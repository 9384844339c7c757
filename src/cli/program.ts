import { Command } from 'commander';
import { lockplaneVersion } from '../version.js';
import { registerApply } from './commands/apply.js';
import { registerDiff } from './commands/diff.js';
import { registerIntrospect } from './commands/introspect.js';
import { registerPlan } from './commands/plan.js';
import { registerRollback } from './commands/rollback.js';
import { registerValidate } from './commands/validate.js';
import { registerHistory } from './commands/history.js';
import { registerStatus } from './commands/status.js';
import { registerInit } from './commands/init.js';
import { registerShadow } from './commands/shadow.js';
import { registerExport } from './commands/export.js';
import { registerConvert } from './commands/convert.js';
import { registerApprove } from './commands/approve.js';
import { registerMcp } from './commands/mcp.js';

export function buildProgram(): Command {
  const program = new Command('lockplane')
    .description('Declarative Postgres schema management: introspect, diff, plan, validate, roll back and apply safely.')
    .version(lockplaneVersion(), '-V, --version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride();
  program.configureOutput({ outputError: (text, write) => write(text) });
  registerIntrospect(program);
  registerDiff(program);
  registerPlan(program);
  registerValidate(program);
  registerRollback(program);
  registerApply(program);
  registerStatus(program);
  registerHistory(program);
  registerInit(program);
  registerShadow(program);
  registerExport(program);
  registerConvert(program);
  registerApprove(program);
  registerMcp(program);
  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`lockplane ${lockplaneVersion()}\n`);
    });
  // Subcommands inherit exitOverride so usage errors become exit code 2.
  for (const command of program.commands) command.exitOverride();
  return program;
}
