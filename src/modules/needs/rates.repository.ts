/** SQL of the three rates: the facts of requests received in a period. */
import type { Executor } from '../../db/database.ts';

/** The columns the rates are computed from. */
export interface RateFacts {
  community_id: string;
  grid_id: string | null;
  assignee_id: string | null;
  status: string;
  received_at: string;
  respond_by: string;
  responded_at: string | null;
  due_at: string;
  replied_at: string | null;
  closed_at: string | null;
  rating: number | null;
}

/** Requests received in [from, to) inside the communities (or all, with null). */
export async function factsBetween(
  db: Executor,
  communityIds: readonly string[] | null,
  from: string,
  to: string,
): Promise<RateFacts[]> {
  let q = db
    .selectFrom('needs')
    .select([
      'community_id',
      'grid_id',
      'assignee_id',
      'status',
      'received_at',
      'respond_by',
      'responded_at',
      'due_at',
      'replied_at',
      'closed_at',
      'rating',
    ])
    .where('received_at', '>=', from)
    .where('received_at', '<', to);
  if (communityIds) {
    if (communityIds.length === 0) return [];
    q = q.where('community_id', 'in', [...communityIds]);
  }
  return q.limit(200_000).execute();
}
