import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../protocol/profile';
import { readConfigFile, resolveProfile } from './config-file';

const dir = mkdtempSync(join(tmpdir(), 'lab-config-'));
function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('config file', () => {
  it('is optional unless named explicitly', () => {
    expect(readConfigFile(join(dir, 'absent.json'), false)).toEqual({});
    expect(() => readConfigFile(join(dir, 'absent.json'), true)).toThrow(/absent\.json: no such file/);
  });

  it('overrides the default profile, and the environment overrides the file', () => {
    const p = file('ok.json', JSON.stringify({ profile: { memoryBytes: 512 * 1024 * 1024, pids: 100, idleTimeoutSec: 60 } }));
    const profile = resolveProfile(p, readConfigFile(p, true), { idleTimeoutSec: 120 });
    expect(profile).toEqual({ ...DEFAULT_PROFILE, memoryBytes: 512 * 1024 * 1024, pids: 100, idleTimeoutSec: 120 });
  });

  it('sets the number of sandboxes, bounded', () => {
    expect(readConfigFile(file('n.json', '{"maxSandboxes": 30}'), true)).toEqual({ maxSandboxes: 30 });
    expect(() => readConfigFile(file('n0.json', '{"maxSandboxes": 0}'), true)).toThrow(/n0\.json at maxSandboxes/);
  });

  it('names the file and the field of a mistake', () => {
    expect(() => readConfigFile(file('typo.json', '{"profile":{"memoryByte":1}}'), true)).toThrow(/typo\.json at profile: Unrecognized key: "memoryByte"/);
    expect(() => readConfigFile(file('range.json', '{"profile":{"pids":3}}'), true)).toThrow(/range\.json at profile\.pids/);
    expect(() => readConfigFile(file('bad.json', '{'), true)).toThrow(/bad\.json: not valid JSON/);
  });

  it('applies the named checks to the profile as a whole', () => {
    const p = file('tmpfs.json', JSON.stringify({ profile: { memoryBytes: 64 * 1024 * 1024, writableBytes: 48 * 1024 * 1024 } }));
    expect(() => resolveProfile(p, readConfigFile(p, true), {})).toThrow(/writable-area-below-memory/);
  });
});
