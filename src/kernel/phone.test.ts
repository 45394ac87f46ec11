import { describe, expect, it } from 'vitest';
import { normalizePhone as webPhoneCheck } from '../../web/shared/format.ts';
import { maskPhone as cloudMask, parsePhone as cloudParse } from '../platform/crypto/phone.ts';
import { maskPhone, parsePhone } from './phone.ts';

describe('one phone rule', () => {
  it('the cloud and the web apps use the kernel rule itself, not a copy', () => {
    expect(cloudParse).toBe(parsePhone);
    expect(cloudMask).toBe(maskPhone);
    expect(webPhoneCheck).toBe(parsePhone);
  });

  it('strips +86 only in front of a full mobile number, and masks the middle four digits', () => {
    expect(parsePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(parsePhone('86 1380013800')).toBeNull();
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('12345')).toBe('****');
  });
});
