import { describe, expect, it } from 'vitest';
import { defaultRamp, parseDuration, parseLoadtestArgs, UsageError } from './loadtest-args';

const parse = (...argv: string[]) => parseLoadtestArgs(argv, {});

describe('lab loadtest arguments', () => {
  it('takes the two required options and fills in the rest', () => {
    const o = parse('--learners', '100', '--duration', '5m', '--seed', '42');
    expect(o).toEqual({ learners: 100, durationSec: 300, rampSec: 60, url: 'http://127.0.0.1:3000', cgroupParent: 'container-lab', seed: 42, json: false });
  });

  it('accepts --name=value as well as --name value, and every option', () => {
    const o = parse('--learners=3', '--duration=20s', '--ramp=2', '--url=http://localhost:3200/', '--cgroup-parent=container-lab-bench', '--json');
    expect(o).toMatchObject({ learners: 3, durationSec: 20, rampSec: 2, url: 'http://localhost:3200', cgroupParent: 'container-lab-bench', json: true });
  });

  it('takes the cgroup parent from LAB_CGROUP_PARENT unless the option names one', () => {
    expect(parseLoadtestArgs(['--learners', '1', '--duration', '9'], { LAB_CGROUP_PARENT: 'container-lab-e2e' })?.cgroupParent).toBe('container-lab-e2e');
    expect(parseLoadtestArgs(['--learners', '1', '--duration', '9', '--cgroup-parent', 'x1'], { LAB_CGROUP_PARENT: 'y' })?.cgroupParent).toBe('x1');
  });

  it('draws a random seed when none is given, within range', () => {
    const seed = parse('--learners', '1', '--duration', '9')!.seed;
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31).toBe(true);
  });

  it('returns null for --help', () => {
    expect(parse('--help')).toBeNull();
    expect(parse('--learners', '2', '-h')).toBeNull();
  });

  it.each([
    [[], /--learners is required/],
    [['--learners', '3'], /--duration is required/],
    [['--learners', '0', '--duration', '9'], /between 1 and 1000/],
    [['--learners', '1001', '--duration', '9'], /between 1 and 1000/],
    [['--learners', '2.5', '--duration', '9'], /whole number/],
    [['--learners', '2', '--duration', 'soon'], /--duration must be seconds/],
    [['--learners', '2', '--duration', '0.5'], /at least 1 s/],
    [['--learners', '2', '--duration', '25h'], /over 24 h/],
    [['--learners', '2', '--duration', '10', '--ramp', '10'], /shorter than --duration/],
    [['--learners', '2', '--duration', '10', '--url', 'ftp://x'], /http/],
    [['--learners', '2', '--duration', '10', '--url', 'http://127.0.0.1:3000/lessons'], /without a path/],
    [['--learners', '2', '--duration', '10', '--url', 'not a url'], /must be a URL/],
    [['--learners', '2', '--duration', '10', '--cgroup-parent', '../etc'], /not a valid LAB_CGROUP_PARENT/],
    [['--learners', '2', '--learners', '3', '--duration', '10'], /given twice/],
    [['--learners'], /needs a value/],
    [['--learners=', '--duration', '9'], /needs a value/],
    [['--teachers', '2'], /unknown option/],
    [['learners', '2'], /unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });
});

describe('durations', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['5m', 300],
    ['1.5m', 90],
    ['1h', 3600],
  ])('%s is %d s', (text, sec) => expect(parseDuration(text, 'd')).toBe(sec));

  it('ramps a fifth of the run by default, at most a minute', () => {
    expect(defaultRamp(30)).toBe(6);
    expect(defaultRamp(300)).toBe(60);
    expect(defaultRamp(3600)).toBe(60);
  });
});
