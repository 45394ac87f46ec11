/**
 * UV facts → the cycle record, the compartment's UV state and alerts. Runs inside the
 * ingest transaction after the fact was stored once by (locker, seq), so each applies
 * once; the record is keyed by the seq of its opening fact. The compartment points at
 * its last cycle (last_uv_seq), so closing a cycle is a primary-key update.
 */
import type { LockerFact } from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { clearAlert, raiseAlert } from './alert.service.ts';
import type { CompartmentRow, LockerRow } from './locker.repository.ts';
import * as lockers from './locker.repository.ts';
import * as uv from './uv.repository.ts';
import type { UvOutcome } from './uv.table.ts';

type Ctx = Pick<AppDeps, 'clock' | 'random'>;
type UvFact = Extract<LockerFact, { type: 'uv_started' | 'uv_done' | 'uv_blocked' }>;

/** How a uv_done reads as an outcome: a lamp fault is a failed cycle; any other early end is an abort. */
export function outcomeOf(
  f: Extract<LockerFact, { type: 'uv_done' }>,
): Exclude<UvOutcome, 'running' | 'blocked'> {
  if (f.result === 'completed') return 'completed';
  return f.reason === 'lamp_fault' ? 'failed' : 'aborted';
}

/** What opens a cycle's record: a uv_started, or (v2) a door_closed that announced the after-use cycle. */
export interface CycleStart {
  seq: number;
  compartment: number;
  sentAt: string;
  durationSeconds: number;
  trigger: 'command' | 'after_close';
  commandId?: string | undefined;
}

/**
 * Open the record of a cycle that started; returns what the compartment's row must say (the
 * caller writes it, with whatever else its fact changes, in one update).
 */
export async function startCycle(
  db: Executor,
  locker: LockerRow,
  s: CycleStart,
  now: string,
  uvNow?: CompartmentRow['uv'],
): Promise<{ uv: 'running'; last_uv_seq: number }> {
  // A lamp restarted over a running one (a staff cycle during an after-use cycle): the earlier
  // record ends here. A caller holding the compartment's current row (`uvNow`, read under the
  // locker's lock in this transaction) skips that write when no cycle runs, the usual case.
  if (uvNow !== 'off')
    await uv.endLastCycleIfRunning(db, locker.id, s.compartment, {
      outcome: 'aborted',
      reason: 'superseded',
      ran_seconds: null,
      ended_at: s.sentAt,
    });
  await uv.insertCycle(db, {
    locker_id: locker.id,
    community_id: locker.community_id,
    compartment: s.compartment,
    recorded_at: now,
    seq: s.seq,
    trigger: s.trigger,
    command_id: s.commandId ?? null,
    duration_seconds: s.durationSeconds,
    outcome: 'running',
    reason: null,
    ran_seconds: null,
    started_at: s.sentAt,
    ended_at: null,
  });
  return { uv: 'running', last_uv_seq: s.seq };
}

/**
 * Contract v2: the after-use cycle a door_closed announced (`uvStartedSeconds`, no
 * uv_started). Runs after the fact's hooks, so the record is stamped after the store that
 * close may have made: "a cycle recorded since the parcel was stored" (disinfectedFor)
 * includes it, as it included the uv_started that followed the close. `compartment` is the
 * row the close's own update returned (applyFact): its `uv` says whether a lamp still runs.
 */
export async function startAnnouncedCycle(
  db: Executor,
  ctx: Ctx,
  locker: LockerRow,
  f: LockerFact,
  compartment: CompartmentRow | undefined,
): Promise<void> {
  if (f.type !== 'door_closed' || f.uvStartedSeconds === undefined) return;
  const now = iso(ctx.clock.now());
  const started = await startCycle(
    db,
    locker,
    {
      seq: f.seq,
      compartment: f.compartment,
      sentAt: f.sentAt,
      durationSeconds: f.uvStartedSeconds,
      trigger: 'after_close',
    },
    now,
    compartment?.number === f.compartment ? compartment.uv : undefined,
  );
  await lockers.setCompartment(db, locker.id, f.compartment, { ...started, updated_at: now });
}

/**
 * Apply one uv_started, uv_done or uv_blocked fact. `now` is the cloud's ISO time. Returns the
 * compartment as a uv_done left it (the hooks read its `use` instead of querying again).
 */
export async function applyUvFact(
  db: Executor,
  ctx: Ctx,
  locker: LockerRow,
  f: UvFact,
  now: string,
): Promise<CompartmentRow | undefined> {
  const base = {
    locker_id: locker.id,
    community_id: locker.community_id,
    compartment: f.compartment,
    recorded_at: now,
  };
  switch (f.type) {
    case 'uv_started':
      await lockers.setCompartment(db, locker.id, f.compartment, {
        ...(await startCycle(db, locker, f, now)),
        updated_at: now,
      });
      return;
    case 'uv_done': {
      const outcome = outcomeOf(f);
      const end = {
        outcome,
        reason: f.reason ?? null,
        ran_seconds: Math.round(f.ranSeconds),
        ended_at: f.sentAt,
      };
      const closed = await uv.endLastCycleIfRunning(db, locker.id, f.compartment, end);
      // A lamp that never came on (or whose start this cloud never heard of) is a record of its own.
      if (!closed)
        await uv.insertCycle(db, {
          ...base,
          seq: f.seq,
          trigger: null,
          command_id: null,
          duration_seconds: null,
          ...end,
          started_at: f.sentAt,
        });
      const after = await lockers.updateCompartment(db, locker.id, f.compartment, {
        uv: 'off',
        uv_result: outcome,
        ...(closed ? {} : { last_uv_seq: f.seq }),
        ...(outcome === 'completed' ? { last_disinfected_at: f.sentAt } : {}),
        updated_at: now,
      });
      const at = {
        communityId: locker.community_id,
        lockerId: locker.id,
        compartment: f.compartment,
      };
      if (outcome === 'completed') await clearAlert(db, ctx, locker, 'uv_fault', f.compartment);
      if (outcome === 'failed')
        await raiseAlert(db, ctx, {
          ...at,
          kind: 'uv_fault',
          message: `UV lamp of compartment ${f.compartment} failed; the compartment takes no parcels until a cycle completes.`,
        });
      return after;
    }
    case 'uv_blocked':
      await uv.insertCycle(db, {
        ...base,
        seq: f.seq,
        trigger: f.commandId ? 'command' : null,
        command_id: f.commandId ?? null,
        duration_seconds: null,
        outcome: 'blocked',
        reason: f.reason,
        ran_seconds: 0,
        started_at: f.sentAt,
        ended_at: f.sentAt,
      });
      await lockers.setCompartment(db, locker.id, f.compartment, {
        uv_result: 'blocked',
        last_uv_seq: f.seq,
        updated_at: now,
      });
      return;
  }
}
