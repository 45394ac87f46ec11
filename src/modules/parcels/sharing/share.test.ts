/**
 * Family shares, parcels travelling together, "what I sent" and the policy-stated notice:
 * a share shows the parcel to the family member and ends with a new code; nobody else
 * sees a share, its parcel or its history.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker, auth, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { deposit } from '../deposit/deposit.service.ts';
import { depositForNeighbour } from '../deposit/neighbour.service.ts';
import { savePolicy, DEFAULT_POLICY } from '../overdue/overdue.policy.ts';
import * as parcels from '../core/parcel.repository.ts';
import { storeParcel } from '../deposit/store.service.ts';

const L = 'shr-0001';

describeEachDialect('family shares, together, sent', (dialect) => {
  let t: TestApp;
  let w: World;
  let waybill = 1000;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    await activeLocker(t, w, L, '分享柜', 24);
  });
  afterAll(async () => t?.close());

  const courier = () => ({ userId: w.users.courier.id, carrierId: w.carrier });
  async function storedFor(phone: string, extra: { together?: boolean } = {}) {
    const { parcel } = await deposit(t.deps, courier(), {
      lockerId: L,
      waybill: `ZTO${waybill++}`,
      recipientPhone: phone,
      size: 'S',
      kind: 'delivery',
      ...extra,
    });
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    return (await parcels.findParcel(t.database.db, parcel.id))!;
  }
  const call = (
    who: Parameters<typeof auth>[1],
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });

  it('shares a pickup: the family member sees it (with the code) and may open it; revoking ends that and changes the code', async () => {
    const p = await storedFor('13800000001');
    const shared = await call('residentA', 'POST', `/me/parcels/${p.id}/shares`, {
      phone: '138-0000-0002',
    });
    expect(shared.statusCode).toBe(201);
    expect(shared.json()).toMatchObject({ phone: '138****0002' });
    // Sharing again with the same phone is the same share, not a second one.
    expect(
      (
        await call('residentA', 'POST', `/me/parcels/${p.id}/shares`, { phone: '13800000002' })
      ).json().shareId,
    ).toBe(shared.json().shareId);
    const sms = await t.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('parcel_id', '=', p.id)
      .where('channel', '=', 'sms')
      .orderBy('created_at')
      .execute();
    expect(sms.at(-1)!.body).toMatch(/共享了一个包裹的取件权.*取件码 \d{8}/);
    expect(t.deps.vault.decrypt(sms.at(-1)!.phone_cipher!)).toBe('13800000002');

    const bList = (await call('residentB', 'GET', '/me/parcels')).json() as {
      parcelId: string;
      access: string;
      code: string | null;
    }[];
    const seen = bList.find((x) => x.parcelId === p.id);
    expect(seen).toMatchObject({ access: 'shared' });
    expect(seen!.code).toMatch(/^\d{8}$/);
    expect((await call('residentB', 'GET', `/me/parcels/${p.id}/events`)).statusCode).toBe(200);
    expect((await call('residentB', 'POST', `/me/parcels/${p.id}/open`)).statusCode).toBe(202);
    // A family member cannot pass it on, list the shares or revoke them.
    expect(
      (await call('residentB', 'POST', `/me/parcels/${p.id}/shares`, { phone: '13800000003' }))
        .statusCode,
    ).toBe(404);
    expect((await call('residentB', 'GET', `/me/parcels/${p.id}/shares`)).statusCode).toBe(404);
    expect(
      (await call('residentB', 'DELETE', `/me/parcels/${p.id}/shares/${shared.json().shareId}`))
        .statusCode,
    ).toBe(404);

    const oldCode = seen!.code;
    const revoked = await call(
      'residentA',
      'DELETE',
      `/me/parcels/${p.id}/shares/${shared.json().shareId}`,
    );
    expect(revoked.statusCode).toBe(204);
    expect((await call('residentB', 'GET', `/me/parcels/${p.id}`)).statusCode).toBe(404);
    expect(
      ((await call('residentB', 'GET', '/me/parcels')).json() as { parcelId: string }[]).map(
        (x) => x.parcelId,
      ),
    ).not.toContain(p.id);
    const mine = (await call('residentA', 'GET', `/me/parcels/${p.id}`)).json();
    expect(mine.code).toMatch(/^\d{8}$/);
    expect(mine.code).not.toBe(oldCode);
    expect((await call('residentA', 'GET', `/me/parcels/${p.id}/shares`)).json()).toEqual([]);
    expect(
      (await call('residentA', 'DELETE', `/me/parcels/${p.id}/shares/${shared.json().shareId}`))
        .statusCode,
    ).toBe(404);
    const types = (
      (await call('residentA', 'GET', `/me/parcels/${p.id}/events`)).json() as { type: string }[]
    ).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['share_added', 'share_revoked', 'code_changed']));
  });

  it("is 404 for anyone else's parcel or share, 409 when nothing waits, and 4xx for a bad phone", async () => {
    const p = await storedFor('13800000001');
    const share = (
      await call('residentA', 'POST', `/me/parcels/${p.id}/shares`, { phone: '13800000002' })
    ).json();
    for (const who of ['residentC', 'courier', 'hallStaff1'] as const) {
      expect(
        (await call(who, 'POST', `/me/parcels/${p.id}/shares`, { phone: '13800000009' }))
          .statusCode,
      ).toBe(404);
      expect((await call(who, 'GET', `/me/parcels/${p.id}/shares`)).statusCode).toBe(404);
      expect(
        (await call(who, 'DELETE', `/me/parcels/${p.id}/shares/${share.shareId}`)).statusCode,
      ).toBe(404);
      expect((await call(who, 'GET', `/me/parcels/${p.id}/events`)).statusCode).toBe(404);
    }
    const bad = await call('residentA', 'POST', `/me/parcels/${p.id}/shares`, { phone: '12345' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/11-digit/);
    expect(
      (await call('residentA', 'POST', `/me/parcels/${p.id}/shares`, { phone: '13800000001' }))
        .statusCode,
    ).toBe(400);
    await parcels.updateParcel(t.database.db, p.id, { status: 'picked_up' });
    expect(
      (
        await call('residentA', 'POST', `/me/parcels/${p.id}/shares`, { phone: '13800000005' })
      ).json().error.message,
    ).toMatch(/waiting/);
    expect(
      await t.database.db
        .selectFrom('parcel_shares')
        .select('id')
        .where('parcel_id', '=', p.id)
        .execute(),
    ).toHaveLength(1);
  });

  it('puts a second parcel for the same recipient in beside the first, with one code for both', async () => {
    const first = await storedFor('13800000003');
    const second = await storedFor('13800000003', { together: true });
    expect(second.compartment).toBe(first.compartment);
    expect(second.together_with).toBe(first.id);
    expect(second.code_hash).toBe(first.code_hash);
    // Another recipient never joins: they get a compartment of their own.
    const other = await storedFor('13800000004', { together: true });
    expect(other.compartment).not.toBe(first.compartment);
    expect(other.together_with).toBeNull();
    const inside = await parcels.liveParcelsAt(t.database.db, L, first.compartment);
    expect(inside.map((x) => x.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('lists what I sent, with the neighbour masked and no code', async () => {
    const { parcel } = await depositForNeighbour(
      t.deps,
      { userId: w.users.residentA.id, communities: [w.community1] },
      { lockerId: L, recipientPhone: '13800000002', size: 'S' },
    );
    const sent = (await call('residentA', 'GET', '/me/sent')).json() as Record<string, unknown>[];
    expect(sent.find((x) => x['parcelId'] === parcel.id)).toMatchObject({
      kind: 'neighbour',
      recipientPhone: '138****0002',
    });
    expect(JSON.stringify(sent)).not.toMatch(/13800000002|"code"/);
    expect(((await call('residentB', 'GET', '/me/sent')).json() as unknown[]).length).toBe(0);
  });

  it("states the community's own free period and overdue policy in the notice", async () => {
    await savePolicy(t.deps, w.community1, {
      ...DEFAULT_POLICY,
      freeHours: 24,
      action: 'capped_fee',
      feePerDayFen: 50,
      feeCapFen: 300,
    });
    const p = await storedFor('13800000006');
    expect(Date.parse(p.free_until!) - Date.parse(p.stored_at!)).toBe(24 * 3600_000);
    const sms = await t.database.db
      .selectFrom('notifications')
      .select('body')
      .where('parcel_id', '=', p.id)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    expect(sms.body).toContain('超时后每天收取保管费0.50元，最多3元。');
    await savePolicy(t.deps, w.community1, DEFAULT_POLICY);
  });

  it('finding 3: share + revoke eight times with one number sends it 5 SMS, then 429 with Retry-After (issue 13)', async () => {
    const p = await storedFor('13800000001');
    const target = '13844440008';
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 8; i++) {
      last = await call('residentA', 'POST', `/me/parcels/${p.id}/shares`, { phone: target });
      statuses.push(last.statusCode);
      if (last.statusCode === 201)
        expect(
          (await call('residentA', 'DELETE', `/me/parcels/${p.id}/shares/${last.json().shareId}`))
            .statusCode,
        ).toBe(204);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.json().error.message).toMatch(
      /^This number has received many messages from antnest residents in the last hour\. Try again in \d+ seconds\.$/,
    );
    const texts = (
      await t.database.db
        .selectFrom('notifications')
        .select('phone_cipher')
        .where('parcel_id', '=', p.id)
        .where('channel', '=', 'sms')
        .execute()
    ).filter((n) => n.phone_cipher && t.deps.vault.decrypt(n.phone_cipher) === target);
    expect(texts).toHaveLength(5);
    await t.database.db.deleteFrom('rate_counters').execute();
  });
});
