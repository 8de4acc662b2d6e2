import { describe, expect, it } from 'vitest';
import { clipboardAction, type KeyLike } from './clipboard-keys';

const key = (over: Partial<KeyLike>): KeyLike => ({ key: '', code: '', ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...over });

describe('clipboardAction', () => {
  it('maps the terminal copy and paste chords', () => {
    expect(clipboardAction(key({ key: 'C', code: 'KeyC', ctrlKey: true, shiftKey: true }))).toBe('copy');
    expect(clipboardAction(key({ key: 'V', code: 'KeyV', ctrlKey: true, shiftKey: true }))).toBe('paste');
    expect(clipboardAction(key({ key: 'Insert', code: 'Insert', shiftKey: true }))).toBe('paste');
    expect(clipboardAction(key({ key: 'Insert', code: 'Insert', ctrlKey: true }))).toBe('copy');
  });

  it('leaves the shell its own keys', () => {
    expect(clipboardAction(key({ key: 'c', code: 'KeyC', ctrlKey: true }))).toBeNull();
    expect(clipboardAction(key({ key: 'v', code: 'KeyV', ctrlKey: true }))).toBeNull();
    expect(clipboardAction(key({ key: 'C', code: 'KeyC', shiftKey: true }))).toBeNull();
    expect(clipboardAction(key({ key: 'C', code: 'KeyC', ctrlKey: true, shiftKey: true, altKey: true }))).toBeNull();
  });
});
