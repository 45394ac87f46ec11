/**
 * The set-up the mini-program's page tests share: a demo node (HTTP, embedded broker, a locker
 * agent on a simulated cabinet), the mini-program built for it, jsdom for the simulator and a
 * fake `wx`; screenshots written and everything stopped after the file. Plus the two steps
 * the files repeat: a GET as the signed-in resident, and a courier's parcel put in and stored.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../../test/demo-world.ts';
import { until } from '../../test/harness.ts';
import { buildFor, type FakeWx, installDom, installWx } from './simulate.ts';
import { type Shot, writeShots } from './shots.ts';

/** Where the mini-program keeps its session. */
export const SESSION = 'antnest.resident.session';

/** The file's node, built mini-program and fake wx; set before the file's first test. */
export interface MiniProgramNode {
  w: DemoWorld;
  /** The built mini-program's folder. */
  dir: string;
  wx: FakeWx;
  /** Screenshots written beside the build after the file. */
  shots: Shot[];
  /** GET as the signed-in resident, with the session the mini-program keeps (expects a 200). */
  mine<T>(url: string): Promise<T>;
  /** ZTO's courier deposits a small parcel for `phone` at the file's locker and shuts it in. */
  storeParcel(phone: string, waybill: string): Promise<{ compartment: number; parcelId: string }>;
}

/** Start the node (its locker's screen API too when `screen`) before the file's tests and stop it after. */
export function useMiniProgramNode(opts: { lockerId: string; screen?: boolean }): MiniProgramNode {
  const n = {
    shots: [] as Shot[],
    mine: <T>(url: string) => mine<T>(n, url),
    storeParcel: (phone: string, waybill: string) => storeParcel(n, opts.lockerId, phone, waybill),
  } as MiniProgramNode;
  let removeDom: (() => void) | undefined;
  beforeAll(async () => {
    n.w = await startDemoWorld('sqlite', {
      lockerId: opts.lockerId,
      ...(opts.screen ? { screen: true } : {}),
    });
    n.dir = await buildFor(n.w.server.httpUrl);
    removeDom = installDom();
    n.wx = installWx();
  }, 60_000);
  afterAll(async () => {
    removeDom?.();
    await n.w?.stop();
    if (n.dir) await writeShots(n.dir, n.shots);
    if (n.dir) fs.rmSync(n.dir, { recursive: true, force: true });
  });
  return n;
}

/** GET as the signed-in resident, with the session the mini-program keeps. */
async function mine<T>(n: MiniProgramNode, url: string): Promise<T> {
  const s = n.wx.storage.get(SESSION) as { accessToken: string };
  const r = await fetch(`${n.w.server.httpUrl}/api/v1${url}`, {
    headers: { authorization: `Bearer ${s.accessToken}` },
  });
  expect(r.status).toBe(200);
  return (await r.json()) as T;
}

/** ZTO's courier deposits a small parcel for `phone` at `lockerId` and shuts it in; its compartment and id. */
async function storeParcel(
  n: MiniProgramNode,
  lockerId: string,
  phone: string,
  waybill: string,
): Promise<{ compartment: number; parcelId: string }> {
  const { w } = n;
  const r = await w.api('courier.zto', 'POST', `/lockers/${lockerId}/deposits`, {
    waybill,
    recipientPhone: phone,
    size: 'S',
  });
  expect(r.statusCode).toBe(201);
  const { compartment, parcelId } = r.json() as { compartment: number; parcelId: string };
  await until('door open', async () => w.bus.door(compartment) === 'open');
  w.bus.setOccupied(compartment, true);
  w.bus.closeDoor(compartment);
  await until(
    'stored',
    async () =>
      (await w.api('courier.zto', 'GET', `/courier/parcels/${parcelId}`)).json().status ===
      'stored',
  );
  return { compartment, parcelId };
}
