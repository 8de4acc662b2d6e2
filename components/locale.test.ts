import { describe, expect, it } from 'vitest';
import { chooseLocale, fromAcceptLanguage } from './locale';

describe('fromAcceptLanguage', () => {
  it('picks Chinese for zh, zh-CN, zh-Hans-CN', () => {
    expect(fromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(fromAcceptLanguage('zh-Hans-CN')).toBe('zh');
  });
  it('follows weights, not only order', () => {
    expect(fromAcceptLanguage('en;q=0.5, zh-TW;q=0.9')).toBe('zh');
    expect(fromAcceptLanguage('fr, en-GB;q=0.8, zh;q=0.3')).toBe('en');
  });
  it('prefers the first of equal weights', () => {
    expect(fromAcceptLanguage('en-US, zh')).toBe('en');
  });
  it('ignores languages we do not have, q=0, and nonsense', () => {
    expect(fromAcceptLanguage('fr, de;q=0.9')).toBeNull();
    expect(fromAcceptLanguage('zh;q=0, en;q=0.1')).toBe('en');
    expect(fromAcceptLanguage('zh;q=abc')).toBeNull();
    expect(fromAcceptLanguage('')).toBeNull();
    expect(fromAcceptLanguage(undefined)).toBeNull();
  });
});

describe('chooseLocale', () => {
  it('an explicit ?lang wins and is remembered when new', () => {
    expect(chooseLocale({ query: 'zh', cookie: 'en', acceptLanguage: 'en' })).toEqual({ locale: 'zh', remember: 'zh' });
    expect(chooseLocale({ query: 'en', cookie: 'en', acceptLanguage: 'zh' })).toEqual({ locale: 'en', remember: null });
  });
  it('the remembered choice beats the browser', () => {
    expect(chooseLocale({ query: null, cookie: 'en', acceptLanguage: 'zh-CN' })).toEqual({ locale: 'en', remember: null });
  });
  it('falls back to the browser, then English; bad values are ignored', () => {
    expect(chooseLocale({ query: 'xx', cookie: 'klingon', acceptLanguage: 'zh-CN' })).toEqual({ locale: 'zh', remember: null });
    expect(chooseLocale({ query: null, cookie: undefined, acceptLanguage: 'ja' })).toEqual({ locale: 'en', remember: null });
  });
});
