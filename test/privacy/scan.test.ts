/** The scanner itself: identifiers are not phone numbers, phone numbers are found. */
import { describe, expect, it } from 'vitest';
import { scan } from './scan.ts';

describe('privacy scanner', () => {
  it('finds a full mobile number in text and JSON', () => {
    expect(scan('{"phone":"13800000001"}', 'x', [])).toEqual([
      { where: 'x', what: 'full phone 13800000001' },
    ]);
    expect(scan('call 13800000001 now', 'x', [])).toHaveLength(1);
  });
  it("does not take a UUID's or a digest's digits for a phone number", () => {
    const hash = 'ab13612025934cd' + '0'.repeat(49);
    expect(scan(`{"hash":"${hash}","id":"0190f5c2-dead-7000-8000-14611701811a"}`, 'x', [])).toEqual(
      [],
    );
  });
  it("does not take a decimal's fraction for a phone number, but finds one after a full stop", () => {
    expect(scan('{"responseTime":102.17516600003}', 'x', [])).toEqual([]);
    expect(scan('已送达.13800000001', 'x', [])).toHaveLength(1);
  });
  it("leaves the viewer's own number alone", () => {
    expect(scan('13800000001', 'x', [], { phone: '13800000001' })).toEqual([]);
  });
});
