import { describe, expect, it } from 'vitest';
import { parseBenchArgs, selectModules } from './args';

describe('parseBenchArgs', () => {
  it('defaults to every module, full length', () => {
    expect(parseBenchArgs([])).toEqual({ only: [], quick: false, help: false });
  });

  it('reads --only in both spellings, --quick, and a stray --', () => {
    expect(parseBenchArgs(['--', '--only', 'start,echo', '--quick'])).toEqual({ only: ['start', 'echo'], quick: true, help: false });
    expect(parseBenchArgs(['--only=flood', '--only', ' echo , '])).toEqual({ only: ['flood', 'echo'], quick: false, help: false });
  });

  it('refuses an empty --only and unknown arguments', () => {
    expect(() => parseBenchArgs(['--only'])).toThrow(/--only needs/);
    expect(() => parseBenchArgs(['--only', '--quick'])).toThrow(/--only needs/);
    expect(() => parseBenchArgs(['--only='])).toThrow(/--only needs/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument: --fast/);
  });
});

describe('selectModules', () => {
  const all = ['start', 'echo', 'flood', 'page'];

  it('keeps the run order whatever the order asked', () => {
    expect(selectModules(all, ['flood', 'start'])).toEqual({ selected: ['start', 'flood'], unknown: [] });
  });

  it('maps a figure name to its module', () => {
    expect(selectModules(all, ['echo_rtt_load', 'sandbox_start'])).toEqual({ selected: ['echo'], unknown: ['sandbox_start'] });
    expect(selectModules(all, ['flood_ctrl_c', 'flood'])).toEqual({ selected: ['flood'], unknown: [] });
  });

  it('selects everything when nothing is named', () => {
    expect(selectModules(all, []).selected).toEqual(all);
  });
});
