/**
 * Alerts staff must see: jammed doors, uncommanded opens, lockers offline too long, UV
 * faults, device faults. One unresolved alert per (locker, compartment, kind); repeats
 * bump its count. Conditions that clear (the door opens fine, the locker reconnects)
 * resolve it.
 */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import * as alerts from './alert.repository.ts';
import type { AlertKind } from './locker.table.ts';

type Ctx = Pick<AppDeps, 'clock' | 'random'>;

/** The dedup key of an alert condition. */
export function alertKey(lockerId: string, kind: AlertKind, compartment: number | null): string {
  return `${lockerId}:${compartment ?? '-'}:${kind}`;
}

/** Open (or repeat) an alert inside the caller's transaction. */
export async function raiseAlert(
  db: Executor,
  ctx: Ctx,
  a: {
    communityId: string;
    lockerId: string;
    compartment: number | null;
    kind: AlertKind;
    message: string;
  },
): Promise<void> {
  const key = alertKey(a.lockerId, a.kind, a.compartment);
  const now = iso(ctx.clock.now());
  const open = await alerts.findOpenAlert(db, key);
  if (open) return alerts.bumpAlert(db, open.id, now, a.message);
  await alerts.insertAlert(db, {
    id: newId(ctx.clock, ctx.random),
    community_id: a.communityId,
    locker_id: a.lockerId,
    compartment: a.compartment,
    kind: a.kind,
    status: 'open',
    message: a.message,
    dedup_key: key,
    occurrences: 1,
    opened_at: now,
    last_seen_at: now,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
  });
}

/**
 * Resolve an alert condition that cleared by itself. `locker` is the row read under the
 * locker's lock in this transaction (ingest's): a locker with no unresolved alert skips the
 * resolve, which would find nothing. Safe on several nodes because every raise and resolve
 * moves `open_alerts` with an update of that same row, which waits for the lock (PostgreSQL)
 * or the single writer (SQLite), so the count cannot change between the read and our commit;
 * and the count is never below the truth (see insertAlert). A raise earlier in the same
 * transaction is not in the row: none of the callers raises and then clears.
 */
export async function clearAlert(
  db: Executor,
  ctx: Ctx,
  locker: { id: string; open_alerts: number },
  kind: AlertKind,
  compartment: number | null,
): Promise<void> {
  if (locker.open_alerts <= 0) return;
  await alerts.resolveAlertByKey(db, alertKey(locker.id, kind, compartment), iso(ctx.clock.now()));
}

/** A staff member has seen the alert and is on it. */
export async function acknowledge(
  deps: AppDeps,
  alertId: string,
  userId: string,
): Promise<alerts.AlertRow> {
  const a = await alerts.findAlert(deps.db, alertId);
  if (!a) throw notFound('That alert');
  if (a.status !== 'open') throw new AppError('conflict', `This alert is already ${a.status}.`);
  await alerts.acknowledgeAlert(deps.db, alertId, userId, iso(deps.clock.now()));
  return (await alerts.findAlert(deps.db, alertId))!;
}

/** A staff member fixed the cause. */
export async function resolve(deps: AppDeps, alertId: string): Promise<alerts.AlertRow> {
  const a = await unresolvedAlert(deps.db, alertId);
  // A missing parcel's alert resolves with the outcome that settles its parcels (ADR 0041), or
  // by itself when the door shuts on the parcel again; never bare, which would leave them stored.
  if (a.kind === 'parcel_missing')
    throw new AppError(
      'conflict',
      'Record where the parcel went instead (POST /api/v1/alerts/{alertId}/missing-parcels): found, handed over or lost.',
    );
  await alerts.resolveAlert(deps.db, alertId, iso(deps.clock.now()));
  return (await alerts.findAlert(deps.db, alertId))!;
}

/**
 * An unresolved alert of one kind, for a module that acts on it (parcels records where a
 * missing parcel went): 404 when there is none with that id, 409 when it is resolved already
 * or of another kind (checked in that order).
 */
export async function openAlertOfKind(
  db: Executor,
  alertId: string,
  kind: AlertKind,
): Promise<alerts.AlertRow> {
  const a = await unresolvedAlert(db, alertId);
  if (a.kind !== kind)
    throw new AppError('conflict', `This alert is about ${a.kind}, not ${kind}.`);
  return a;
}

/** An alert not resolved yet: 404 when there is none with that id, 409 when it is resolved. */
async function unresolvedAlert(db: Executor, alertId: string): Promise<alerts.AlertRow> {
  const a = await alerts.findAlert(db, alertId);
  if (!a) throw notFound('That alert');
  if (a.status === 'resolved') throw new AppError('conflict', 'This alert is already resolved.');
  return a;
}

/** Resolve an alert inside the caller's transaction; false when it was resolved meanwhile. */
export async function resolveAlertIn(db: Executor, ctx: Ctx, alertId: string): Promise<boolean> {
  return alerts.resolveAlert(db, alertId, iso(ctx.clock.now()));
}
