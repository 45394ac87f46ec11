import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, cryptoRandom } from '../kernel/clock.ts';
import { ASYNCAPI_PATH, buildAsyncApi, renderAsyncApi } from './asyncapi.ts';
import { COMMAND_TYPES } from './commands.ts';
import { newCommandEnvelope, newEnvelope } from './envelope.ts';
import { FACT_TYPES, SIGNAL_TYPES } from './events.ts';
import {
  allLockersFilter,
  deviceMayPublish,
  deviceMaySubscribe,
  deviceUsername,
  lockerIdFromUsername,
  lockerTopic,
  parseLockerTopic,
  sharedFilter,
} from './topics.ts';
import {
  decodeCommand,
  decodeEvent,
  decodeMessage,
  decodeResponse,
  decodeState,
  decodeStatus,
} from './validate.ts';

const clock = new ManualClock();
const env = () => newCommandEnvelope({ lockerId: 'qsh-01-1', clock, random: cryptoRandom });

describe('topics', () => {
  it('builds and parses every kind', () => {
    for (const kind of ['cmd', 'res', 'evt', 'state', 'status'] as const) {
      const t = lockerTopic('qsh-01-1', kind);
      expect(t).toBe(`antnest/v1/lockers/qsh-01-1/${kind}`);
      expect(parseLockerTopic(t)).toEqual({ lockerId: 'qsh-01-1', kind });
    }
    expect(allLockersFilter('evt')).toBe('antnest/v1/lockers/+/evt');
    expect(sharedFilter('api', 'res')).toBe('$share/api/antnest/v1/lockers/+/res');
  });

  it('refuses malformed topics and ids', () => {
    for (const t of [
      'antnest/v1/lockers/qsh-01-1',
      'antnest/v1/lockers/qsh-01-1/cmd/x',
      'antnest/v2/lockers/qsh-01-1/cmd',
      'antnest/v1/lockers/Q/cmd',
      'antnest/v1/lockers/+/cmd',
      'antnest/v1/lockers/abc/other',
    ]) {
      expect(parseLockerTopic(t)).toBeNull();
    }
    expect(() => lockerTopic('-bad', 'cmd')).toThrow();
    expect(() => lockerTopic('a/b', 'cmd')).toThrow();
  });

  it('lets a locker use only its own topics', () => {
    expect(deviceUsername('qsh-01-1')).toBe('qsh-01-1');
    expect(lockerIdFromUsername('qsh-01-1')).toBe('qsh-01-1');
    expect(lockerIdFromUsername('antnest-cloud')).toBeNull();
    expect(lockerIdFromUsername('../x')).toBeNull();
    expect(deviceMayPublish('qsh-01-1', 'antnest/v1/lockers/qsh-01-1/evt')).toBe(true);
    expect(deviceMayPublish('qsh-01-1', 'antnest/v1/lockers/qsh-01-1/cmd')).toBe(false);
    expect(deviceMayPublish('qsh-01-1', 'antnest/v1/lockers/qsh-01-2/evt')).toBe(false);
    expect(deviceMaySubscribe('qsh-01-1', 'antnest/v1/lockers/qsh-01-1/cmd')).toBe(true);
    expect(deviceMaySubscribe('qsh-01-1', 'antnest/v1/lockers/+/cmd')).toBe(false);
    expect(deviceMaySubscribe('qsh-01-1', 'antnest/v1/lockers/qsh-01-1/#')).toBe(false);
  });
});

describe('validators', () => {
  it('accept a valid command of every type', () => {
    const kdf = { alg: 'scrypt', logN: 14, r: 8, p: 1, keyLength: 32 };
    const samples: Record<string, object> = {
      open: { type: 'open', compartment: 3, reason: 'pickup', parcelId: 'p-1' },
      disinfect: { type: 'disinfect', compartment: 'all', durationSeconds: 120 },
      sync: {
        type: 'sync',
        revision: 4,
        kdf,
        verifiers: [
          {
            parcelId: 'p-1',
            compartment: 3,
            salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
            hash: 'A'.repeat(43) + '=',
            expiresAt: '2026-11-30T00:00:00.000Z',
          },
        ],
      },
      config: { type: 'config', settings: { heartbeatSeconds: 30 } },
      reboot: { type: 'reboot' },
      replay: { type: 'replay', fromSeq: 10, toSeq: 20 },
      screen_result: {
        type: 'screen_result',
        screenRequestId: 'req-00000001',
        outcome: 'wrong_code',
      },
      courier_session: {
        type: 'courier_session',
        session: 'aaa.bbb.ccc',
        courier: '中通快递 · 张**',
        sessionExpiresAt: '2026-11-30T00:10:00.000Z',
      },
    };
    expect(Object.keys(samples).sort()).toEqual([...COMMAND_TYPES].sort());
    for (const body of Object.values(samples)) {
      const r = decodeCommand(Buffer.from(JSON.stringify({ ...env(), ...body })));
      expect(r, JSON.stringify(body)).toMatchObject({ ok: true });
    }
  });

  it('reject what is not the contract, with a reason a person can act on', () => {
    const cases: [unknown, RegExp][] = [
      [Buffer.from([0xff, 0xfe, 0x00]), /not UTF-8/],
      ['{"type":', /not JSON/],
      ['[1,2]', /not a JSON object/],
      [{ ...env() }, /string "type"/],
      [{ ...env(), type: 'explode' }, /unknown type "explode"/],
      [{ ...env(), type: 'open', compartment: 0, reason: 'pickup' }, /\/compartment/],
      [
        { ...env(), type: 'open', compartment: 1, reason: 'pickup', extra: true },
        /additional properties.*extra/,
      ],
      [{ ...env(), type: 'open', compartment: 1, reason: 'because' }, /\/reason/],
      [{ ...env(), type: 'config', settings: {} }, /settings/],
      [{ ...env(), lockerId: 'BAD ID', type: 'reboot' }, /\/lockerId/],
      [{ ...env(), expiresAt: 'tomorrow', type: 'reboot' }, /\/expiresAt/],
      [
        { ...env(), type: 'config', settings: { screenText: 'a\u0000b' } },
        /settings\.screenText contains a NUL/,
      ],
      // Issue 13, finding 10: bidi controls and control characters in device text too; finding 6: nesting.
      [
        { ...env(), type: 'config', settings: { screenText: '取件\u202e码' } },
        /settings\.screenText contains a bidirectional-text control/,
      ],
      [
        { ...env(), type: 'config', settings: { screenText: '取件\u001b[2J' } },
        /settings\.screenText contains a control character/,
      ],
      [`{"type":"reboot","x":${'['.repeat(7000)}${']'.repeat(7000)}}`, /nested deeper than 32/],
    ];
    for (const [payload, reason] of cases) {
      const r = decodeCommand(
        typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
      );
      expect(r.ok, String(reason)).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });

  it('never throw, whatever bytes arrive', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('cmd', 'res', 'evt', 'state', 'status'),
        (bytes, kind) => {
          const r = decodeMessage(kind as 'cmd', Buffer.from(bytes));
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const d of [decodeCommand, decodeEvent, decodeResponse, decodeState, decodeStatus])
          expect(d(JSON.stringify(v)).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('tell facts (seq) from signals (expiresAt)', () => {
    const base = newEnvelope('qsh-01-1', clock, cryptoRandom);
    expect(
      decodeEvent({ ...base, seq: 1, type: 'occupancy', compartment: 2, occupied: true }).ok,
    ).toBe(true);
    expect(decodeEvent({ ...base, type: 'occupancy', compartment: 2, occupied: true }).ok).toBe(
      false,
    );
    const dep = {
      type: 'deposit_requested',
      requestId: 'req-00000001',
      session: 'aaa.bbb.ccc',
      waybill: 'ZTO1234',
      recipientPhone: '13800000001',
      size: 'S',
    };
    expect(decodeEvent({ ...base, expiresAt: base.sentAt, ...dep }).ok).toBe(true);
    expect(decodeEvent({ ...base, seq: 3, expiresAt: base.sentAt, ...dep }).ok).toBe(false);
    expect(
      decodeEvent({ ...base, expiresAt: base.sentAt, ...dep, recipientPhone: '138-0000-0001' }).ok,
    ).toBe(false);
    expect(
      decodeEvent({
        ...base,
        expiresAt: base.sentAt,
        type: 'code_entered',
        requestId: 'req-00000001',
        code: '1234567',
      }).ok,
    ).toBe(false);
  });
});

describe('AsyncAPI document', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

  it('is up to date with the schemas (regenerate: npx tsx src/contract/asyncapi.ts)', () => {
    expect(fs.readFileSync(path.join(root, ASYNCAPI_PATH), 'utf8')).toBe(renderAsyncApi());
  });

  it('describes every message, and every reference resolves', () => {
    const doc = buildAsyncApi() as { components: { messages: Record<string, unknown> } };
    const names = Object.keys(doc.components.messages);
    expect(names.filter((n) => n.endsWith('Command'))).toHaveLength(COMMAND_TYPES.length);
    expect(names.filter((n) => n.endsWith('Event'))).toHaveLength(FACT_TYPES.length);
    expect(names.filter((n) => n.endsWith('Signal'))).toHaveLength(SIGNAL_TYPES.length);
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/[^"]+"/g) ?? [];
    for (const r of refs) {
      const ptr = r.slice(10, -1).split('/');
      let node: unknown = doc;
      for (const part of ptr) node = (node as Record<string, unknown>)?.[part];
      expect(node, r).toBeDefined();
    }
  });
});
