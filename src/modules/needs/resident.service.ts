/** What the resident does after the answer: rate it, or reopen it within 7 days. */
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { deadlineOf } from './catalogue.service.ts';
import type { NeedRow } from './need.types.ts';
import { step } from './need-step.service.ts';

/** Days after closing (or declining) in which the resident may reopen. */
export const REOPEN_DAYS = 7;

/** The resident rates the answer (1–5) once per round. */
export async function rate(
  deps: AppDeps,
  id: string,
  residentId: string,
  rating: number,
  comment?: string,
): Promise<NeedRow> {
  return step(
    deps,
    id,
    ['replied', 'closed'],
    { userId: residentId, kind: 'resident' },
    'rated',
    async (n) => {
      if (n.requester_id !== residentId) throw notFound('That request');
      if (n.rating !== null) throw conflict('您已经评价过了。This request is already rated.');
      return {
        to: n.status,
        patch: { rating, rating_comment: comment?.trim() || null, rated_at: iso(deps.clock.now()) },
        note: `${rating}`,
      };
    },
  );
}

/** The resident reopens a closed or declined request within REOPEN_DAYS; the clock starts again. */
export async function reopen(
  deps: AppDeps,
  id: string,
  residentId: string,
  reason: string | undefined,
): Promise<NeedRow> {
  const why = reason?.trim();
  if (!why)
    throw new AppError('bad_request', '请说明重新打开的理由。Say why you reopen the request.');
  return step(
    deps,
    id,
    ['closed', 'declined', 'replied'],
    { userId: residentId, kind: 'resident' },
    'reopened',
    async (n, trx) => {
      if (n.requester_id !== residentId) throw notFound('That request');
      const endedAt = n.closed_at ?? n.declined_at ?? n.replied_at!;
      const now = deps.clock.now();
      if (now - Date.parse(endedAt) > REOPEN_DAYS * 86_400_000)
        throw conflict(
          `办结超过 ${REOPEN_DAYS} 天，不能重新打开，请提交新的诉求。More than ${REOPEN_DAYS} days have passed; file a new request.`,
        );
      const d = await deadlineOf(trx, n.deadline_class, now);
      const office = n.status === 'declined';
      return {
        to: 'reopened',
        patch: {
          reply: null,
          replied_at: null,
          closed_at: null,
          declined_at: null,
          rating: null,
          rating_comment: null,
          rated_at: null,
          visited_at: null,
          visit_note: null,
          escalated_at: null,
          reopen_count: n.reopen_count + 1,
          due_at: iso(d.dueMs),
          warn_at: iso(d.warnMs),
          respond_by: iso(d.respondByMs),
          ...(office ? { party: 'community_office' as const, assignee_id: null } : {}),
        },
        note: why,
      };
    },
  );
}
