import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../protocol/messages';
import { classifyClose } from './close-codes';

describe('classifyClose', () => {
  it('retries transport failures', () => {
    for (const code of [1001, 1005, 1006, 1011, 1012, 1013]) expect(classifyClose(code)).toBe('retry');
  });
  it('shows application errors without retrying', () => {
    for (const code of [CloseCode.BAD_FRAME, CloseCode.UNAUTHORIZED, CloseCode.VERSION, CloseCode.NO_SESSION, CloseCode.TOO_LARGE, CloseCode.LIMIT, CloseCode.INTERNAL]) {
      expect(classifyClose(code)).toBe('error');
    }
    expect(classifyClose(1008)).toBe('error');
  });
  it('knows when the sandbox ended and when a close was normal', () => {
    expect(classifyClose(CloseCode.ENDED)).toBe('ended');
    expect(classifyClose(1000)).toBe('normal');
  });
});
