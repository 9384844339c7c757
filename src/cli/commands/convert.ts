import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    .argument('<path>', 'the schema file (prisma/schema.prisma), or the folder of a multi-file schema (prisma/schema)')
    .requiredOption('--from <tool>', 'what the file is: prisma')
    .option('--format <format>', 'json or sql', 'json')
    .option('--output <file>', 'write here instead of stdout (nothing is written when the conversion fails)')
    .action(async (file: string, opts: ConvertOptions) => {
      choice('--from', opts.from, ['prisma'] as const);
      const format = choice('--format', opts.format, ['json', 'sql'] as const);
      const sources = readSchemaSources(file);
      // Loaded here, not at startup: the Prisma parser is only needed by this command.
      const { convertPrismaFiles } = await import('../../convert/prisma/index.js');
      const schema = convertPrismaFiles(sources, file);
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

/** The file, or every `*.prisma` file under the folder (a multi-file schema), in path order. */
function readSchemaSources(path: string): { file: string; text: string }[] {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${file}: no such file or directory`);
      throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
    }
  };
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new InputError(`${path}: no such file or directory`);
  }
  if (!isFolder) return [{ file: path, text: read(path) }];
  const files = prismaFilesUnder(path);
  if (files.length === 0) throw new InputError(`${path}: no .prisma files in this folder`);
  return files.map((file) => ({ file, text: read(file) }));
}

function prismaFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return prismaFilesUnder(path);
      return entry.isFile() && entry.name.endsWith('.prisma') ? [path] : [];
    })
    .sort();
}

function renderSql(statements: string[]): string {
  return statements.length === 0 ? '-- empty schema\n' : `${statements.join(';\n\n')};\n`;
}
