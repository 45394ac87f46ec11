import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBadTextByWalk } from '../kernel/text.ts';
import { findBadText, findNulText, jsonNestedDeeperThan, MAX_JSON_DEPTH } from './text.ts';

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

describe('findBadText (issue 13, findings 6 and 10)', () => {
  it('names the first field with a bidi control, a control character or a line break outside a multi-line field', () => {
    expect(findBadText({ displayName: '张三\u202egnp.exe' })).toEqual({
      path: 'displayName',
      kind: 'bidi',
    });
    for (const c of ['\u202a', '\u202d', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c'])
      expect(findBadText({ a: `x${c}` })?.kind).toBe('bidi');
    for (const c of ['\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'])
      expect(findBadText({ a: `x${c}` })?.kind).toBe('control');
    expect(findBadText({ reason: 'a\nb' })).toEqual({ path: 'reason', kind: 'control' });
    expect(findBadText({ note: '第一行\r\n第二行\t完' })).toBeNull();
    expect(findBadText({ notes: ['ok', 'a\nb'], items: [{ note: 'x\u202e' }] })).toEqual({
      path: 'items[0].note',
      kind: 'bidi',
    });
    expect(findBadText({ ['k\u202e']: 1 })).toEqual({ path: 'k\u202e', kind: 'bidi' });
    expect(findBadText({ ['k\u0001']: 1 })).toEqual({ path: 'k\\u0001', kind: 'control' });
    expect(findBadText({ a: 'x\u0000', b: 'y\u202e' })).toEqual({ path: 'a', kind: 'nul' });
  });
  it('passes ordinary text: Chinese, emoji with joiners, punctuation', () => {
    expect(
      findBadText({ name: '李四 · 清淳家园 1栋', e: '👨‍👩‍👧', p: '138-0000-0001 (家)' }),
    ).toBeNull();
  });
  it('stops at MAX_JSON_DEPTH without recursion, however deep the value', () => {
    let v: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(findBadText(v)).toMatchObject({ kind: 'depth' });
    let ok: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = { a: ok };
    expect(findBadText(ok)).toBeNull();
    expect(findBadText({ a: ok })).toMatchObject({ kind: 'depth' });
    // findNulText walks any depth without overflowing (it was recursive: finding 6).
    expect(findNulText(v)).toBeNull();
  });
  it('counts JSON nesting in one pass over the text, ignoring brackets inside strings', () => {
    expect(jsonNestedDeeperThan('[['.repeat(3500) + ']]'.repeat(3500))).toBe(true);
    expect(jsonNestedDeeperThan(`{"a":"${'['.repeat(1000)}\\"["}`)).toBe(false);
    expect(jsonNestedDeeperThan('['.repeat(32) + ']'.repeat(32))).toBe(false);
    expect(jsonNestedDeeperThan('['.repeat(33) + ']'.repeat(33))).toBe(true);
  });
});

describe('findBadText fast path', () => {
  // Strings drawn mostly from the characters the rules are about, keys sometimes multi-line fields.
  const chars = fc.constantFrom(
    'a',
    '中',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u0000',
    '\u0001',
    '\u007f',
    '\u0085',
    '\u202e',
    '\u2066',
    '\u200f',
    '\u061c',
    '\u00a0',
  );
  const text = fc.array(chars, { maxLength: 4 }).map((a) => a.join(''));
  const key = fc.oneof(fc.constantFrom('note', 'details', 'name', 'reason', 'body'), text);
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.integer(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(key, tie('v'), { maxKeys: 3 }),
    ),
  })).v;

  it('answers exactly as the full walk, for any value and depth limit (fixed seed)', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 6 }), (v, max) => {
        expect(findBadText(v, max)).toEqual(findBadTextByWalk(v, max));
      }),
      { seed: 20261205, numRuns: 2000 },
    );
  });

  it('still refuses nesting at the limit (the fast path does not recurse past it)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) deep = { a: deep };
    expect(findBadText(deep)).toEqual(findBadTextByWalk(deep));
    expect(findBadText(deep)?.kind).toBe('depth');
  });
});
