/**
 * What each device message changes in the cloud's view: compartment door/occupancy/UV
 * (UV cycles: uv.effects.ts), alerts. Called inside the ingest transaction, after deduplication, so each effect is
 * applied once.
 */
import type { CommandResponse, LockerFact } from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { clearAlert, raiseAlert } from './alert.service.ts';
import type { CommandRow } from './command.repository.ts';
import { openDoorUnlessFactSince } from './ingest.repository.ts';
import type { CompartmentRow, LockerRow } from './locker.repository.ts';
import * as lockers from './locker.repository.ts';
import { applyUvFact } from './uv.effects.ts';

type Ctx = Pick<AppDeps, 'clock' | 'random'>;

/** Apply one stored fact; returns the compartment's row when the fact set its door or occupancy (the hooks read it from here). */
export async function applyFact(
  db: Executor,
  ctx: Ctx,
  locker: LockerRow,
  f: LockerFact,
): Promise<CompartmentRow | undefined> {
  const now = iso(ctx.clock.now());
  const at = { communityId: locker.community_id, lockerId: locker.id };
  switch (f.type) {
    case 'door_opened':
      return lockers.updateCompartment(db, locker.id, f.compartment, {
        door: 'open',
        door_fact_at: f.sentAt,
        updated_at: now,
      });
    case 'door_closed':
      // v2 carries the occupancy as the door closed (its locker sends no occupancy fact behind an
      // open door). The after-use UV cycle it may announce starts after the hooks (startAnnouncedCycle).
      return lockers.updateCompartment(db, locker.id, f.compartment, {
        door: 'closed',
        door_fact_at: f.sentAt,
        ...(f.occupied !== undefined ? { occupied: f.occupied ? 'yes' : 'no' } : {}),
        updated_at: now,
      });
    case 'open_outcome':
      if (f.outcome === 'door_jammed') {
        await raiseAlert(db, ctx, {
          ...at,
          compartment: f.compartment,
          kind: 'door_jammed',
          message: `Compartment ${f.compartment} did not open when commanded (door jammed).`,
        });
        return;
      }
      await clearAlert(db, ctx, locker, 'door_jammed', f.compartment);
      // v2: the outcome reports the commanded opening (its locker sends no door_opened for it).
      if (f.doorNow === 'open' || f.doorNow === 'closed')
        return lockers.updateCompartment(db, locker.id, f.compartment, {
          door: f.doorNow,
          updated_at: now,
        });
      return;
    case 'uncommanded_open':
      await lockers.setCompartment(db, locker.id, f.compartment, {
        door: 'open',
        door_fact_at: f.sentAt,
        updated_at: now,
      });
      await raiseAlert(db, ctx, {
        ...at,
        compartment: f.compartment,
        kind: 'uncommanded_open',
        message: `Compartment ${f.compartment} opened without a command (forced or faulty latch).`,
      });
      return;
    case 'occupancy':
      return lockers.updateCompartment(db, locker.id, f.compartment, {
        occupied: f.occupied ? 'yes' : 'no',
        updated_at: now,
      });
    case 'uv_started':
    case 'uv_done':
    case 'uv_blocked':
      return applyUvFact(db, ctx, locker, f, now);
    case 'keypad_locked':
      await raiseAlert(db, ctx, {
        ...at,
        compartment: null,
        kind: 'keypad_locked',
        message: `Keypad locked after ${f.failures} wrong codes until ${f.until} (possible guessing).`,
      });
      return;
    case 'fault':
      await raiseAlert(db, ctx, {
        ...at,
        compartment: f.compartment ?? null,
        kind: f.code === 'uv_lamp' ? 'uv_fault' : 'device_fault',
        message: `${f.code}: ${f.message}`,
      });
      return;
    case 'booted':
      await lockers.updateLocker(db, locker.id, { agent_version: f.agentVersion, updated_at: now });
      if (f.unknownOutcomes > 0) {
        await raiseAlert(db, ctx, {
          ...at,
          compartment: null,
          kind: 'device_fault',
          message: `The locker restarted after a crash with ${f.unknownOutcomes} command(s) of unknown outcome; check the compartments.`,
        });
      }
      return;
    case 'offline_pickup':
      // Recorded in the event log; the parcels module settles the parcel (see its hook).
      return;
  }
}

/** Apply the first response to a command. */
export async function applyResponse(
  db: Executor,
  ctx: Ctx,
  locker: LockerRow,
  cmd: CommandRow,
  r: CommandResponse,
): Promise<void> {
  const now = iso(ctx.clock.now());
  const at = { communityId: locker.community_id, lockerId: locker.id };
  if (cmd.type === 'open' && cmd.compartment !== null) {
    if (r.status === 'opened' || r.status === 'already_open') {
      // A response that arrives late (lost with a node, re-sent on retry) must not reopen a door the device has since reported.
      await openDoorUnlessFactSince(db, locker.id, cmd.compartment, r.sentAt, now);
      await clearAlert(db, ctx, locker, 'door_jammed', cmd.compartment);
    } else if (r.status === 'door_jammed') {
      await raiseAlert(db, ctx, {
        ...at,
        compartment: cmd.compartment,
        kind: 'door_jammed',
        message: `Compartment ${cmd.compartment} did not open when commanded (door jammed).`,
      });
    } else if (r.status === 'unknown_outcome') {
      await raiseAlert(db, ctx, {
        ...at,
        compartment: cmd.compartment,
        kind: 'device_fault',
        message: `The locker cannot tell whether compartment ${cmd.compartment} opened (it restarted mid-command); check it.`,
      });
    }
  }
}
