// The Prisma schema language is parsed by @mrleebo/prisma-ast (a Chevrotain
// grammar). A parser of our own tracks token locations, so that every error
// can name the line of the construct it is about.
import { getSchema, PrismaParser, VisitorClassFactory, type Schema as PrismaAst } from '@mrleebo/prisma-ast';
import { InputError } from '../../errors.js';

let parser: PrismaParser | undefined;
let visitor: ReturnType<typeof newVisitor> | undefined;

function newVisitor(p: PrismaParser) {
  const Visitor = VisitorClassFactory(p);
  return new Visitor();
}

interface ParseFailure {
  message?: unknown;
  token?: { startLine?: number; startColumn?: number; image?: string };
}

/** The AST of a Prisma schema; a syntax error is bad input naming file:line:column. */
export function parsePrismaText(text: string, file: string): PrismaAst {
  parser ??= new PrismaParser({ nodeLocationTracking: 'full' });
  visitor ??= newVisitor(parser);
  try {
    return getSchema(text, { parser, visitor });
  } catch (error) {
    const failure = error as ParseFailure;
    const token = failure.token;
    const where = token?.startLine !== undefined && Number.isFinite(token.startLine) ? `${token.startLine}:${token.startColumn ?? 1}` : 'end of file';
    const found = token?.image ? ` near ${JSON.stringify(token.image)}` : '';
    throw new InputError(`${file}:${where}: Prisma schema syntax error${found}`, { cause: error });
  }
}
