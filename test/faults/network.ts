/**
 * Network and device faults. The devices reach the node's broker through a
 * fault-injecting proxy (src/device/testing/fault-proxy.ts):
 *  1. lossy network: PUBLISH and PUBACK packets dropped, duplicated and delayed at seeded
 *     rates, connections cut now and then, during a seeded workload;
 *  2. a long outage: every device offline for 72 simulated hours (their clocks jump),
 *     residents pick parcels up with their codes meanwhile (offline verifiers), and the
 *     offline pickups are reconciled when the network returns;
 *  3. clock skew: one device's clock runs minutes fast and another's slow.
 * After each: every command ends answered or expired, nothing is applied twice, and
 * the crash suite's invariants hold.
 */
import type { Clock } from '../../src/platform/clock.ts';
import { type FaultProxy, startFaultProxy } from '../../src/device/testing/fault-proxy.ts';
import { CrashWorld, type Dialect } from './crash-world.ts';
import { crashTrial, type Pending, settle } from './crash.ts';
import { checkInvariants, type Ledger } from './invariants.ts';

const HOUR = 3600_000;

/** A device clock that follows real time plus an adjustable offset. */
class SkewedClock implements Clock {
  constructor(public offsetMs = 0) {}
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

/** Run the network and device fault scenarios; returns failures (one line each). */
export async function runNetworkFaults(
  dialect: Dialect,
  opts: { seed: string; full: boolean },
): Promise<string[]> {
  const failures: string[] = [];
  const out = (s: string) => process.stdout.write(`${s}\n`);
  let proxy: FaultProxy | undefined;
  const clocks = new Map<string, SkewedClock>();
  const w = await CrashWorld.create(dialect, {
    lockers: 3,
    deviceBroker: async (mqttUrl) => {
      proxy = await startFaultProxy(Number(new URL(mqttUrl).port), { seed: opts.seed });
      return proxy.url;
    },
    clocks: (id) => {
      const c = new SkewedClock();
      clocks.set(id, c);
      return c;
    },
  });
  const p = proxy!;
  const ledger: Ledger = { deposits: new Map(), commands: new Set(), unknownWaybills: new Set() };
  const deferred: Pending[] = [];
  const seen = new Set<string>();
  const check = async (what: string) => {
    await settle(w);
    for (const v of await checkInvariants(w, ledger, { settleGraceMs: 30_000 })) {
      if (!seen.has(v)) failures.push(`${what} (seed ${opts.seed}): ${v}`);
      seen.add(v);
    }
  };
  try {
    // 1. Lossy network.
    const rounds = opts.full ? 40 : 6;
    p.setRates({ drop: 0.1, duplicate: 0.1, delay: 0.1, delayMs: [5, 200], acks: true });
    for (let i = 0; i < rounds; i++) {
      if (process.env['FAULTS_VERBOSE']) out(`  lossy round ${i}`);
      await crashTrial(w, ledger, `${opts.seed}-lossy-${i}`, 'none', deferred, {
        settle: false,
        online: false,
      });
      if (i % 3 === 2) {
        p.cut();
        await new Promise((r) => setTimeout(r, 200));
        p.restore();
      }
    }
    p.setRates({ drop: 0, duplicate: 0, delay: 0 });
    // Dropped QoS 1 packets are resent on reconnect: heal the network with one last cut.
    p.cut();
    p.restore();
    for (const c of w.cabinets) await c.agent.whenOnline(30_000);
    await waitCommandsSettled(w, 90_000);
    await check('lossy network');
    out(
      `[network ${dialect}] lossy: ${p.counts.packets} packets, ${p.counts.dropped} dropped, ${p.counts.duplicated} duplicated, ${p.counts.delayed} delayed, ${p.counts.cuts} cuts · ${ledger.deposits.size} deposits, ${w.putIn.size} stored, ${w.takenOut.size} picked up`,
    );

    // 2. 72 simulated hours offline with pickups at the keypad.
    const stored = await w.db
      .selectFrom('parcels')
      .select(['id', 'locker_id', 'recipient_user_id'])
      .where('status', '=', 'stored')
      .execute();
    await new Promise((r) => setTimeout(r, 1500)); // verifiers synced to the devices
    const codes: { parcelId: string; lockerId: string; code: string }[] = [];
    for (const s of stored) {
      if (!s.recipient_user_id || !w.residentToken.has(s.recipient_user_id)) continue;
      const mine = await w.call(s.recipient_user_id, 'GET', `/me/parcels/${s.id}`);
      if (mine?.body?.code)
        codes.push({ parcelId: s.id, lockerId: s.locker_id, code: mine.body.code });
    }
    if (process.env['FAULTS_VERBOSE']) out(`  offline with ${codes.length} codes`);
    p.cut();
    await new Promise((r) => setTimeout(r, 300));
    for (const c of clocks.values()) c.offsetMs += 72 * HOUR;
    let offlineOpened = 0;
    for (const c of codes) {
      const cab = w.cabinets.find((x) => x.lockerId === c.lockerId)!;
      const reply = await cab.agent.enterCode(c.code);
      if (reply.result === 'opened') offlineOpened++;
    }
    await w.peopleDone();
    p.restore();
    for (const c of w.cabinets) await c.agent.whenOnline(30_000);
    await waitCommandsSettled(w, 60_000);
    await check('72 h offline');
    const reconciled = await w.db
      .selectFrom('parcels')
      .select(['id', 'status'])
      .where('id', 'in', codes.length ? codes.map((c) => c.parcelId) : ['-'])
      .execute();
    const notReconciled = reconciled.filter(
      (r) => r.status !== 'picked_up' && w.takenOut.has(r.id),
    );
    for (const r of notReconciled)
      failures.push(`72 h offline: parcel ${r.id} was picked up offline but is ${r.status}`);
    if (codes.length && offlineOpened === 0)
      failures.push('72 h offline: no code opened a door offline');
    out(
      `[network ${dialect}] 72 h offline: ${codes.length} codes typed, ${offlineOpened} doors opened offline, ${reconciled.filter((r) => r.status === 'picked_up').length} reconciled as picked up`,
    );
    for (const c of clocks.values()) c.offsetMs = 0;

    // 3. Clock skew: one device 5 minutes fast, one 5 minutes slow.
    const skews = [5 * 60_000, -5 * 60_000];
    [...clocks.values()].slice(0, 2).forEach((c, i) => (c.offsetMs = skews[i]!));
    for (let i = 0; i < (opts.full ? 20 : 4); i++)
      await crashTrial(w, ledger, `${opts.seed}-skew-${i}`, 'none', deferred, {
        settle: false,
        online: false,
      });
    await waitCommandsSettled(w, 90_000);
    await check('clock skew');
    const outcomes = await w.db
      .selectFrom('locker_commands')
      .select(['locker_id', 'status', 'response_status'])
      .where('created_at', '>', new Date(Date.now() - 5 * 60_000).toISOString())
      .execute();
    const tally: Record<string, number> = {};
    for (const o of outcomes)
      tally[`${o.status}/${o.response_status ?? '-'}`] =
        (tally[`${o.status}/${o.response_status ?? '-'}`] ?? 0) + 1;
    out(`[network ${dialect}] clock skew ±5 min: command outcomes ${JSON.stringify(tally)}`);
  } catch (e) {
    failures.push(`aborted: ${(e as Error).stack ?? e}`);
  } finally {
    await w.close();
    await p.close();
  }
  return failures;
}

/** Wait until no command is pending or sent (answered or expired), or time runs out. */
async function waitCommandsSettled(w: CrashWorld, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    await w.peopleDone();
    const open = await w.db
      .selectFrom('locker_commands')
      .select('id')
      .where('status', 'in', ['pending', 'sent'])
      .execute();
    if (!open.length) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
