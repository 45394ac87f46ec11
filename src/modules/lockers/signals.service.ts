/**
 * Signals are not stored facts: heartbeats (liveness and the device's last seq, used to
 * ask for a replay of facts we never received) and touchscreen requests (a code typed
 * or a deposit button pressed), which the parcels module answers through LockerHooks.
 * Touchscreen answers use a command id derived from the request id, so a redelivered
 * request is answered once.
 */
import type {
  ContractVersion,
  DepositRequestedSignal,
  LockerSignal,
  ScreenOutcome,
} from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import { transact } from '../../db/transact.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { findCommand } from './command.repository.ts';
import { type CommandBody, enqueueCommand, stableCommandId } from './command.service.ts';
import type { IngestResult } from './ingest.service.ts';
import { sawLocker } from './last-seen.service.ts';
import type { LockerEventHandler } from './locker.events.ts';
import * as lockers from './locker.repository.ts';
import * as codeSync from './code-sync.repository.ts';

/** What another module decides for a code typed on the touchscreen: open a compartment, or refuse. */
export type ScreenDecision =
  { open: number; reason: 'pickup' | 'deposit'; parcelId?: string } | { refuse: ScreenOutcome };

/**
 * Extension points for modules that build on lockers (parcels): the three locker events
 * (locker.events.ts) and two deciders. Each runs inside the ingest transaction.
 */
export interface LockerHooks {
  onFact?: LockerEventHandler<'locker.fact'>;
  onResponse?: LockerEventHandler<'locker.response'>;
  /** Decide a code typed on the screen. Without a parcels module no code is valid. */
  onCodeEntered?(db: Executor, locker: lockers.LockerRow, code: string): Promise<ScreenDecision>;
  /**
   * Decide a signed-in courier's deposit request from the screen. Runs its own
   * transactions (a deposit is a whole change of its own): returns null once it has queued
   * the open command under `openCommandId`, else the outcome to show. Without a parcels
   * module every deposit request is refused.
   */
  onDepositRequested?(
    locker: lockers.LockerRow,
    request: DepositRequestedSignal,
    openCommandId: string,
  ): Promise<ScreenOutcome | null>;
  onOnline?: LockerEventHandler<'locker.online'>;
  /**
   * A v2 locker's heartbeat says its offline-code set is not the cloud's latest (its
   * `syncRevision` differs and nothing that would move it is on its way): send it the full
   * set. Called outside any transaction; the implementer queues the sync.
   */
  onCodesBehind?(lockerId: string): void;
}

/** Handle one signal. */
export async function handleSignal(
  deps: AppDeps,
  hooks: LockerHooks,
  locker: lockers.LockerRow,
  s: LockerSignal,
): Promise<IngestResult> {
  if (s.type === 'heartbeat') {
    await checkCodeSet(deps, hooks, locker, s);
    return heartbeat(deps, locker, s.lastSeq);
  }
  if (Date.parse(s.expiresAt) <= deps.clock.now())
    return { applied: false, reason: `${s.type} ${s.requestId} arrived after it expired` };
  // The answer's id comes from the request's, so a redelivered request finds its answer queued.
  const commandId = stableCommandId('screen', locker.id, s.requestId);
  const duplicate = { applied: false, reason: `duplicate ${s.type} ${s.requestId}` } as const;
  if (s.type === 'deposit_requested') {
    // A deposit commits in its own transactions: look before deciding again.
    if (await findCommand(deps.db, commandId)) return duplicate;
    return screenDeposit(deps, hooks, locker, s, commandId);
  }
  // transact: the answer (open or screen_result) is published right after the commit, with no
  // dispatch round. A redelivered code is decided again and rolled back whole when its answer
  // turns out to be queued already (no look-up first: the usual code is not a duplicate).
  return transact(deps.db, async (trx) => {
    const decision: ScreenDecision = (await hooks.onCodeEntered?.(trx, locker, s.code)) ?? {
      refuse: 'wrong_code',
    };
    const body: CommandBody =
      'open' in decision
        ? {
            type: 'open',
            compartment: decision.open,
            reason: decision.reason,
            screenRequestId: s.requestId,
            ...(decision.parcelId ? { parcelId: decision.parcelId } : {}),
          }
        : { type: 'screen_result', screenRequestId: s.requestId, outcome: decision.refuse };
    const { created } = await enqueueCommand(trx, deps, {
      lockerId: locker.id,
      communityId: locker.community_id,
      body,
      commandId,
      reason: s.type,
    });
    if (!created) throw new Redelivered();
    return { applied: true, what: `${s.type} → ${body.type}` } as const;
  }).catch((e: unknown) => {
    if (e instanceof Redelivered) return duplicate;
    throw e;
  });
}

/** Thrown to roll back a redelivered code's second decision. */
class Redelivered extends Error {}

/** A courier's deposit at the screen: the parcels module deposits (and queues the open) or says why not. */
async function screenDeposit(
  deps: AppDeps,
  hooks: LockerHooks,
  locker: lockers.LockerRow,
  s: DepositRequestedSignal,
  commandId: string,
): Promise<IngestResult> {
  const refused = hooks.onDepositRequested
    ? await hooks.onDepositRequested(locker, s, commandId)
    : 'not_allowed';
  if (refused === null) return { applied: true, what: 'deposit_requested → open' };
  const { created } = await enqueueCommand(deps.db, deps, {
    lockerId: locker.id,
    communityId: locker.community_id,
    body: { type: 'screen_result', screenRequestId: s.requestId, outcome: refused },
    commandId,
    reason: s.type,
  });
  return created
    ? { applied: true, what: `deposit_requested → screen_result ${refused}` }
    : { applied: false, reason: `duplicate deposit_requested ${s.requestId}` };
}

/**
 * The heartbeat's hello part (contract v2, docs/device.md): record the contract the locker
 * speaks, and compare its offline-code revision with ours. Behind (and nothing in flight
 * that would catch it up): a full sync. Ahead (it applied clock-numbered syncs before the
 * counter, or our database is older than its memory): continue our counter from its value
 * and send a full sync, so nothing we send looks stale to it. A v1 locker gets a sync after
 * every change instead, as before. Writes only when something changed; reads nothing
 * more than the locker row ingest just read (and the commands, on a mismatch).
 */
async function checkCodeSet(
  deps: AppDeps,
  hooks: LockerHooks,
  row: lockers.LockerRow,
  s: Extract<LockerSignal, { type: 'heartbeat' }>,
): Promise<void> {
  const lockerId = row.id;
  const announced: ContractVersion = s.contract ?? 'v1';
  if (row.contract_version !== announced)
    await codeSync.setContractVersion(deps.db, lockerId, announced);
  if (announced === 'v1' || s.syncRevision === row.sync_revision) return;
  if (s.syncRevision > row.sync_revision) {
    await codeSync.adoptSyncRevision(deps.db, lockerId, s.syncRevision);
    hooks.onCodesBehind?.(lockerId);
    return;
  }
  if (await codeSync.codeCommandInFlight(deps.db, lockerId, iso(deps.clock.now()))) return;
  hooks.onCodesBehind?.(lockerId);
}

export { LAST_SEEN_RESOLUTION_MS } from './last-seen.service.ts';

/**
 * Liveness; when the device has facts we never stored, ask it to replay them. Facts apply
 * in seq order without holes (a fact over a gap is turned away, ADR 0014), so the locker's
 * `last_seq` says what we hold: O(1), however long the locker's history. The usual
 * heartbeat (nothing missing) costs the one locker read ingest made (after any wait for facts
 * applying elsewhere) and no transaction: its sighting, once a minute, is written behind with
 * every other locker's (last-seen.service.ts). At 1,500 lockers heartbeats once opened 50
 * transactions a second.
 */
async function heartbeat(
  deps: AppDeps,
  locker: lockers.LockerRow,
  deviceLastSeq: number,
): Promise<IngestResult> {
  const nowMs = deps.clock.now();
  if (deviceLastSeq <= locker.last_seq) {
    await sawLocker(deps.db, deps, locker, nowMs);
    return { applied: true, what: 'heartbeat' } as const;
  }
  return deps.db.transaction().execute(async (trx) => {
    await lockers.updateLocker(trx, locker.id, { last_seen_at: iso(nowMs) });
    const held = (await lockers.findLocker(trx, locker.id))?.last_seq ?? 0;
    if (deviceLastSeq > held) {
      const fromSeq = held + 1;
      await enqueueCommand(trx, deps, {
        lockerId: locker.id,
        communityId: locker.community_id,
        body: { type: 'replay', fromSeq },
        commandId: stableCommandId('replay', locker.id, String(fromSeq), String(deviceLastSeq)),
      });
      return { applied: true, what: `heartbeat; asked for replay from #${fromSeq}` } as const;
    }
    return { applied: true, what: 'heartbeat' } as const;
  });
}
