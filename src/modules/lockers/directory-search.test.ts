/** Reading a courier's search: addresses as the apps show them, with or without spaces, and building/unit numbers matched exactly. */
import { describe, expect, it } from 'vitest';
import { parseDirectorySearch } from './directory-search.ts';

describe('parseDirectorySearch', () => {
  it.each([
    ['清淳家园 1栋1单元', { building: '1', unit: '1', words: ['清淳家园'] }],
    ['清淳家园1栋1单元', { building: '1', unit: '1', words: ['清淳家园'] }],
    [
      '清水河社区 清淳家园 1栋1单元门口',
      { building: '1', unit: '1', words: ['清水河社区', '清淳家园', '门口'] },
    ],
    [
      '清水河社区清淳家园12栋3单元门口',
      { building: '12', unit: '3', words: ['清水河社区清淳家园', '门口'] },
    ],
    ['清淳 12-3', { building: '12', unit: '3', words: ['清淳'] }],
    ['12 3', { building: '12', unit: '3', words: [] }],
    ['１２号楼３单元', { building: '12', unit: '3', words: [] }],
    ['两河锦地 15栋', { building: '15', unit: null, words: ['两河锦地'] }],
    ['jinquan-0001', { building: null, unit: null, words: ['jinquan-0001'] }],
    ['%_', { building: null, unit: null, words: [] }],
  ])('%s', (q, parsed) => {
    expect(parseDirectorySearch(q)).toEqual(parsed);
  });
});
