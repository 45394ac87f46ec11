/**
 * Every row of the limits table (limits.ts) hit on its own route: the allowed calls pass,
 * the next one is a 429 with Retry-After and a message that says what happened and how long
 * to wait. Rows with large numbers start from a counter primed to max − 1 (the route still
 * makes both calls). A row without a case here fails the completeness check.
 */
import { readFileSync } from 'node:fs';
import type { Response } from 'light-my-request';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { activeLocker, auth, type WorldUser } from '../../test/factories.ts';
import { describeEachDialect } from '../../test/harness.ts';
import { useWorld } from '../../test/world.ts';
import { deposit, storeParcel } from '../modules/parcels/index.ts';
import * as parcels from '../modules/parcels/index.ts';
import { iso } from './clock.ts';
import type { Phone } from './crypto/phone.ts';
import { LIMITS, type LimitName } from './limits.ts';

/** Rows held by a test elsewhere (they do not answer 429 on a route of their own). */
const ELSEWHERE: Partial<Record<LimitName, { file: string; test: string }>> = {
  otpGuessesPerCode: {
    file: 'src/modules/identity/auth.test.ts',
    test: 'burns the challenge after the maximum attempts',
  },
  hallWrongCodesPerHall: {
    file: 'src/modules/parcels/overdue/overdue.test.ts',
    test: 'throttles wrong codes per hall',
  },
  open311PostPerAddress: {
    file: 'src/modules/needs/open311/open311.test.ts',
    test: 'filing is limited per network address and per api_key',
  },
  publicApiPerKey: {
    file: 'src/modules/needs/open311/open311.test.ts',
    test: 'filing is limited per network address and per api_key',
  },
  needsPerPhoneDay: {
    file: 'src/modules/needs/needs.test.ts',
    test: 'the per-phone daily limit holds across channels',
  },
};

interface Case {
  /** Prime this subject's counter to max − 1, so one call passes and the next is refused. */
  prime?: () => string;
  hit: (i: number) => Promise<Response>;
}

describeEachDialect('rate limits: each row of platform/limits.ts on its route', (dialect) => {
  const { t, w } = useWorld(dialect);
  let seq = 0;
  beforeAll(async () => {
    for (const l of [
      'lim-share',
      'lim-pick',
      'lim-nb1',
      'lim-nb2',
      'lim-nb3',
      'lim-out1',
      'lim-out2',
      'lim-out3',
    ])
      await activeLocker(t, w, l, l, 24);
  });
  // Each row starts from empty counters, so rows sharing a user do not spend each other's allowance.
  beforeEach(async () => {
    if (t) await t.database.db.deleteFrom('rate_counters').execute();
  });

  const post = (who: WorldUser | null, url: string, payload: object, ip = '10.9.9.9') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: who ? auth(w, who) : {},
      payload,
      remoteAddress: ip,
    });
  const del = (who: WorldUser, url: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/v1${url}`, headers: auth(w, who) });
  const phoneHash = (p: string) => t.deps.vault.hash(p as Phone);
  const newPhone = () => `137${String(55_000_000 + seq++).padStart(8, '0')}`;
  let parcelId = '';
  async function sharedParcel(): Promise<string> {
    if (parcelId) return parcelId;
    const { parcel } = await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      {
        lockerId: 'lim-share',
        waybill: 'ZTO77001',
        recipientPhone: '13800000001',
        size: 'S',
        kind: 'delivery',
      },
    );
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    return (parcelId = parcel.id);
  }
  /** Share residentA's parcel with a phone and revoke the share again: one SMS each time. */
  async function shareAndRevoke(phone: string): Promise<Response> {
    const id = await sharedParcel();
    const r = await post('residentA', `/me/parcels/${id}/shares`, { phone });
    if (r.statusCode === 201)
      expect(
        (await del('residentA', `/me/parcels/${id}/shares/${r.json().shareId}`)).statusCode,
      ).toBe(204);
    return r;
  }
  const neighbourAt =
    (lockers: string[], who: WorldUser = 'residentA') =>
    (i: number) =>
      post(
        who,
        `/lockers/${lockers[Math.min(Math.floor(i / 3), lockers.length - 1)]}/neighbour-deposits`,
        { recipientPhone: newPhone(), size: 'S' },
      );
  const sendAt = (lockers: string[]) => (i: number) =>
    post(
      'residentB',
      `/lockers/${lockers[Math.min(Math.floor(i / 3), lockers.length - 1)]}/outgoing`,
      { carrierId: w.carrier, size: 'S' },
    );

  const cases: Record<Exclude<LimitName, keyof typeof ELSEWHERE>, Case | 'planned'> = {
    otpSendPerPhoneMinute: {
      hit: () => post(null, '/auth/otp', { phone: '13811110001' }, '10.0.0.1'),
    },
    otpSendPerPhoneHour: {
      hit: (i: number) => {
        if (i > 0) t.clock.advance(61_000); // past the one-a-minute limit
        return post(null, '/auth/otp', { phone: '13811110002' }, '10.0.0.2');
      },
    },
    otpSendPerAddressHour: {
      prime: () => '10.0.0.3',
      hit: () => post(null, '/auth/otp', { phone: newPhone() }, '10.0.0.3'),
    },
    loginPerAccount: {
      hit: () =>
        post(
          null,
          '/auth/login',
          { username: 'communityworker1', password: 'not the password' },
          '10.0.0.4',
        ),
    },
    loginPerAddress: {
      prime: () => '10.0.0.5',
      hit: (i: number) =>
        post(null, '/auth/login', { username: `nobody${i}`, password: 'guess' }, '10.0.0.5'),
    },
    pickupWrongCodesPerPhone: {
      hit: () => post('residentA', '/me/pickups/code', { lockerId: 'lim-pick', code: '00000000' }),
    },
    pickupWrongCodesPerLocker: {
      prime: () => 'lim-pick',
      hit: () => post('residentB', '/me/pickups/code', { lockerId: 'lim-pick', code: '00000000' }),
    },
    pickupBadScansPerUser: {
      prime: () => w.users.residentA.id,
      hit: () => post('residentA', '/me/pickups/scan', { qr: 'not a locker screen code' }),
    },
    recipientLookupsPerCourier: {
      prime: () => w.users.courier.id,
      hit: () =>
        post('courier', '/couriers/recipient-preference', {
          recipientPhone: '13800000002',
          carrierId: w.carrier,
        }),
    },
    consentAsksPerRecipient: {
      prime: () => w.users.residentB.id,
      hit: (i: number) =>
        post('courier', '/couriers/consent-requests', {
          recipientPhone: '13800000002',
          lockerId: 'lim-pick',
          waybill: `ZTO8800${i}`,
          carrierId: w.carrier,
        }),
    },
    userLookupsPerCallerHour: {
      prime: () => w.users.communityWorker1.id,
      hit: () => post('communityWorker1', '/users/lookup', { phone: '13800000001' }),
    },
    userLookupsPerCallerDay: {
      prime: () => w.users.communityWorker1.id,
      hit: () => post('communityWorker1', '/users/lookup', { phone: '13800000001' }),
    },
    smsPerRecipientHour: { hit: () => shareAndRevoke('13822220001') },
    smsPerRecipientDay: {
      prime: () => phoneHash('13822220002'),
      hit: () => shareAndRevoke('13822220002'),
    },
    smsPerSenderHour: { hit: () => shareAndRevoke(newPhone()) },
    smsPerSenderDay: { prime: () => w.users.residentA.id, hit: () => shareAndRevoke(newPhone()) },
    neighbourDepositsPerResidentHour: { hit: neighbourAt(['lim-nb1', 'lim-nb2']) },
    neighbourDepositsPerResidentDay: {
      prime: () => w.users.residentA.id,
      hit: neighbourAt(['lim-nb3']),
    },
    sendsPerResidentHour: { hit: sendAt(['lim-out1', 'lim-out2']) },
    sendsPerResidentDay: { prime: () => w.users.residentB.id, hit: sendAt(['lim-out3']) },
    parcelSearchesPerStaffMinute: {
      hit: () =>
        post('communityWorker1', `/communities/${w.community1}/parcels/search`, { q: '1234' }),
    },
    parcelSearchesPerStaffDay: {
      prime: () => w.users.communityWorker1.id,
      hit: () =>
        post('communityWorker1', `/communities/${w.community1}/parcels/search`, { q: '5678' }),
    },
    householdCodeTriesPerUser: {
      hit: (i: number) => post('residentC', '/me/homes/join', { code: String(20_000_000 + i) }),
    },
    householdRequestsPerUser: {
      hit: (i: number) =>
        post('residentC', '/me/homes/requests', {
          unitId: i % 2 ? w.unitA : w.unitB,
          relation: '家人',
        }).then(async (r) => {
          if (r.statusCode === 201)
            await del('residentC', `/me/homes/requests/${r.json().requestId}`);
          return r;
        }),
    },
    provisionPerLocker: {
      hit: () =>
        post(
          null,
          '/lockers/provision',
          { lockerId: 'lim-prov', token: 'x'.repeat(40) },
          '10.0.0.6',
        ),
    },
    provisionPerAddress: {
      prime: () => '10.0.0.7',
      hit: (i: number) =>
        post(
          null,
          '/lockers/provision',
          { lockerId: `lim-prov-${i}`, token: 'x'.repeat(40) },
          '10.0.0.7',
        ),
    },
    // The hall's writes count every attempt before any check, so a refused cart still counts.
    hallOrdersPerResidentHour: {
      prime: () => w.users.residentA.id,
      hit: () =>
        post('residentA', `/me/halls/${w.hall1}/orders`, {
          fulfilment: 'pickup',
          lines: [{ itemId: w.hall1, quantity: 1, priceFen: 100 }],
        }),
    },
    hallGroupBuyWritesPerResidentHour: {
      prime: () => w.users.residentA.id,
      hit: (i: number) =>
        i === 0
          ? post('residentA', `/me/halls/${w.hall1}/group-buys`, {
              title: '拼团',
              description: '',
              category: 'fruit',
              priceFen: 100,
              unit: '箱',
              targetQty: 2,
              deadline: iso(t.clock.now() + 86_400_000),
            })
          : post('residentA', `/me/group-buys/${w.hall1}/join`, {
              quantity: 1,
              fulfilment: 'pickup',
            }),
    },
    hallBookingsPerResidentDay: {
      prime: () => w.users.residentA.id,
      hit: () =>
        post('residentA', `/me/hall-spaces/${w.hall1}/bookings`, {
          start: iso(t.clock.now() + 86_400_000),
          partySize: 1,
          purpose: '',
        }),
    },
  };

  it('every row has a case here or a named test elsewhere, and only planned rows are unused', () => {
    for (const [name, rule] of Object.entries(LIMITS) as [
      LimitName,
      (typeof LIMITS)[LimitName],
    ][]) {
      const elsewhere = ELSEWHERE[name];
      if (elsewhere) {
        expect(readFileSync(elsewhere.file, 'utf8'), `${name}: ${elsewhere.file}`).toContain(
          elsewhere.test,
        );
        continue;
      }
      const c = cases[name as keyof typeof cases];
      expect(c, name).toBeDefined();
      expect(c === 'planned', `${name} is ${'planned' in rule ? 'planned' : 'enforced'}`).toBe(
        'planned' in rule,
      );
    }
  });

  it('docs/security.md shows every row with its numbers', () => {
    const doc = readFileSync('docs/security.md', 'utf8');
    const win = (sec: number) =>
      sec % 86_400 === 0
        ? `${sec / 86_400} d`
        : sec % 3600 === 0
          ? `${sec / 3600} h`
          : `${sec / 60} min`;
    for (const [name, r] of Object.entries(LIMITS))
      expect(doc, name).toContain(
        `| \`${name}\` | ${r.per} | ${r.max} / ${win(r.windowSeconds)} |`,
      );
  });

  for (const [name, c] of Object.entries(cases) as [LimitName, Case | 'planned'][]) {
    if (c === 'planned') continue;
    const rule = LIMITS[name];
    it(`${name}: ${c.prime ? 'a primed counter' : `${rule.max} calls`} pass, the next is 429 with Retry-After (${rule.where})`, async () => {
      if (c.prime) {
        const key = `${rule.prefix}:${c.prime()}`;
        await t.database.db
          .insertInto('rate_counters')
          .values({ key, window_start: iso(t.clock.now()), count: rule.max - 1 })
          .execute();
      }
      const allowed = c.prime ? 1 : rule.max;
      for (let i = 0; i < allowed; i++) {
        const r = await c.hit(i);
        expect(r.statusCode, `${name} call ${i + 1}: ${r.body}`).not.toBe(429);
        expect(r.statusCode, `${name} call ${i + 1}: ${r.body}`).toBeLessThan(500);
      }
      const refused = await c.hit(allowed);
      expect(refused.statusCode, refused.body).toBe(429);
      const wait = Number(refused.headers['retry-after']);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(rule.windowSeconds);
      expect(refused.json().error).toEqual({
        code: 'rate_limited',
        message: `${rule.message} Try again in ${wait} seconds.`,
      });
    });
  }

  it('the live cap: a resident holds at most 3 compartments per locker (409 naming the way out)', async () => {
    const before = await parcels.liveResidentDepositsAt(
      t.database.db,
      'lim-nb1',
      w.users.residentA.id,
    );
    expect(before).toBe(3);
    const r = await post('residentA', '/lockers/lim-nb1/neighbour-deposits', {
      recipientPhone: newPhone(),
      size: 'S',
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/already hold 3 compartments at this locker/);
  });
});
