/**
 * The crash suite. Each trial, from its own seed, starts a burst of deposits, app and
 * keypad pickups, remote opens and disinfections, and at a seeded moment kills -9 either
 * the node (the child process) or one locker agent (its run ends with no goodbye; the
 * cabinet and its store survive, as after a power cut). The victim restarts, the client
 * retries what it never got an answer to with the same Idempotency-Key, the world
 * settles, and the invariants (invariants.ts) are checked. A failing trial prints its
 * seed; `--seed <seed> --trials 1` replays its schedule.
 */
import type { Answer, Cabinet, CrashWorld } from './crash-world.ts';
import { checkInvariants, type Ledger } from './invariants.ts';
import { createHash } from 'node:crypto';
import { seededRandom, type SeededRandom } from '../../src/device/prng.ts';

/** What a trial kills: the node, one agent, or nothing (the network suites inject their own faults). */
export type Target = 'node' | 'agent' | 'none';
type Op = {
  kind: 'deposit' | 'pickup_app' | 'pickup_keypad' | 'remote_open' | 'disinfect';
  run: () => Promise<void>;
};

/** A request the client must see through: sent, maybe lost in the crash, retried with its key. */
export interface Pending {
  who: string;
  method: string;
  url: string;
  body: unknown;
  key: string;
  onAnswer: (status: number, body: any) => void;
  firstTry: number;
}

export interface TrialResult {
  seed: string;
  target: Target;
  killAtMs: number;
  ops: string[];
  violations: string[];
  retried: number;
  ms: number;
}

const pick = <T>(r: SeededRandom, xs: readonly T[]): T => xs[Math.floor(r.float() * xs.length)]!;

/** A final answer (not a 5xx, not "this key is still in flight": 409 with Retry-After). */
export function isFinal(a: Answer): a is NonNullable<Answer> {
  return (
    a !== null && a.status < 500 && !(a.status === 409 && a.headers.get('retry-after') !== null)
  );
}

/** Run one trial in the world; never throws for a violation (returns them). */
export async function crashTrial(
  w: CrashWorld,
  ledger: Ledger,
  seed: string,
  target: Target,
  deferred: Pending[],
  opts: { online?: boolean; settle?: boolean } = {},
): Promise<TrialResult> {
  const r = seededRandom(seed);
  const ops: Op[] = [];
  const inflight: Pending[] = [];
  const resend = seededRandom(`${seed}:resend`);
  const extra: string[] = [];
  const send = async (p: Pending) => {
    const a = await w.call(p.who, p.method, p.url, p.body, p.key);
    if (isFinal(a)) p.onAnswer(a.status, a.body);
    else inflight.push(p);
    // A phone on a poor signal resends what it already got an answer to: the same key must replay it.
    if (a && a.status < 300 && resend.float() < 0.3) {
      const again = await w.call(p.who, p.method, p.url, p.body, p.key);
      if (again && again.status < 300 && JSON.stringify(again.body) !== JSON.stringify(a.body))
        extra.push(
          `${p.method} ${p.url} resent with key ${p.key} ran again: ${JSON.stringify(a.body).slice(0, 80)} then ${JSON.stringify(again.body).slice(0, 80)}`,
        );
    }
  };
  const stored = await w.db
    .selectFrom('parcels')
    .select(['id', 'locker_id', 'recipient_user_id'])
    .where('status', '=', 'stored')
    .where(
      'locker_id',
      'in',
      w.cabinets.map((c) => c.lockerId),
    )
    .execute();
  const freeComps = await w.db
    .selectFrom('compartments')
    .select(['locker_id', 'number'])
    .where('use', '=', 'free')
    .where('kind', '=', 'normal')
    .where(
      'locker_id',
      'in',
      w.cabinets.map((c) => c.lockerId),
    )
    .execute();
  const n = 3 + Math.floor(r.float() * 5);
  for (let i = 0; i < n; i++) {
    const kind = pick(r, [
      'deposit',
      'deposit',
      'pickup_app',
      'pickup_keypad',
      'remote_open',
      'disinfect',
    ] as const);
    const key = `${seed}-${i}`;
    if (kind === 'deposit') {
      const cab = pick(r, w.cabinets);
      // Unique per trial and op however long the seed is (a replayed seed grows suffixes).
      const waybill = `F${createHash('sha256').update(seed).digest('hex').slice(0, 24)}${i}`;
      ledger.unknownWaybills.add(waybill);
      const body = {
        waybill,
        recipientPhone: pick(r, ['13800000001', '13800000002', '13800000005', '13800000006']),
        size: pick(r, ['S', 'M'] as const),
      };
      ops.push({
        kind,
        run: () =>
          send({
            who: pick(r, ['courier.zto', 'courier.sf']),
            method: 'POST',
            url: `/lockers/${cab.lockerId}/deposits`,
            body,
            key,
            firstTry: Date.now(),
            onAnswer: (s, b) => {
              ledger.unknownWaybills.delete(waybill);
              if (s === 201) ledger.deposits.set(waybill, b.parcelId);
            },
          }),
      });
    } else if (kind === 'pickup_app' && stored.length) {
      const p = stored.splice(Math.floor(r.float() * stored.length), 1)[0]!;
      if (!p.recipient_user_id || !w.residentToken.has(p.recipient_user_id)) continue;
      ops.push({
        kind,
        run: () =>
          send({
            who: p.recipient_user_id!,
            method: 'POST',
            url: `/me/parcels/${p.id}/open`,
            body: undefined,
            key,
            firstTry: Date.now(),
            onAnswer: () => {},
          }),
      });
    } else if (kind === 'pickup_keypad' && stored.length) {
      const p = stored.splice(Math.floor(r.float() * stored.length), 1)[0]!;
      if (!p.recipient_user_id || !w.residentToken.has(p.recipient_user_id)) continue;
      const cab = w.cabinets.find((c) => c.lockerId === p.locker_id)!;
      ops.push({
        kind,
        run: async () => {
          const mine = await w.call(p.recipient_user_id!, 'GET', `/me/parcels/${p.id}`);
          if (mine?.status === 200 && mine.body.code)
            await cab.agent.enterCode(mine.body.code).catch(() => {});
        },
      });
    } else if ((kind === 'remote_open' || kind === 'disinfect') && freeComps.length) {
      const c = freeComps.splice(Math.floor(r.float() * freeComps.length), 1)[0]!;
      const url =
        kind === 'remote_open'
          ? `/lockers/${c.locker_id}/compartments/${c.number}/open`
          : `/lockers/${c.locker_id}/disinfect`;
      const body =
        kind === 'remote_open'
          ? { reason: `故障测试 ${seed}` }
          : { compartment: c.number, durationSeconds: 10 };
      ops.push({
        kind,
        run: () =>
          send({
            who: 'admin',
            method: 'POST',
            url,
            body,
            key,
            firstTry: Date.now(),
            onAnswer: (s, b) => {
              if (s === 202) ledger.commands.add(b.commandId);
            },
          }),
      });
    }
  }
  // Start the burst with seeded gaps, and kill at a seeded moment inside it.
  const killAtMs = Math.floor(r.float() * 250);
  const victim: Cabinet = pick(r, w.cabinets);
  const downMs = Math.floor(r.float() * 300);
  const started = Date.now();
  const running: Promise<void>[] = [];
  const killer = (async () => {
    await new Promise((res) => setTimeout(res, killAtMs));
    if (target === 'node') {
      await w.node.kill9();
    } else if (target === 'agent') {
      victim.agent.crash();
      victim.crashes++;
    }
  })();
  for (const op of ops) {
    running.push(op.run());
    await new Promise((res) => setTimeout(res, Math.floor(r.float() * 40)));
  }
  await killer;
  await Promise.all(running);
  await new Promise((res) => setTimeout(res, downMs));
  if (target === 'node') {
    await w.node.start(180_000);
  } else if (target === 'agent') {
    victim.agent = await w.startAgent(victim);
  }
  const tRestart = Date.now();
  if (opts.online !== false) for (const c of w.cabinets) await c.agent.whenOnline(15_000);
  const tOnline = Date.now();
  // Retry what got no answer, with the same key; a claim orphaned by the crash answers 409 for up to 60 s.
  let retried = 0;
  for (const p of [...deferred.splice(0), ...inflight.splice(0)]) {
    retried++;
    const a = await w.call(p.who, p.method, p.url, p.body, p.key);
    if (isFinal(a)) p.onAnswer(a.status, a.body);
    else deferred.push(p);
  }
  const tRetried = Date.now();
  if (opts.settle === false)
    return {
      seed,
      target,
      killAtMs,
      ops: ops.map((o) => o.kind),
      violations: [],
      retried,
      ms: Date.now() - started,
    };
  await settle(w);
  if (process.env['FAULTS_VERBOSE'])
    process.stdout.write(
      `    restart ${tRestart - started} ms, online +${tOnline - tRestart}, retried +${tRetried - tOnline}, settled +${Date.now() - tRetried}\n`,
    );
  await w.collectCodes();
  const violations = [...extra, ...(await checkInvariants(w, ledger, { settleGraceMs: 20_000 }))];
  return {
    seed,
    target,
    killAtMs,
    ops: ops.map((o) => o.kind),
    violations,
    retried,
    ms: Date.now() - started,
  };
}

/** Wait until the people are done, no command is waiting and nothing changed for 400 ms (at most 20 s). */
export async function settle(w: CrashWorld): Promise<void> {
  const end = Date.now() + 20_000;
  let last = '';
  let stable = 0;
  while (Date.now() < end && stable < 4) {
    await w.peopleDone();
    const waiting = await w.db
      .selectFrom('locker_commands')
      .select('id')
      .where('status', 'in', ['pending', 'sent'])
      .where('expires_at', '>', new Date().toISOString())
      .execute();
    const sig =
      JSON.stringify(
        await w.db.selectFrom('parcels').select(['status', 'updated_at']).orderBy('id').execute(),
      ) +
      JSON.stringify(
        await w.db.selectFrom('locker_commands').select(['status']).orderBy('id').execute(),
      );
    // A fact still in a locker's outbox (its PUBACK lost, resent on the next connection), or turned
    // away for a gap and waiting for its replay, is not settled yet: every online locker's newest
    // fact must be applied.
    const applied = new Map(
      (await w.db.selectFrom('lockers').select(['id', 'last_seq']).execute()).map((l) => [
        l.id,
        l.last_seq,
      ]),
    );
    const unsent = w.cabinets.some((c) => {
      try {
        return (
          c.agent.online() &&
          (c.agent.pendingOutbox() > 0 || (applied.get(c.lockerId) ?? 0) < c.agent.lastSeq())
        );
      } catch {
        return false; // an agent killed a moment ago: its store is closed, it has nothing to send
      }
    });
    stable = waiting.length === 0 && !unsent && sig === last ? stable + 1 : 0;
    last = sig;
    await new Promise((res) => setTimeout(res, 100));
  }
}
