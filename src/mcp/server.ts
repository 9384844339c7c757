// `lockplane mcp`: a Model Context Protocol server on stdin/stdout. Agents
// can read databases, validate schemas, plan, explain and check drift; they
// can apply only a plan a person approved with `lockplane approve`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { lockplaneVersion } from '../version.js';
import { registerApplyTool } from './apply-tool.js';
import { registerExplainTool } from './explain.js';
import { registerPlanTools } from './plan-tools.js';
import { registerReadTools } from './read-tools.js';
import { takeOverStdout } from './stdio.js';

const INSTRUCTIONS = `Lockplane manages a Postgres schema declaratively. Typical flow: check_drift (does the database match the desired schema?), \
plan with output_file (review every step, its hazards and locks; explain_step for details), then ask the person to run \
\`lockplane approve PLAN_FILE\` in their terminal and give you the token, then apply with that token. \
You cannot approve a plan yourself. Paths are relative to ${process.cwd()}.`;

export async function runMcpServer(): Promise<void> {
  const protocol = takeOverStdout();
  const server = new McpServer({ name: 'lockplane', version: lockplaneVersion() }, { instructions: INSTRUCTIONS });
  registerReadTools(server);
  registerPlanTools(server);
  registerExplainTool(server);
  registerApplyTool(server);
  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(new StdioServerTransport(process.stdin, protocol));
  await closed;
  await server.close();
}
