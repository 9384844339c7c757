import type { Command } from 'commander';

interface ApproveFlags {
  target?: string;
  targetEnvironment?: string;
  ttl: string;
}

export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('read a plan at a terminal and print the approval token the MCP apply tool needs (refuses without a terminal)')
    .argument('<plan>', 'plan JSON file to approve')
    .option('--target <url>', 'database the plan may be applied to (default: the environment\'s, else DATABASE_URL, else the embedded database)')
    .option('--target-environment <name>', 'lockplane.toml environment whose database the plan may be applied to')
    .option('--ttl <duration>', 'how long the token is valid, e.g. 15min or 2h', '1h')
    .action(async (plan: string, opts: ApproveFlags) => (await import('../../mcp/approve.js')).approvePlan(plan, opts));
}
