import { describe, expect, it } from 'vitest';
import { renderStepMarkdown } from './markdown';

describe('renderStepMarkdown', () => {
  it('splits prose and code, resolving run targets', () => {
    const md = [
      'Intro with `code`.',
      '',
      '```sh run',
      'ps aux',
      '```',
      '',
      'Middle **bold**.',
      '',
      '```sh run=2',
      'pgrep -a bash',
      '```',
      '',
      '```text',
      'USER PID',
      '```',
    ].join('\n');
    const segments = renderStepMarkdown(md, '1');
    expect(segments.map((s) => s.kind)).toEqual(['prose', 'code', 'prose', 'code', 'code']);
    expect(segments[0]).toEqual({ kind: 'prose', html: '<p>Intro with <code>code</code>.</p>\n' });
    expect(segments[1]).toEqual({ kind: 'code', code: 'ps aux', lang: 'sh', run: '1', ctrlC: false });
    expect(segments[3]).toEqual({ kind: 'code', code: 'pgrep -a bash', lang: 'sh', run: '2', ctrlC: false });
    expect(segments[4]).toEqual({ kind: 'code', code: 'USER PID', lang: 'text', run: null, ctrlC: false });
  });

  it('uses the step terminal for a bare `run`', () => {
    expect(renderStepMarkdown('```sh run\nls\n```', '2')).toEqual([{ kind: 'code', code: 'ls', lang: 'sh', run: '2', ctrlC: false }]);
  });

  it('marks a `ctrl-c` block, which sends Ctrl-C before typing', () => {
    expect(renderStepMarkdown('```sh run=2 ctrl-c\nip a\n```', '1')).toEqual([{ kind: 'code', code: 'ip a', lang: 'sh', run: '2', ctrlC: true }]);
  });

  it('escapes raw HTML instead of trusting it', () => {
    const [prose] = renderStepMarkdown('Hi <script>alert(1)</script> there', '1');
    expect(prose?.kind).toBe('prose');
    expect(prose && prose.kind === 'prose' ? prose.html : '').not.toContain('<script>');
  });

  it('opens external links in a new tab and neutralises script URLs', () => {
    const [prose] = renderStepMarkdown('[man](https://man7.org/) and [bad](javascript:alert(1))', '1');
    const html = prose && prose.kind === 'prose' ? prose.html : '';
    expect(html).toContain('<a href="https://man7.org/" target="_blank" rel="noopener noreferrer">man</a>');
    expect(html).toContain('<a href="#">bad</a>');
  });
});
