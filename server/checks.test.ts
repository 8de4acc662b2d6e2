import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixtureSnapshot } from '../protocol/explorer-fixture';
import { explorerText } from '../protocol/explorer-text';
import { checkVerdict, usesExplorer, withPrelude } from './checks';

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

describe('withPrelude', () => {
  // The prelude is bash; run it with the host's bash, feeding stdin as the agent does.
  const run = (script: string, lang: 'en' | 'zh', explorer: boolean, stdin = '') =>
    execFileSync('bash', ['-c', withPrelude(script, lang, explorer)], { input: stdin, encoding: 'utf8' });

  it('says the reason in the page language, English when there is no Chinese', () => {
    expect(run('say "done" "完成"', 'zh', false)).toBe('完成\n');
    expect(run('say "done" "完成"', 'en', false)).toBe('done\n');
    expect(run('say "only English"', 'zh', false)).toBe('only English\n');
  });

  it('gives a check the explorer records of a kind, without the kind column', () => {
    const text = explorerText(fixtureSnapshot());
    expect(run('explorer process | awk -F"\\t" \'$2 ~ /,/ { print $1, $2, $8 }\'', 'en', true, text)).toBe('21 21,1 sleep\n');
    expect(run('explorer namespace | awk -F"\\t" \'$1 == "pid" && $3 == "new"\' | wc -l', 'en', true, text).trim()).toBe('1');
    expect(run('explorer denial | wc -l', 'en', true, text).trim()).toBe('0');
  });
});

describe('usesExplorer', () => {
  it('is true only for a script that calls the explorer function', () => {
    expect(usesExplorer("explorer process | awk -F'\\t' '$2 ~ /,1$/'")).toBe(true);
    expect(usesExplorer('for p in $(explorer process); do :; done')).toBe(true);
    expect(usesExplorer('grep -q NSpid /proc/self/status || fail "Look at the Explorer."')).toBe(false);
  });
});
