/**
 * Drives parcel cycles against a cluster the way couriers and residents would: deposit
 * over HTTP on one of the healthy nodes (retrying with the same Idempotency-Key when a
 * node dies under the request), the simulated locker opens, the courier shuts the door
 * on the parcel, the resident types the code on the screen, takes the parcel and shuts
 * the door. Cycles of one locker run one after another; lockers run side by side.
 */
import type { Database } from '../../src/db/database.ts';
import type { FleetHandle, FleetMember } from '../../src/device/fleet.ts';
import { openCode } from '../../src/modules/parcels/index.ts';
import { percentile } from '../../bench/stats.ts';

/** Where requests can go: the driver picks a healthy node round-robin, like a load balancer with health checks. */
export interface Target {
  readonly url: string;
  readonly healthy: boolean;
}

export interface DriverOptions {
  db: Database;
  fleet: FleetHandle;
  targets: () => readonly Target[];
  courierToken: string;
  phoneKey: Buffer;
  phones: readonly string[];
  lockers: readonly string[];
  cycles: number;
  /** Lockers cycling at the same time. */
  concurrency: number;
  runId: string;
  /** Called after each finished cycle with the count so far. */
  onProgress?: (done: number) => void | Promise<void>;
}

export interface CycleRecord {
  lockerId: string;
  parcelId: string;
  compartment: number;
  phone: string;
  /** The node that took the deposit. */
  via: string;
  ms: number;
  /** performance.now() when the parcel was picked up. */
  doneAt: number;
}

export interface DriverResult {
  completed: CycleRecord[];
  failed: { lockerId: string; i: number; error: string }[];
  /** Parcels a courier actually shut into a compartment (a cycle that failed later still put its parcel in). */
  placed: string[];
  wallSeconds: number;
  cyclesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests that hit a dead node or a 5xx and went again (same Idempotency-Key). */
  httpRetries: number;
  /**
   * When each of those happened (performance.now()), why, and when the request first went
   * out (`since`), to tell a kill's window from a rolling restart's: a key orphaned by the
   * kill keeps answering "in flight" until its 60 s claim lapses, maybe into the next fault.
   */
  httpRetriesAt: { at: number; since: number; why: string }[];
  /** Deposits answered 409 "no free compartment" (all busy or disinfecting) and tried again. */
  noRoomRetries: number;
  /** Codes typed a second time because the door did not open within 10 s. */
  codeRetries: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the parcels of in-flight cycles with one query per tick. */
class ParcelWatch {
  private readonly watched = new Map<
    string,
    { status: string; code_cipher: string | null } | null
  >();
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly db: Database) {}
  start(): void {
    const tick = async () => {
      const ids = [...this.watched.keys()];
      if (ids.length) {
        const rows = await this.db
          .selectFrom('parcels')
          .select(['id', 'status', 'code_cipher'])
          .where('id', 'in', ids)
          .execute()
          .catch(() => []);
        for (const r of rows) if (this.watched.has(r.id)) this.watched.set(r.id, r);
      }
      this.timer = setTimeout(() => void tick(), 100);
    };
    void tick();
  }
  stop(): void {
    clearTimeout(this.timer);
  }
  async until(
    id: string,
    statuses: string[],
    timeoutMs: number,
  ): Promise<{ status: string; code_cipher: string | null }> {
    this.watched.set(id, null);
    const end = Date.now() + timeoutMs;
    try {
      for (;;) {
        const r = this.watched.get(id);
        if (r && statuses.includes(r.status)) return r;
        if (Date.now() > end)
          throw new Error(
            `parcel ${id} is ${r?.status ?? 'unknown'} after ${timeoutMs} ms, expected ${statuses.join('|')}`,
          );
        await sleep(50);
      }
    } finally {
      this.watched.delete(id);
    }
  }
}

async function waitFor(what: string, fn: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Run the cycles; never throws for a failed cycle (it is recorded). */
export async function runCycles(o: DriverOptions): Promise<DriverResult> {
  const watch = new ParcelWatch(o.db);
  watch.start();
  const result: DriverResult = {
    completed: [],
    failed: [],
    placed: [],
    wallSeconds: 0,
    cyclesPerSecond: 0,
    p50Ms: 0,
    p99Ms: 0,
    httpRetries: 0,
    httpRetriesAt: [],
    noRoomRetries: 0,
    codeRetries: 0,
  };
  let rr = 0;
  const pick = (): Target | undefined => {
    const up = o.targets().filter((t) => t.healthy);
    return up[rr++ % Math.max(1, up.length)];
  };

  const retried = (since: number, why: string) => {
    result.httpRetries++;
    result.httpRetriesAt.push({ at: performance.now(), since, why });
  };

  const deposit = async (lockerId: string, i: number, phone: string) => {
    let key = `${o.runId}-${lockerId}-${i}`;
    let attempt = 0;
    const since = performance.now();
    const end = Date.now() + 180_000;
    for (;;) {
      if (Date.now() > end) throw new Error('deposit did not succeed within 180 s');
      const node = pick();
      if (!node) {
        await sleep(200);
        continue;
      }
      let res: Response;
      try {
        res = await fetch(`${node.url}/api/v1/lockers/${lockerId}/deposits`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${o.courierToken}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify({
            waybill: `ZTO${o.runId}${lockerId.slice(-4)}${String(i).padStart(5, '0')}${attempt}`,
            recipientPhone: phone,
            size: 'S',
          }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e) {
        retried(
          since,
          `network: ${((e as Error).cause as { code?: string } | undefined)?.code ?? (e as Error).name}`,
        ); // the node died under us (or timed out): same key on another node
        await sleep(200);
        continue;
      }
      if (res.status === 201)
        return {
          ...((await res.json()) as { parcelId: string; compartment: number }),
          via: node.url,
        };
      const text = await res.text();
      if (res.status === 409 && res.headers.get('retry-after')) {
        retried(since, `409 in flight: ${text.slice(0, 60)}`); // the first try with this key still counts as running (its node may have died: the lease frees it)
        await sleep(1000);
      } else if (res.status === 409) {
        result.noRoomRetries++;
        key = `${o.runId}-${lockerId}-${i}-r${++attempt}`;
        await sleep(500);
      } else if (res.status >= 500) {
        retried(since, `${res.status}`);
        await sleep(200);
      } else throw new Error(`deposit answered ${res.status}: ${text.slice(0, 300)}`);
    }
  };

  const cycle = async (m: FleetMember, i: number): Promise<CycleRecord> => {
    const t0 = performance.now();
    const phone = o.phones[i % o.phones.length]!;
    const { parcelId, compartment, via } = await deposit(m.lockerId, i, phone);
    await waitFor(
      `${m.lockerId}#${compartment} to open for the deposit`,
      () => m.bus.door(compartment) === 'open',
      60_000,
    );
    m.bus.setOccupied(compartment, true);
    m.bus.closeDoor(compartment);
    result.placed.push(parcelId);
    const stored = await watch.until(parcelId, ['stored', 'cancelled', 'picked_up'], 60_000);
    if (stored.status !== 'stored' || !stored.code_cipher)
      throw new Error(`parcel ${parcelId} became ${stored.status} instead of stored`);
    const code = openCode(o.phoneKey, stored.code_cipher);
    for (let tries = 0; ; tries++) {
      await m.agent.enterCode(code);
      try {
        await waitFor(
          `${m.lockerId}#${compartment} to open for the pickup`,
          () => m.bus.door(compartment) === 'open',
          10_000,
        );
        break;
      } catch (e) {
        if (tries >= 5) throw e;
        result.codeRetries++;
      }
    }
    await watch.until(parcelId, ['picked_up'], 60_000);
    const doneAt = performance.now();
    m.bus.setOccupied(compartment, false);
    m.bus.closeDoor(compartment);
    return { lockerId: m.lockerId, parcelId, compartment, phone, via, ms: doneAt - t0, doneAt };
  };

  // Task i goes to locker i mod N; each locker's tasks run in order, `concurrency` lockers at a time.
  const perLocker = new Map<string, number[]>();
  for (let i = 0; i < o.cycles; i++) {
    const id = o.lockers[i % o.lockers.length]!;
    perLocker.set(id, [...(perLocker.get(id) ?? []), i]);
  }
  const queue = [...perLocker.entries()];
  const t0 = performance.now();
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [lockerId, tasks] = next;
      const m = o.fleet.members.get(lockerId);
      if (!m) throw new Error(`locker ${lockerId} is not in the fleet`);
      for (const i of tasks) {
        try {
          result.completed.push(await cycle(m, i));
        } catch (e) {
          result.failed.push({ lockerId, i, error: (e as Error).message });
        }
        await o.onProgress?.(result.completed.length + result.failed.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, queue.length) }, worker));
  watch.stop();
  result.wallSeconds = (performance.now() - t0) / 1000;
  result.cyclesPerSecond = result.completed.length / result.wallSeconds;
  const ms = result.completed.map((c) => c.ms);
  result.p50Ms = percentile(ms, 50);
  result.p99Ms = percentile(ms, 99);
  return result;
}

/**
 * Listen to GET /api/v1/live on one node as a resident, keeping the text received, until
 * the stream ends (e.g. that node restarts) or stop() is called.
 */
export function listenLive(
  url: string,
  token: string,
): { text: () => string; endedAt: () => number | null; stop(): void } {
  let text = '';
  let ended: number | null = null;
  const ac = new AbortController();
  void (async () => {
    try {
      const res = await fetch(`${url}/api/v1/live`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        signal: ac.signal,
      });
      const dec = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
        text += dec.decode(chunk, { stream: true });
    } catch {
      /* aborted or the node went away */
    }
    ended = performance.now();
  })();
  return { text: () => text, endedAt: () => ended, stop: () => ac.abort() };
}
