/**
 * A deposit and its Idempotency-Key are one transaction: when the node dies after the
 * deposit committed but before the HTTP layer stored the answer (ADR 0008), the retry
 * that runs the handler again finds the deposit already made and answers with it. The
 * crash suite found the double deposit this prevents (test/faults, docs/reliability.md).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker, auth, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';

const L = 'idem-0001';
const OTHER = 'idem-0002';

describeEachDialect('deposit idempotency inside the transaction', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    for (const id of [L, OTHER]) {
      await activeLocker(t, w, id, `幂等柜 ${id}`, 24);
    }
  });
  afterAll(async () => t?.close());

  /** What a node that died after the commit leaves behind: no stored answer for the key. */
  const forgetStoredAnswers = () => t.database.db.deleteFrom('idempotency_keys').execute();
  const post = (who: 'courier' | 'residentA', url: string, key: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { ...auth(w, who), 'idempotency-key': key },
      payload,
    });
  const count = async (table: 'parcels' | 'locker_commands', lockerId: string) =>
    (await t.database.db.selectFrom(table).select('id').where('locker_id', '=', lockerId).execute())
      .length;

  it('a courier deposit retried after its stored answer was lost reserves nothing new', async () => {
    const body = { waybill: 'ZTO-IDEM-1', recipientPhone: '13800000001', size: 'S' };
    const first = await post('courier', `/lockers/${L}/deposits`, 'crash-retry-0001', body);
    expect(first.statusCode).toBe(201);
    await forgetStoredAnswers();
    const again = await post('courier', `/lockers/${L}/deposits`, 'crash-retry-0001', body);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined(); // the handler ran again…
    expect(again.json()).toEqual(first.json()); // …and answered with the deposit it had made
    expect(await count('parcels', L)).toBe(1);
    expect(await count('locker_commands', L)).toBe(1);
    const reserved = await t.database.db
      .selectFrom('compartments')
      .select('number')
      .where('locker_id', '=', L)
      .where('use', '=', 'reserved')
      .execute();
    expect(reserved).toEqual([{ number: first.json().compartment }]);
  });

  it('the same key with another request (a client reusing keys after the HTTP layer forgot them) makes that deposit', async () => {
    await forgetStoredAnswers();
    const r = await post('courier', `/lockers/${OTHER}/deposits`, 'crash-retry-0001', {
      waybill: 'ZTO-IDEM-2',
      recipientPhone: '13800000001',
      size: 'S',
    });
    expect(r.statusCode).toBe(201);
    expect(await count('parcels', OTHER)).toBe(1);
    // …and the first deposit is still the only one at its locker.
    expect(await count('parcels', L)).toBe(1);
  });

  it('neighbour deposits and outgoing parcels are kept to one per key as well, each route on its own', async () => {
    const nbr = { recipientPhone: '13800000002', size: 'S' };
    const a = await post('residentA', `/lockers/${L}/neighbour-deposits`, 'resident-key-0001', nbr);
    expect(a.statusCode).toBe(201);
    await forgetStoredAnswers();
    const b = await post('residentA', `/lockers/${L}/neighbour-deposits`, 'resident-key-0001', nbr);
    expect(b.json().parcelId).toBe(a.json().parcelId);
    // The same key on the send route is another request: its own parcel.
    const sent = await post('residentA', `/lockers/${L}/outgoing`, 'resident-key-0001', {
      carrierId: w.carrier,
      size: 'S',
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json().parcelId).not.toBe(a.json().parcelId);
    expect(await count('parcels', L)).toBe(3);
  });
});
