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
  let ast: PrismaAst;
  try {
    ast = getSchema(text, { parser, visitor });
  } catch (error) {
    const failure = error as ParseFailure;
    const token = failure.token;
    const where = token?.startLine !== undefined && Number.isFinite(token.startLine) ? `${token.startLine}:${token.startColumn ?? 1}` : 'end of file';
    const found = token?.image ? ` near ${JSON.stringify(token.image)}` : '';
    throw new InputError(`${file}:${where}: Prisma schema syntax error${found}`, { cause: error });
  }
  const stray = uncoveredCharacter(text, parser.input);
  if (stray) throw new InputError(`${file}:${stray.line}:${stray.column}: Prisma schema syntax error near ${JSON.stringify(stray.text)}`);
  return ast;
}

interface TokenSpan {
  startOffset: number;
  endOffset?: number;
}

/**
 * getSchema drops what its lexer cannot read (a stray `$`) without a word:
 * any character outside every token but whitespace is such a leftover.
 */
function uncoveredCharacter(text: string, tokens: readonly TokenSpan[]): { line: number; column: number; text: string } | undefined {
  let offset = 0;
  const check = (end: number) => {
    for (; offset < end; offset += 1) {
      if (!/\s/.test(text[offset]!)) {
        const before = text.slice(0, offset);
        const line = before.split('\n').length;
        return { line, column: offset - before.lastIndexOf('\n'), text: text[offset]! };
      }
    }
    return undefined;
  };
  for (const token of tokens) {
    const found = check(token.startOffset);
    if (found) return found;
    offset = Math.max(offset, (token.endOffset ?? token.startOffset) + 1);
  }
  return check(text.length);
}
