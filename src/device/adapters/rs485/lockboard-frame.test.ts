import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BoardRequest,
  type BoardResponse,
  bcc,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  extractRequests,
  extractResponse,
} from './lockboard-frame.ts';

const addr = fc.integer({ min: 1, max: 255 });
const request: fc.Arbitrary<BoardRequest> = fc.oneof(
  fc.record({ kind: fc.constant('unlock' as const), board: addr, channel: addr }),
  fc.record({ kind: fc.constant('query' as const), board: addr, channel: addr }),
  fc.record({ kind: fc.constant('query_all' as const), board: addr }),
);
const statusBytes = fc.integer({ min: 1, max: 6 });

/** A request and a reply to it. */
const exchange = fc
  .tuple(
    request,
    statusBytes,
    fc.array(fc.boolean(), { minLength: 48, maxLength: 48 }),
    fc.boolean(),
  )
  .map(([req, sb, bits, high]) => {
    const res: BoardResponse =
      req.kind === 'query_all'
        ? { kind: 'query_all', board: req.board, high: bits.slice(0, sb * 8) }
        : { ...req, high };
    return { req, sb, res };
  });

describe('lock-board frames', () => {
  it('match the documented examples byte for byte', () => {
    // Vendor examples (blog.csdn.net/u012909822/article/details/147892413) and Open-Locker's captured frame.
    expect(encodeRequest({ kind: 'unlock', board: 1, channel: 1 }).toString('hex')).toBe(
      '8a0101119b',
    );
    expect(encodeRequest({ kind: 'unlock', board: 1, channel: 2 }).toString('hex')).toBe(
      '8a01021198',
    );
    expect(encodeRequest({ kind: 'query', board: 1, channel: 1 }).toString('hex')).toBe(
      '80010133b3',
    );
    expect(encodeRequest({ kind: 'query_all', board: 1 }).toString('hex')).toBe('80010033b2');
    expect(
      decodeResponse(Buffer.from('8a0101008a', 'hex'), { kind: 'unlock', board: 1, channel: 1 }, 3),
    ).toEqual({ ok: true, value: { kind: 'unlock', board: 1, channel: 1, high: false } });
    const all = decodeResponse(
      Buffer.from('80010000003' + '3b2', 'hex'),
      { kind: 'query_all', board: 1 },
      3,
    );
    expect(all.ok && all.value.kind === 'query_all' && all.value.high.every((h) => !h)).toBe(true);
  });

  it('round-trip every request', () => {
    fc.assert(
      fc.property(request, (r) => {
        expect(decodeRequest(encodeRequest(r))).toEqual({ ok: true, value: r });
      }),
    );
  });

  it('round-trip every response', () => {
    fc.assert(
      fc.property(exchange, ({ req, sb, res }) => {
        expect(decodeResponse(encodeResponse(res, sb), req, sb)).toEqual({ ok: true, value: res });
      }),
    );
  });

  it('put channel 1 in bit 0 of the last status byte', () => {
    const f = encodeResponse(
      {
        kind: 'query_all',
        board: 1,
        high: [true, false, false, false, false, false, false, false, true],
      },
      3,
    );
    expect(f.toString('hex')).toBe(
      `8001000101 33${(0x80 ^ 0x01 ^ 0x01 ^ 0x01 ^ 0x33).toString(16)}`.replace(' ', ''),
    );
  });

  it('detect any single corrupted byte (BCC, header or addressing)', () => {
    fc.assert(
      fc.property(
        exchange,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        ({ req, sb, res }, at, flip) => {
          const bytes = Buffer.from(encodeResponse(res, sb));
          bytes[at % bytes.length]! ^= flip;
          expect(decodeResponse(bytes, req, sb).ok).toBe(false);
          const rq = Buffer.from(encodeRequest(req));
          rq[at % rq.length]! ^= flip;
          const back = decodeRequest(rq);
          expect(back.ok && JSON.stringify(back.value) === JSON.stringify(req)).toBe(false);
        },
      ),
    );
  });

  it('find the reply behind noise and across arbitrary chunk boundaries', () => {
    const noise = fc
      .uint8Array({ maxLength: 20 })
      .map((a) => Buffer.from(a.filter((b) => b !== 0x80 && b !== 0x8a)));
    fc.assert(
      fc.property(exchange, noise, fc.nat({ max: 40 }), ({ req, sb, res }, junk, cut) => {
        const wire = Buffer.concat([junk, encodeResponse(res, sb)]);
        const k = cut % (wire.length + 1);
        const first = extractResponse(wire.subarray(0, k), req, sb);
        const second = first.response
          ? first
          : extractResponse(Buffer.concat([first.rest, wire.subarray(k)]), req, sb);
        expect(second.response).toEqual(res);
      }),
    );
  });

  it('skip a corrupted reply and still find the good one after it', () => {
    const req: BoardRequest = { kind: 'unlock', board: 3, channel: 7 };
    const good = encodeResponse({ kind: 'unlock', board: 3, channel: 7, high: true });
    const bad = Buffer.from(good);
    bad[4]! ^= 0xff;
    expect(extractResponse(Buffer.concat([bad, good]), req, 3).response).toEqual({
      kind: 'unlock',
      board: 3,
      channel: 7,
      high: true,
    });
  });

  it('let the board side resynchronise on garbage between requests', () => {
    fc.assert(
      fc.property(
        fc.array(request, { maxLength: 5 }),
        fc.uint8Array({ maxLength: 8 }),
        (reqs, junk) => {
          const clean = Buffer.from(junk.filter((b) => b !== 0x80 && b !== 0x8a));
          const wire = Buffer.concat(reqs.flatMap((r) => [clean, encodeRequest(r)]));
          expect(extractRequests(wire).requests).toEqual(reqs);
        },
      ),
    );
  });

  it('refuse out-of-range addresses when encoding', () => {
    expect(() => encodeRequest({ kind: 'unlock', board: 0, channel: 1 })).toThrow(RangeError);
    expect(() => encodeRequest({ kind: 'unlock', board: 1, channel: 256 })).toThrow(RangeError);
    expect(bcc([0x8a, 0x01, 0x01, 0x11])).toBe(0x9b);
  });
});
