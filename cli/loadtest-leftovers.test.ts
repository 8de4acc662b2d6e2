import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cannotCount, cgroupParentOf, countSandboxes, sandboxCgroupDir, waitForCount } from './loadtest-leftovers';

const roots: string[] = [];
function fakeCgroupRoot(v2: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'lab-leftovers-'));
  roots.push(root);
  if (v2) writeFileSync(join(root, 'cgroup.controllers'), 'memory pids\n');
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('counting the agent\'s sandboxes', () => {
  it('counts the session directories under the parent in the pids hierarchy (v1)', () => {
    const root = fakeCgroupRoot(false);
    const dir = join(root, 'pids', 'container-lab-x');
    expect(sandboxCgroupDir('container-lab-x', root)).toBe(dir);
    expect(countSandboxes('container-lab-x', root)).toEqual({ count: 0, where: dir, exists: false });
    mkdirSync(join(dir, 'sessionA'), { recursive: true });
    mkdirSync(join(dir, 'sessionB'));
    writeFileSync(join(dir, 'pids.max'), 'max\n'); // control files are not sandboxes
    expect(countSandboxes('container-lab-x', root)).toEqual({ count: 2, where: dir, exists: true });
  });

  it('uses the unified hierarchy on cgroup v2', () => {
    const root = fakeCgroupRoot(true);
    expect(sandboxCgroupDir('p', root)).toBe(join(root, 'p'));
  });

  it('waits for the count to come down, and gives the last count when it does not', async () => {
    const root = fakeCgroupRoot(false);
    const dir = join(root, 'pids', 'p');
    mkdirSync(join(dir, 's1'), { recursive: true });
    mkdirSync(join(dir, 's2'));
    setTimeout(() => rmSync(join(dir, 's2'), { recursive: true }), 100);
    expect(await waitForCount('p', 1, 5_000, root)).toBe(1);
    expect(await waitForCount('p', 0, 300, root)).toBe(1);
  });

  it('says why it cannot count for a server elsewhere', () => {
    expect(cannotCount('http://10.1.2.3:3000')).toMatch(/not on this machine's loopback/);
    const local = cannotCount('http://127.0.0.1:3000');
    expect(local === null || /not run as root/.test(local)).toBe(true);
    expect(cannotCount('http://localhost:3000')).toBe(local);
  });

  it('reads no parent from a process that has none or cannot be read', () => {
    expect(cgroupParentOf(2 ** 30)).toBeUndefined();
  });
});
