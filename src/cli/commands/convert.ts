import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { choice, lib } from '../common.js';
import { info, out } from '../output.js';

interface ConvertOptions {
  from: string;
  format: string;
  output?: string;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('turn another tool\'s schema into a Lockplane desired schema (JSON, or SQL DDL)')
    .argument('<file>', 'the schema file, e.g. prisma/schema.prisma')
    .requiredOption('--from <tool>', 'what the file is: prisma')
    .option('--format <format>', 'json or sql', 'json')
    .option('--output <file>', 'write here instead of stdout (nothing is written when the conversion fails)')
    .action(async (file: string, opts: ConvertOptions) => {
      choice('--from', opts.from, ['prisma'] as const);
      const format = choice('--format', opts.format, ['json', 'sql'] as const);
      const text = readSchemaFile(file);
      // Loaded here, not at startup: the Prisma parser is only needed by this command.
      const { convertPrismaText } = await import('../../convert/prisma/index.js');
      const schema = convertPrismaText(text, file);
      const { canonicalize, renderSchemaDdl, saveSchemaJson } = await lib();
      const result = format === 'json' ? saveSchemaJson(schema) : renderSql(renderSchemaDdl(canonicalize(schema)));
      if (opts.output === undefined) {
        out(result);
        return;
      }
      const temp = `${opts.output}.${process.pid}.tmp`;
      writeFileSync(temp, result);
      renameSync(temp, opts.output);
      info(`Wrote ${opts.output} (${schema.tables.length} tables, ${schema.types?.length ?? 0} enums)`);
    });
}

function readSchemaFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file or directory`);
    if (code === 'EISDIR') throw new InputError(`${file}: is a directory, expected a schema.prisma file`);
    throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
  }
}

function renderSql(statements: string[]): string {
  return statements.length === 0 ? '-- empty schema\n' : `${statements.join(';\n\n')};\n`;
}
