/** What leaves the server about lockers, compartments, commands, events and alerts. */
import type { AlertRow } from './alert.repository.ts';
import type { CommandRow } from './command.repository.ts';
import type { EventRow } from './event.repository.ts';
import type { PlaceLabel } from '../places/index.ts';
import type { CompartmentRow, LockerRow, LockerSummaryRow } from './locker.repository.ts';
import type { UvCycleRow } from './uv.repository.ts';

/** A locker for staff; `place` names where it stands when the caller looked it up. */
export function presentLocker(l: LockerRow | LockerSummaryRow, place?: PlaceLabel) {
  return {
    id: l.id,
    name: l.name,
    communityId: l.community_id,
    siteId: l.site_id,
    status: l.status,
    presence: l.presence,
    presenceChangedAt: l.presence_changed_at,
    lastSeenAt: l.last_seen_at,
    agentVersion: l.agent_version,
    reportedRevision: Number(l.reported_revision),
    lastSeq: Number(l.last_seq),
    ...('free' in l
      ? {
          counts: {
            compartments: l.compartments,
            free: l.free,
            doorsOpen: l.doors_open,
            openAlerts: l.open_alerts,
          },
        }
      : {}),
    ...(place ? { place } : {}),
  };
}

/** A compartment's live state, with its last UV cycle when the caller looked it up. */
export function presentCompartment(c: CompartmentRow, lastCycle: UvCycleRow | null = null) {
  return {
    number: c.number,
    size: c.size,
    kind: c.kind,
    use: c.use,
    door: c.door,
    occupied: c.occupied,
    uv: c.uv,
    uvResult: c.uv_result,
    lastDisinfectedAt: c.last_disinfected_at,
    lastCycle: lastCycle && presentUvCycle(lastCycle),
  };
}

/** One UV cycle as staff see it. */
export function presentUvCycle(u: UvCycleRow) {
  return {
    compartment: u.compartment,
    trigger: u.trigger,
    outcome: u.outcome,
    reason: u.reason,
    durationSeconds: u.duration_seconds,
    ranSeconds: u.ran_seconds,
    startedAt: u.started_at,
    endedAt: u.ended_at,
  };
}

/** An alert; with the locker's name and place when the caller looked them up. */
export function presentAlert(
  a: AlertRow,
  where?: { lockerName: string; place: PlaceLabel | undefined },
) {
  return {
    id: a.id,
    lockerId: a.locker_id,
    communityId: a.community_id,
    compartment: a.compartment,
    kind: a.kind,
    status: a.status,
    message: a.message,
    occurrences: a.occurrences,
    openedAt: a.opened_at,
    lastSeenAt: a.last_seen_at,
    acknowledgedAt: a.acknowledged_at,
    acknowledgedBy: a.acknowledged_by,
    resolvedAt: a.resolved_at,
    ...(where
      ? { lockerName: where.lockerName, ...(where.place ? { place: where.place } : {}) }
      : {}),
  };
}

/** A command and its outcome. */
export function presentCommand(c: CommandRow) {
  return {
    commandId: c.id,
    lockerId: c.locker_id,
    type: c.type,
    compartment: c.compartment,
    status: c.status,
    attempts: c.attempts,
    responseStatus: c.response_status,
    reason: c.reason,
    createdAt: c.created_at,
    expiresAt: c.expires_at,
    answeredAt: c.answered_at,
  };
}

/** Events are device facts; they hold no personal data (codes never travel as facts). */
export function presentEvent(e: EventRow) {
  return {
    seq: Number(e.seq),
    type: e.type,
    compartment: e.compartment,
    occurredAt: e.occurred_at,
    receivedAt: e.received_at,
    payload: JSON.parse(e.payload) as Record<string, unknown>,
  };
}
