/** Field whitelists of requests: what the resident sees, what staff see. */
import { iso } from '../../platform/clock.ts';
import { maskPhone, type PhoneVault } from '../../platform/crypto/phone.ts';
import type { NeedEventRow, NeedRow } from './need.types.ts';
import type { NeedView, StaffNeedView } from './need.schemas.ts';
import type { HandoffRow } from './routing.repository.ts';
import { REOPEN_DAYS } from './resident.service.ts';

/** What a presenter needs besides the row. */
export interface NeedContext {
  serviceName: string;
  place: string;
  photoIds: string[];
  events: NeedEventRow[];
  handoffs: HandoffRow[];
}

// The resident sees what was done and the answers, not the staff's internal notes.
const RESIDENT_NOTES = new Set(['replied', 'declined', 'reopened', 'rated']);

function common(n: NeedRow, c: NeedContext, resident: boolean) {
  return {
    id: n.id,
    serviceCode: n.service_code,
    serviceName: c.serviceName,
    description: n.description,
    attributes: JSON.parse(n.attributes) as Record<string, string | string[]>,
    channel: n.channel,
    status: n.status,
    place: c.place,
    receivedAt: n.received_at,
    dueAt: n.due_at,
    respondedAt: n.responded_at,
    repliedAt: n.replied_at,
    reply: n.reply,
    closedAt: n.closed_at,
    rating: n.rating,
    ratingComment: n.rating_comment,
    photoIds: c.photoIds,
    history: c.events.map((e) => ({
      at: e.at,
      action: e.action,
      status: e.to_status,
      note: !resident || RESIDENT_NOTES.has(e.action) ? e.note : null,
      actorKind: e.actor_kind,
      actorId: resident ? null : e.actor_id,
    })),
  };
}

/** The resident's view of their own request. */
export function presentForResident(n: NeedRow, c: NeedContext): NeedView {
  const ended = n.closed_at ?? n.declined_at;
  return {
    ...common(n, c, true),
    reopenUntil:
      ended && (n.status === 'closed' || n.status === 'declined')
        ? iso(Date.parse(ended) + REOPEN_DAYS * 86_400_000)
        : null,
  };
}

/** Staff's view: routing, deadlines and the contact with the phone masked. */
export function presentForStaff(
  n: NeedRow,
  c: NeedContext,
  vault: PhoneVault,
  nowMs: number,
): StaffNeedView {
  const open = ['received', 'dispatched', 'in_progress', 'reopened'].includes(n.status);
  return {
    ...common(n, c, false),
    communityId: n.community_id,
    gridId: n.grid_id,
    unitId: n.unit_id,
    hallId: n.hall_id,
    party: n.party,
    assigneeId: n.assignee_id,
    deadlineClass: n.deadline_class,
    respondBy: n.respond_by,
    escalatedAt: n.escalated_at,
    overdue: open && Date.parse(n.due_at) < nowMs,
    contactName: n.contact_name,
    contactPhone: n.phone_cipher ? maskPhone(vault.decrypt(n.phone_cipher)) : null,
    visitedAt: n.visited_at,
    visitNote: n.visit_note,
    reopenCount: n.reopen_count,
    handoffs: c.handoffs.map((h) => ({
      party: h.party,
      adapter: h.adapter,
      externalRef: h.external_ref,
      at: h.created_at,
    })),
  };
}
