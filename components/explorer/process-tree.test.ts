import { describe, expect, it } from 'vitest';
import { processTree } from './process-tree';
import { proc } from './test-fixtures';

const shape = (rows: ReturnType<typeof processTree>) => rows.map((r) => `${'  '.repeat(r.depth)}${r.process.pid}`);

describe('processTree', () => {
  it('nests children under their parents, ordered by PID', () => {
    const rows = processTree([proc(14, { ppid: 13 }), proc(1), proc(13, { ppid: 5 }), proc(7, { ppid: 1 }), proc(5, { ppid: 1 })]);
    expect(shape(rows)).toEqual(['1', '  5', '    13', '      14', '  7']);
  });

  it('makes a process whose parent is missing a root', () => {
    expect(shape(processTree([proc(1), proc(50, { ppid: 49 })]))).toEqual(['1', '50']);
  });

  it('shows every process once even when PPIDs form a loop', () => {
    expect(shape(processTree([proc(1), proc(8, { ppid: 9 }), proc(9, { ppid: 8 })]))).toEqual(['1', '8', '  9']);
  });
});
