// Tool results: the answer as text (what a person would read), the same as
// structured JSON where a program wants fields, and Lockplane's stderr (which
// database it used, reports) as a second text block.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stripVTControlCharacters } from 'node:util';
import { errorMessage } from './command.js';
import type { Captured } from './stdio.js';

export function toolResult(text: string, options: { structured?: Record<string, unknown>; log?: string; isError?: boolean } = {}): CallToolResult {
  const log = options.log ? stripVTControlCharacters(options.log).trim() : '';
  return {
    content: [{ type: 'text', text }, ...(log ? [{ type: 'text' as const, text: `Lockplane's log:\n${log}` }] : [])],
    ...(options.structured ? { structuredContent: options.structured } : {}),
    ...(options.isError ? { isError: true } : {}),
  };
}

/** A call that threw: its one-line error, and what it printed before. */
export function errorResult(run: Captured<unknown>): CallToolResult {
  return toolResult(`Error: ${errorMessage(run.error)}`, { log: run.stderr, isError: true });
}
