import { describe, expect, it } from 'vitest';
import { checkVerdict } from './checks';

describe('checkVerdict', () => {
  it('passes on exit 0 whatever was printed', () => {
    expect(checkVerdict(0, null, 'noise\n')).toEqual({ passed: true, message: 'Passed' });
  });

  it("gives the script's last non-empty line as the reason", () => {
    expect(checkVerdict(1, null, 'first\nOpen terminal 2 first.\n\n  \n')).toEqual({ passed: false, message: 'Open terminal 2 first.' });
  });

  it('falls back to the status when the script said nothing', () => {
    expect(checkVerdict(3, null, '')).toEqual({ passed: false, message: 'The check did not pass (exit status 3).' });
    expect(checkVerdict(null, 9, '')).toEqual({ passed: false, message: 'The check was stopped (signal 9).' });
  });
});
