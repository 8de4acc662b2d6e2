/**
 * Profile limits from the operator's config file, applied to a real sandbox: open files and the
 * per-terminal output rate (the memory and process limits are in sandbox.int.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, newId, run, startHarness, TermClient, type Harness } from './harness';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

describe.skipIf(reason !== null)('profile limits from lab.config.json (real sandbox)', () => {
  let h: Harness;
  beforeAll(async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'lab-limits-')), 'lab.config.json');
    writeFileSync(config, JSON.stringify({ profile: { openFiles: 200, outputBytesPerSec: 64 * 1024 } }));
    h = await startHarness({ LAB_CONFIG: config });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('caps open files per process, and root inside cannot raise the cap', async () => {
    const r = await run(h.client, newId(), ['bash', '-c', 'ulimit -n; ulimit -Hn; ulimit -n 4096 && echo raised || echo refused'], { disposeOnClose: true });
    expect(r.stdout.trim().split('\n')).toEqual(['200', '200', 'refused']);
    const opened = await run(
      h.client,
      newId(),
      ['python3', '-c', 'import os\nfds=[]\ntry:\n  while True: fds.append(os.open("/dev/null", os.O_RDONLY))\nexcept OSError as e: print(len(fds) + 3, e.strerror)'],
      { disposeOnClose: true },
    );
    expect(opened.stdout.trim()).toBe('200 Too many open files');
  });

  it('slows a terminal printing faster than its output rate, says so, and loses nothing', async () => {
    const id = newId();
    const t = new TermClient(h.client, id);
    // About 200 000 bytes printed at 64 KiB/s: a few seconds of throttling, then the last line.
    const out = await t.command('head -c 150000 /dev/zero | base64 -w 100; echo last-line-$((6*7))');
    expect(await t.waitForNotice(/slowed down/)).toBe('This terminal printed more than its limit of 64 KiB per second; its output is being slowed down.');
    expect(out).toContain('last-line-42');
    expect(out.split('\n').filter((l) => l === 'A'.repeat(100))).toHaveLength(2000);
    t.close();
    await h.agent.sessions.get(id)!.dispose('test over');
  });
});
