import { describe, expect, it } from 'vitest';
import { findNulText } from './text.ts';

describe('findNulText', () => {
  it('finds NUL in nested strings, array items and keys', () => {
    expect(findNulText({ a: { b: ['ok', 'x\u0000y'] } })).toBe('a.b[1]');
    expect(findNulText({ reason: '\u0000' })).toBe('reason');
    expect(findNulText({ ['k\u0000']: 1 })).toBe('k\\u0000');
    expect(findNulText('a\u0000')).toBe('(value)');
  });
  it('passes clean values, numbers and null', () => {
    expect(findNulText({ a: [1, null, true, 'text 中文 \u0001'], b: { c: '' } })).toBeNull();
    expect(findNulText(undefined)).toBeNull();
  });
});
