// The head of an Alembic versions directory, read from its revision files'
// `revision = '…'` and `down_revision = …` lines (not by running Python).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

interface RevisionFile {
  file: string;
  revision: string;
  downRevisions: string[];
}

const REVISION_LINE = /^revision\s*(?::[^=]*)?=\s*(.*)$/m;
const DOWN_REVISION_LINE = /^down_revision\s*(?::[^=]*)?=\s*(.*)$/m;
const QUOTED = /'([^'\\]*)'|"([^"\\]*)"/g;

function quotedValues(text: string): string[] {
  return [...text.matchAll(QUOTED)].map((m) => m[1] ?? m[2]!);
}

function readRevision(dir: string, file: string): RevisionFile | undefined {
  const text = readFileSync(join(dir, file), 'utf8');
  const revisionLine = REVISION_LINE.exec(text);
  if (!revisionLine) return undefined;
  const [revision] = quotedValues(revisionLine[1]!);
  if (revision === undefined) throw new InputError(`${join(dir, file)}: cannot read the revision id from "revision = ${revisionLine[1]!.trim()}"`);
  const downLine = DOWN_REVISION_LINE.exec(text);
  return { file, revision, downRevisions: downLine ? quotedValues(downLine[1]!) : [] };
}

/** The revision a new one follows: null for the first, an error when the history has several heads. */
export function alembicHead(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
  const revisions = files.map((f) => readRevision(dir, f)).filter((r): r is RevisionFile => r !== undefined);
  const seen = new Map<string, string>();
  for (const r of revisions) {
    const other = seen.get(r.revision);
    if (other) throw new InputError(`${dir}: revision ${r.revision} is defined twice (${other} and ${r.file})`);
    seen.set(r.revision, r.file);
  }
  const pointedTo = new Set(revisions.flatMap((r) => r.downRevisions));
  const heads = revisions.filter((r) => !pointedTo.has(r.revision));
  if (revisions.length > 0 && heads.length === 0) throw new InputError(`${dir}: the revisions form a cycle; no head to follow`);
  if (heads.length > 1) {
    const list = heads.map((h) => `${h.revision} (${h.file})`).join(', ');
    throw new InputError(`${dir} has ${heads.length} heads: ${list}; merge them first (alembic merge heads)`);
  }
  return heads[0]?.revision ?? null;
}
