import { describe, expect, it } from 'vitest';
import { bufferText, type BufferLike } from './buffer-text';

function fakeBuffer(rows: Array<[text: string, wrapped: boolean]>): BufferLike {
  return {
    length: rows.length,
    getLine: (y) => {
      const row = rows[y];
      if (!row) return undefined;
      const [text, isWrapped] = row;
      return { isWrapped, translateToString: (trim) => (trim ? text.trimEnd() : text) };
    },
  };
}

describe('bufferText', () => {
  it('joins rows, trims the right edge and drops trailing blank rows', () => {
    expect(bufferText(fakeBuffer([['$ ps aux   ', false], ['root 1 bash', false], ['', false], ['   ', false]]))).toBe('$ ps aux\nroot 1 bash');
  });

  it('joins soft-wrapped rows into one line, keeping spaces at the wrap', () => {
    expect(bufferText(fakeBuffer([['echo hel ', false], ['lo world', true], ['next', false]]))).toBe('echo hel lo world\nnext');
  });
});
