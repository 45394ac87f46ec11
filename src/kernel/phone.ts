/**
 * The phone rule, shared by the cloud, the device agent and the web apps: what counts as a
 * mainland mobile number, its canonical form, and the masked form everyone but its owner
 * sees. Pure (no Node, no errors thrown), so the browser bundle can carry it too; the
 * cloud's encryption and keyed hash stay in src/platform/crypto/phone.ts.
 */

/** A mainland China mobile number in canonical 11-digit form. */
export type Phone = string & { readonly __brand: 'Phone' };

const MOBILE = /^1[3-9]\d{9}$/;

/** User input ("+86 138-0013-8000") in canonical form, or null when it is not a mainland mobile number. */
export function parsePhone(input: string): Phone | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return MOBILE.test(digits) ? (digits as Phone) : null;
}

/** 138****1234: the only form of a phone number anyone but its owner sees. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
