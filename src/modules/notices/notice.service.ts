/**
 * Notices (policy publicity): staff write them for a place they serve, pin them or mark
 * them urgent for a while, and expire or edit them; residents read the ones standing
 * over their units. Pinned and urgent notices must expire, so nothing stays on top forever.
 */
import type { Grant } from '../../platform/auth/access.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Audience, authorAudience, residentAudience } from './audience.ts';
import * as repo from './notice.repository.ts';
import { presentNotice } from './notice.presenter.ts';
import type { CreateNotice, NoticeView, UpdateNotice } from './notice.schemas.ts';

/** The longest a notice may stay pinned or urgent. */
export const MAX_HIGHLIGHT_DAYS = 90;

/** Parse a client instant or explain what is wrong with it (400). */
export function instant(value: string, field: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new AppError(
      'validation_failed',
      `${field} 不是有效时间，请用 ISO 格式（如 2026-12-06T10:00:00+08:00）。${field} is not a valid time; use ISO-8601 such as 2026-12-06T10:00:00+08:00.`,
    );
  return t;
}

interface Highlight {
  urgent: boolean;
  pinnedUntil: number | null;
  expiresAt: number | null;
}

/** Refuse a pin or urgency that would never end, ends in the past, or outlives the notice. */
function checkHighlight(h: Highlight, now: number): void {
  if (h.expiresAt !== null && h.expiresAt <= now)
    throw new AppError(
      'validation_failed',
      '过期时间已过，请选一个将来的时间（或用“下架”立即结束）。expiresAt is in the past; pick a future time, or use expire to end it now.',
    );
  if ((h.urgent || h.pinnedUntil !== null) && h.expiresAt === null)
    throw new AppError(
      'validation_failed',
      '置顶或紧急通知必须设置过期时间。A pinned or urgent notice needs expiresAt, so it does not stay on top forever.',
    );
  if (
    h.expiresAt !== null &&
    h.expiresAt - now > MAX_HIGHLIGHT_DAYS * 86_400_000 &&
    (h.urgent || h.pinnedUntil !== null)
  )
    throw new AppError(
      'validation_failed',
      `置顶或紧急通知最长 ${MAX_HIGHLIGHT_DAYS} 天。A pinned or urgent notice may last at most ${MAX_HIGHLIGHT_DAYS} days.`,
    );
  if (
    h.pinnedUntil !== null &&
    (h.pinnedUntil <= now || (h.expiresAt !== null && h.pinnedUntil > h.expiresAt))
  )
    throw new AppError(
      'validation_failed',
      '置顶截止时间须在现在之后、过期之前。pinnedUntil must be in the future and no later than expiresAt.',
    );
}

const when = (v: string | null | undefined, field: string) =>
  v === null || v === undefined ? null : instant(v, field);

/** Publish a notice to a place the author serves. */
export async function createNotice(
  deps: AppDeps,
  author: { userId: string; grants: readonly Grant[] },
  input: CreateNotice,
): Promise<NoticeView> {
  const now = deps.clock.now();
  const h = {
    urgent: input.urgent ?? false,
    pinnedUntil: when(input.pinnedUntil, 'pinnedUntil'),
    expiresAt: when(input.expiresAt, 'expiresAt'),
  };
  checkHighlight(h, now);
  const audience = await authorAudience(
    deps.db,
    author.grants,
    input.audience.kind,
    input.audience.id,
  );
  const row: repo.NoticeRow = {
    id: newId(deps.clock, deps.random),
    ...audience,
    title: input.title.trim(),
    body: input.body.trim(),
    urgent: h.urgent ? 1 : 0,
    pinned_until: h.pinnedUntil === null ? null : iso(h.pinnedUntil),
    expires_at: h.expiresAt === null ? null : iso(h.expiresAt),
    created_by: author.userId,
    created_at: iso(now),
    updated_at: iso(now),
  };
  await repo.insertNotice(deps.db, row);
  return presentNotice(row, iso(now));
}

/** Edit a notice (the access plugin has checked the caller manages it). */
export async function updateNotice(
  deps: AppDeps,
  noticeId: string,
  patch: UpdateNotice,
): Promise<NoticeView> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const r = await repo.findNotice(trx, noticeId);
    if (!r) throw notFound('That notice');
    const old = (v: string | null) => (v === null ? null : Date.parse(v));
    const h = {
      urgent: patch.urgent ?? r.urgent === 1,
      pinnedUntil:
        patch.pinnedUntil === undefined
          ? old(r.pinned_until)
          : when(patch.pinnedUntil, 'pinnedUntil'),
      expiresAt:
        patch.expiresAt === undefined ? old(r.expires_at) : when(patch.expiresAt, 'expiresAt'),
    };
    checkHighlight(h, now);
    const next = {
      title: patch.title?.trim() ?? r.title,
      body: patch.body?.trim() ?? r.body,
      urgent: h.urgent ? 1 : 0,
      pinned_until: h.pinnedUntil === null ? null : iso(h.pinnedUntil),
      expires_at: h.expiresAt === null ? null : iso(h.expiresAt),
      updated_at: iso(now),
    };
    await repo.updateNotice(trx, noticeId, next);
    return presentNotice({ ...r, ...next }, iso(now));
  });
}

/** Take a notice down now (it stays in the staff list as expired). */
export async function expireNotice(deps: AppDeps, noticeId: string): Promise<NoticeView> {
  const nowIso = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    const r = await repo.findNotice(trx, noticeId);
    if (!r) throw notFound('That notice');
    const next = {
      expires_at: r.expires_at !== null && r.expires_at <= nowIso ? r.expires_at : nowIso,
      pinned_until: null,
      updated_at: nowIso,
    };
    await repo.updateNotice(trx, noticeId, next);
    return presentNotice({ ...r, ...next }, nowIso);
  });
}

/** Notices standing over an audience now (a resident's units, or a hall's place). */
export async function noticesFor(
  deps: AppDeps,
  audience: Audience,
  limit = 50,
): Promise<NoticeView[]> {
  const nowIso = iso(deps.clock.now());
  const rows = await repo.standingNotices(deps.db, audience, nowIso, limit);
  return rows.map((r) => presentNotice(r, nowIso));
}

/** The notices standing over the signed-in resident's units. */
export async function myNotices(deps: AppDeps, grants: readonly Grant[]): Promise<NoticeView[]> {
  return noticesFor(deps, await residentAudience(deps.db, grants));
}

/** Which rows a staff member's grants reach in lists. */
export function managedFilter(grants: readonly Grant[]): repo.ManagedFilter {
  const ids = (k: Grant['scopeKind']) =>
    grants.filter((g) => g.scopeKind === k).map((g) => g.scopeId);
  return {
    all: grants.some((g) => g.scopeKind === 'platform'),
    subdistricts: ids('subdistrict'),
    communities: ids('community'),
    halls: ids('hall'),
  };
}

/** Notices a staff member manages, expired ones included. */
export async function managedNotices(
  deps: AppDeps,
  grants: readonly Grant[],
  page: { limit?: number; offset?: number },
): Promise<NoticeView[]> {
  const nowIso = iso(deps.clock.now());
  const rows = await repo.managedNotices(
    deps.db,
    managedFilter(grants),
    page.limit ?? 100,
    page.offset ?? 0,
  );
  return rows.map((r) => presentNotice(r, nowIso));
}
