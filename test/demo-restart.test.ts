/**
 * `npm start` a second time on the same data directory: the seeded world is kept, and so is
 * each simulated locker's state (its seq, outbox and codes, in `data/demo-lockers/`), so a
 * delivery completes after the restart as it did before it. With the lockers' state in memory
 * only, every fact after a restart reused a seq the cloud had stored and was refused as a
 * duplicate: deposits stayed reserved for good.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type DemoFleet, startDemoFleet } from '../src/demo/fleet.ts';
import { DEMO_PASSWORD, FIRST_ROUND } from '../src/demo/jinquan.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { until } from './harness.ts';

const LOCKER = 'jinquan-0001'; // 清淳家园 1栋1单元
const ZHANG = '13800000001'; // standing consent

describe('the demo started twice on one data directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-demo-restart-'));
  let server: RunningServer | undefined;
  let fleet: DemoFleet | undefined;
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    const config = loadConfig(
      { PORT: '0', MQTT_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dir },
      { demo: true },
    );
    server = await startServer(config, {
      startFleet: async (url, lockers, o) => (fleet = await startDemoFleet(url, lockers, o)),
    });
    await until(
      'the demo locker online',
      async () => fleet!.members.get(LOCKER)?.agent.online() === true,
      60_000,
    );
  };

  /** A courier's deposit at the locker, until the simulated hand has stored it. */
  const deliver = async (waybill: string) => {
    const login = await server!.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'courier.sf', password: DEMO_PASSWORD },
    });
    const auth = { authorization: `Bearer ${login.json().accessToken as string}` };
    const r = await server!.app.inject({
      method: 'POST',
      url: `/api/v1/lockers/${LOCKER}/deposits`,
      headers: { ...auth, 'idempotency-key': waybill },
      payload: { recipientPhone: ZHANG, size: 'S', waybill },
    });
    expect(r.statusCode, r.body).toBe(201);
    const parcelId = r.json().parcelId as string;
    const status = async () =>
      (
        (
          await server!.app.inject({
            method: 'GET',
            url: '/api/v1/courier/deposits',
            headers: auth,
          })
        ).json() as { parcelId: string; status: string }[]
      ).find((p) => p.parcelId === parcelId)?.status;
    await until(`parcel ${waybill} stored`, async () => (await status()) === 'stored', 30_000);
  };

  /** The first courier round's parcels (first-round.ts), with their status. */
  const firstRound = () =>
    server!.database.db
      .selectFrom('parcels')
      .select(['status', 'locker_id'])
      .where('waybill', '=', FIRST_ROUND.waybill)
      .execute();

  it('completes a delivery before and after the restart', async () => {
    await start();
    // A fresh demo delivers 王大爷 a parcel at his unit's locker, stored by the simulated hand.
    await until(
      'the first courier round stored',
      async () => (await firstRound())[0]?.status === 'stored',
      30_000,
    );
    expect(await firstRound()).toEqual([{ status: 'stored', locker_id: 'jinquan-0036' }]);
    await deliver('SF7000000001');
    await server!.close();
    server = undefined;
    expect(fs.readdirSync(path.join(dir, 'demo-lockers'))).toContain(`${LOCKER}.db`);
    await start();
    await deliver('SF7000000002');
    // A restart keeps the world as it was: no second first round.
    expect(await firstRound()).toHaveLength(1);
  }, 240_000);
});
