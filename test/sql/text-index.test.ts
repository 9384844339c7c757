import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexOfUtf8Offset as fromStart } from '../../src/schema/position.js';
import { TextIndex } from '../../src/sql/text-index.js';

describe('TextIndex.indexOfByte', () => {
  const texts = ['plain ascii;\nselect 1;', 'héllo wörld €', 'a😀b€c\n😀😀x', 'lone \ud800a\udc00b surrogates'];

  for (const text of texts) {
    it(`answers like a walk from the start (indexOfUtf8Offset), in any order of offsets: ${JSON.stringify(text)}`, () => {
      const index = new TextIndex(text);
      const last = Buffer.byteLength(text) + 1;
      // Up, down, and the end-then-start pattern of statement boundaries.
      const offsets = [...Array(last + 1).keys()];
      const order = [...offsets, ...offsets.reverse(), ...offsets.flatMap((o) => [Math.min(o + 3, last), o])];
      for (const offset of order) assert.equal(index.indexOfByte(offset), fromStart(text, offset), `byte ${offset}`);
    });
  }

  it('maps the statement boundaries of a long file in linear time', () => {
    const statement = 'CREATE TABLE "t€" (id int); -- ü\n';
    const text = statement.repeat(20000);
    const index = new TextIndex(text);
    const step = Buffer.byteLength(statement);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 20000; i++) {
      assert.equal(index.indexOfByte((i + 1) * step - 1), (i + 1) * statement.length - 1);
      assert.equal(index.indexOfByte(i * step), i * statement.length);
    }
    // Walking from the start each time would take minutes here.
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 5000);
  });
});
