// Finding the head of an Alembic versions directory from its files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alembicHead } from '../../src/export/alembic-head.js';
import { InputError } from '../../src/errors.js';

function versions(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-alembic-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function headOf(files: Record<string, string>): string | null {
  const { dir, cleanup } = versions(files);
  try {
    return alembicHead(dir);
  } finally {
    cleanup();
  }
}

const rev = (id: string, down: string): string => `"""x"""\nfrom alembic import op\n\nrevision = '${id}'\ndown_revision = ${down}\n`;

test('alembicHead: an empty directory has no head (the first revision has down_revision None)', () => {
  assert.equal(headOf({ '__init__.py': '' }), null);
});

test('alembicHead: the revision nobody points to, in any file order and quoting', () => {
  assert.equal(
    headOf({
      'c.py': rev('ccc', '"bbb"'),
      'a.py': rev('aaa', 'None'),
      'b.py': rev('bbb', "'aaa'"),
      'notes.txt': "revision = 'zzz'\n",
      '__init__.py': '',
    }),
    'ccc',
  );
});

test('alembicHead: newer templates (type annotations) and merge revisions (tuples)', () => {
  assert.equal(
    headOf({
      'a.py': "revision: str = 'aaa'\ndown_revision: Union[str, None] = None\n",
      'b.py': "revision: str = 'bbb'\ndown_revision: Union[str, None] = 'aaa'\n",
      'c.py': "revision: str = 'ccc'\ndown_revision: Union[str, None] = 'aaa'\n",
      'm.py': "revision = 'mmm'\ndown_revision = ('bbb', 'ccc')\n",
    }),
    'mmm',
  );
});

test('alembicHead: several heads are an error naming them', () => {
  assert.throws(
    () => headOf({ 'a.py': rev('aaa', 'None'), 'b.py': rev('bbb', "'aaa'"), 'c.py': rev('ccc', "'aaa'") }),
    (error: unknown) => error instanceof InputError && /2 heads: bbb \(b\.py\), ccc \(c\.py\); merge them first/.test(error.message),
  );
});

test('alembicHead: a revision id defined twice is an error naming both files', () => {
  assert.throws(
    () => headOf({ 'a.py': rev('aaa', 'None'), 'b.py': rev('aaa', 'None') }),
    (error: unknown) => error instanceof InputError && /revision aaa is defined twice \(a\.py and b\.py\)/.test(error.message),
  );
});
