import { describe, expect, it } from 'vitest';
import { compartmentText } from './compartment-text.ts';

describe('compartmentText', () => {
  it('names the site once when the locker is named after it', () => {
    expect(
      compartmentText(
        { compound: '清淳家园', site: '12栋3单元门口', locker: '12栋3单元门口智能柜' },
        1,
      ),
    ).toBe('清淳家园12栋3单元门口智能柜1号格口');
  });
  it('says the number alone for a locker whose place is unknown', () => {
    expect(compartmentText(undefined, 3)).toBe('3号格口');
  });
  it('names the site and the locker when the locker has a name of its own', () => {
    expect(compartmentText({ compound: '两河锦地', site: '南门', locker: 'B柜' }, 12)).toBe(
      '两河锦地南门（B柜）12号格口',
    );
  });
});
