/** What leaves the server about notices and activities: rows mapped field by field (a whitelist). */
import type { ActivityRow } from './activity.repository.ts';
import type { NoticeRow } from './notice.repository.ts';
import type { AudienceColumns } from './notice.table.ts';
import type { ActivityView, NoticeView } from './notice.schemas.ts';

function audienceOf(r: AudienceColumns & { id: string }) {
  const id =
    r.scope_kind === 'compound'
      ? r.compound_id!
      : r.scope_kind === 'community'
        ? r.community_id!
        : r.subdistrict_id;
  return { kind: r.scope_kind, id, hallId: r.hall_id };
}

/** A notice as of `nowIso` (pinned and expired are worked out at that instant). */
export function presentNotice(r: NoticeRow, nowIso: string): NoticeView {
  return {
    id: r.id,
    audience: audienceOf(r),
    title: r.title,
    body: r.body,
    urgent: r.urgent === 1,
    pinned: r.pinned_until !== null && r.pinned_until > nowIso,
    pinnedUntil: r.pinned_until,
    expiresAt: r.expires_at,
    expired: r.expires_at !== null && r.expires_at <= nowIso,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** An activity with its counts and, for a resident, their own place on it. */
export function presentActivity(
  r: ActivityRow,
  waiting: number,
  mine: ActivityView['mine'],
): ActivityView {
  return {
    id: r.id,
    audience: audienceOf(r),
    title: r.title,
    description: r.description,
    location: r.location,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    signupClosesAt: r.signup_closes_at,
    capacity: r.capacity,
    confirmed: r.confirmed_count,
    waiting,
    status: r.status,
    mine,
  };
}
