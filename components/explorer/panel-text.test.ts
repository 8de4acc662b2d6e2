import { describe, expect, it } from 'vitest';
import { UI } from '../ui-text';
import { explorerStatus, namespaceLabel } from './panel-text';

describe('explorerStatus', () => {
  const en = UI.en;
  it('says nothing while live, and what it waits for otherwise', () => {
    expect(explorerStatus({ kind: 'live' }, en)).toBeNull();
    expect(explorerStatus({ kind: 'waiting' }, en)).toBe(en.explorer.waiting);
    expect(explorerStatus({ kind: 'reconnecting', delayMs: 250 }, en)).toBe(en.reconnecting);
    expect(explorerStatus({ kind: 'waiting' }, UI.zh)).toBe('正在等待你的沙盒启动…');
  });

  it('prefers the server’s sentence, then ours for the close code', () => {
    expect(explorerStatus({ kind: 'failed', code: 4029, reason: 'all 8 sandbox slots are in use' }, en)).toBe('all 8 sandbox slots are in use');
    expect(explorerStatus({ kind: 'failed', code: 4002, reason: '' }, en)).toBe(en.closeReasons[4002]);
    expect(explorerStatus({ kind: 'ended', reason: 'idle' }, en)).toBe(`${en.ended}: idle`);
  });
});

describe('namespaceLabel', () => {
  it('names a namespace by type, number and who made it, in both languages', () => {
    expect(namespaceLabel({ type: 'pid', number: 2, base: false }, UI.en)).toBe('PID ns 2 (new)');
    expect(namespaceLabel({ type: 'net', number: 1, base: true }, UI.en)).toBe('net ns 1 (sandbox)');
    expect(namespaceLabel({ type: 'pid', number: 2, base: false }, UI.zh)).toBe('PID 命名空间 2（新建）');
  });
});
