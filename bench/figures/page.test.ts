import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { kb, LoadTiming, phaseMedians, scriptName, scriptWeight, usableAt } from './page';

const body = (s: string) => new TextEncoder().encode(s);

describe('scriptWeight', () => {
  it('sums raw and gzipped bytes over the scripts, gzip at the default level', () => {
    const a = body('console.log("a");'.repeat(100));
    const b = body('let x = 1;');
    const w = scriptWeight([
      { url: 'http://h/_next/a.js', body: a },
      { url: 'http://h/_next/b.js', body: b, served: 40 },
    ]);
    expect(w.scripts).toBe(2);
    expect(w.rawBytes).toBe(a.length + b.length);
    expect(w.gzipBytes).toBe(gzipSync(a).length + gzipSync(b).length);
    // Served: b's wire size, a's raw size where the wire size is unknown.
    expect(w.servedBytes).toBe(a.length + 40);
    expect(w.largest).toEqual({ url: 'http://h/_next/a.js', gzipBytes: gzipSync(a).length });
  });

  it('counts a URL once: a second request for it is served from the cache', () => {
    const a = body('x'.repeat(1000));
    const w = scriptWeight([
      { url: 'http://h/a.js', body: a },
      { url: 'http://h/a.js', body: a },
    ]);
    expect(w.scripts).toBe(1);
    expect(w.rawBytes).toBe(1000);
  });

  it('is stable: the same bodies weigh the same (gzip output round-trips)', () => {
    const a = body('function f(){return 42}'.repeat(50));
    expect(scriptWeight([{ url: 'u', body: a }]).gzipBytes).toBe(scriptWeight([{ url: 'u', body: a }]).gzipBytes);
    expect(gunzipSync(gzipSync(a)).equals(Buffer.from(a))).toBe(true);
  });

  it('weighs nothing for no scripts', () => {
    expect(scriptWeight([])).toEqual({ scripts: 0, rawBytes: 0, gzipBytes: 0, servedBytes: 0, largest: null });
  });
});

describe('kb', () => {
  it('is 1024 bytes, one decimal', () => {
    expect(kb(1024)).toBe(1);
    expect(kb(350 * 1024)).toBe(350);
    expect(kb(1536)).toBe(1.5);
    expect(kb(1100)).toBe(1.1);
  });
});

const timing = (over: Partial<LoadTiming>): LoadTiming => ({
  ttfb: 100,
  domContentLoaded: 300,
  load: 400,
  xterm: 600,
  wsOpen: 610,
  wsFirstMessage: 700,
  ready: 710,
  keyDown: 800,
  echo: 805,
  ...over,
});

describe('usableAt', () => {
  it('is ready plus the echo time of the probe key, not the harness delay before typing', () => {
    expect(usableAt({ ready: 710, keyDown: 800, echo: 805 })).toBe(715);
  });
  it('never subtracts (an echo stamped before its keydown counts as instant)', () => {
    expect(usableAt({ ready: 500, keyDown: 600, echo: 599 })).toBe(500);
  });
});

describe('phaseMedians', () => {
  it('gives each phase its median, skipping runs that did not see a phase', () => {
    const m = phaseMedians([timing({ ttfb: 100, xterm: null }), timing({ ttfb: 300, xterm: 650 }), timing({ ttfb: 200, echo: 820 })]);
    expect(m.ttfb_p50_ms).toBe(200);
    expect(m.xterm_p50_ms).toBe(600); // of 650 and 600, nearest rank
    expect(m.dom_content_loaded_p50_ms).toBe(300);
    expect(m.ws_first_message_p50_ms).toBe(700);
    expect(m.echo_p50_ms).toBe(5);
  });
  it('is empty for no runs', () => {
    expect(phaseMedians([])).toEqual({});
  });
});

describe('scriptName', () => {
  it('keeps the path, drops host and port', () => {
    expect(scriptName('http://127.0.0.1:3200/_next/static/chunks/abc.js')).toBe('/_next/static/chunks/abc.js');
    expect(scriptName('not a url')).toBe('not a url');
  });
});

describe('LoadTiming', () => {
  it('accepts what the page reports, phases it did not reach as null', () => {
    expect(LoadTiming.parse(timing({ xterm: null })).xterm).toBeNull();
  });
  it('refuses a load that never became ready', () => {
    expect(LoadTiming.safeParse({ ...timing({}), ready: null }).success).toBe(false);
  });
});
