/**
 * The locker's retained messages: its state snapshot (applied when its revision is newer,
 * compartments only when no newer fact was applied) and its presence (online/offline by
 * connection). Each in one transaction under the locker's row lock.
 */
import type { LockerState, LockerStatus } from '../../contract/index.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { clearAlert } from './alert.service.ts';
import { enqueueCommand } from './command.service.ts';
import { gapReplayId } from './ingest-order.service.ts';
import { lockLocker } from './ingest.repository.ts';
import type { IngestResult } from './ingest.types.ts';
import { sawLocker } from './last-seen.service.ts';
import * as lockers from './locker.repository.ts';
import type { LockerHooks } from './signals.service.ts';
import { endLastCycleIfRunning } from './uv.repository.ts';
import { pushUvPolicy } from './uv.service.ts';

const rejected = (reason: string): IngestResult => ({ applied: false, reason });

/**
 * The retained snapshot: applied only when its revision is newer than the last one applied.
 * A snapshot taken when every fact it counts was already applied (its `lastSeq` is the
 * locker's, read just before) tells the cloud nothing the facts did not: each door,
 * occupancy and lamp change is a fact, applied in seq order. It writes nothing then (not even
 * its revision; the sighting only to the minute) — a v2 locker sends one after each burst of
 * changes, so this is most snapshots. The locker's first snapshot ever, one from a new agent
 * version, and one that counts facts the cloud lacks (or lags them) take the full path.
 */
export async function applyState(
  deps: AppDeps,
  locker: lockers.LockerRow,
  s: LockerState,
): Promise<IngestResult> {
  const now = iso(deps.clock.now());
  if (
    s.lastSeq === locker.last_seq &&
    locker.reported_revision > 0 &&
    s.revision > locker.reported_revision &&
    s.agentVersion === locker.agent_version
  ) {
    await sawLocker(deps.db, deps, locker, deps.clock.now());
    return { applied: true, what: `state revision ${s.revision}: the facts told it already` };
  }
  return deps.db.transaction().execute(async (trx) => {
    const current = (await lockLocker(trx, locker.id)) ?? locker;
    const fresh = await lockers.advanceReportedRevision(trx, locker.id, s.revision, {
      agent_version: s.agentVersion,
      last_seen_at: now,
      updated_at: now,
    });
    if (!fresh)
      return rejected(`stale state revision ${s.revision} (have ${current.reported_revision})`);
    // The snapshot counts facts we never stored (lost with a broker or a node): ask for them now rather than at the next heartbeat.
    if (s.lastSeq > current.last_seq)
      await enqueueCommand(trx, deps, {
        lockerId: locker.id,
        communityId: locker.community_id,
        body: { type: 'replay', fromSeq: current.last_seq + 1 },
        commandId: gapReplayId(deps, locker.id, current.last_seq + 1),
        reason: `state counts facts to #${s.lastSeq}`,
      });
    // Facts newer than the snapshot were applied already (another node was quicker): they, not the snapshot, say how the compartments are.
    if (s.lastSeq < current.last_seq)
      return {
        applied: true,
        what: `state revision ${s.revision}; compartments kept (snapshot at #${s.lastSeq}, facts applied to #${current.last_seq})`,
      } as const;
    const known = new Map(
      (await lockers.listCompartments(trx, locker.id)).map((c) => [c.number, c]),
    );
    for (const c of s.compartments) {
      const mine = known.get(c.compartment);
      if (!mine) continue;
      const next = {
        door: c.door,
        occupied: c.occupied === null ? 'unknown' : c.occupied ? 'yes' : 'no',
        uv: c.uv,
      } as const;
      if (mine.door !== next.door || mine.occupied !== next.occupied || mine.uv !== next.uv) {
        await lockers.setCompartment(trx, locker.id, c.compartment, {
          ...next,
          updated_at: now,
        });
        // A lamp the snapshot says is off though no uv_done ended its cycle: the record ends
        // here too, so a cycle is never left running behind an idle lamp (the next cycle's
        // start trusts the compartment's `uv` for that, uv.effects.ts startCycle).
        if (mine.uv === 'running' && next.uv === 'off')
          await endLastCycleIfRunning(trx, locker.id, c.compartment, {
            outcome: 'aborted',
            reason: 'reported_off',
            ran_seconds: null,
            ended_at: s.sentAt,
          });
      }
    }
    return { applied: true, what: `state revision ${s.revision}` } as const;
  });
}

/**
 * Presence. An `offline` (usually the Last Will) only counts when it belongs to the
 * connection we last saw come online; a late will from an older connection is stale.
 */
export async function applyStatus(
  deps: AppDeps,
  hooks: LockerHooks,
  locker: lockers.LockerRow,
  s: LockerStatus,
): Promise<IngestResult> {
  const now = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    // Checked against the locked row: another node may have applied this locker's presence a moment ago.
    const current = (await lockLocker(trx, locker.id)) ?? locker;
    if (
      s.status === 'offline' &&
      current.connection_id !== null &&
      s.connectionId !== current.connection_id
    ) {
      return rejected(`stale offline for connection ${s.connectionId}`);
    }
    if (
      s.status === 'online' &&
      current.presence === 'online' &&
      current.connection_id === s.connectionId
    ) {
      return rejected(`repeated online for connection ${s.connectionId}`);
    }
    await lockers.updateLocker(trx, locker.id, {
      presence: s.status,
      presence_changed_at: now,
      connection_id: s.connectionId,
      last_seen_at: now,
      updated_at: now,
    });
    if (s.status === 'online') {
      await clearAlert(trx, deps, current, 'offline', null);
      await pushUvPolicy(trx, deps, locker, s.connectionId);
      await hooks.onOnline?.(trx, locker);
    }
    return { applied: true, what: `presence ${s.status}` } as const;
  });
}
