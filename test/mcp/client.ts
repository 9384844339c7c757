// An MCP client the way an agent's host runs one: the SDK's Client over
// stdio, spawning the built `lockplane mcp` in a project directory.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, DATABASE_KEYS } from '../e2e/cli.js';

export interface ToolResult {
  text: string;
  structured: Record<string, unknown>;
  isError: boolean;
}

export interface LockplaneClient {
  client: Client;
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  /** What the server printed on stderr so far. */
  stderr(): string;
}

/** The environment of the test runner without the variables that pick databases. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !DATABASE_KEYS.includes(key) && key !== 'LOCKPLANE_DEBUG') env[key] = value;
  }
  return env;
}

/** `args`: more arguments of `lockplane mcp`, e.g. --cwd DIR. */
export async function withMcpClient<T>(cwd: string, fn: (lp: LockplaneClient) => Promise<T>, args: string[] = []): Promise<T> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], cwd, env: cleanEnv(), stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'lockplane-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    return await fn({
      client,
      stderr: () => stderr,
      async call(name, args) {
        const result = await client.callTool({ name, arguments: args });
        const content = (result.content ?? []) as { type: string; text?: string }[];
        return {
          text: content.map((c) => c.text ?? '').join('\n'),
          structured: (result.structuredContent ?? {}) as Record<string, unknown>,
          isError: result.isError === true,
        };
      },
    });
  } finally {
    await client.close();
  }
}
