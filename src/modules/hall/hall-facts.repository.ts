/** The hall's countable happenings read back from its tables, for a rollup rebuild (ADR 0029). */
import type { Executor } from '../../db/database.ts';
import type { HallFact } from './hall.events.ts';

const KINDS = ['booking', 'groupbuy', 'order_paid'] as const;

/** Facts after `after` (a fact key) in key order, a page at a time. */
export async function hallFactsPage(
  db: Executor,
  after: string,
  limit: number,
): Promise<HallFact[]> {
  const [kind = '', id = ''] = after ? after.split(':') : [];
  const out: HallFact[] = [];
  for (const k of KINDS) {
    if (k < kind || out.length >= limit) continue;
    const afterId = k === kind ? id : '';
    out.push(...(await page(db, k, afterId, limit - out.length)));
  }
  return out;
}

async function page(
  db: Executor,
  k: (typeof KINDS)[number],
  afterId: string,
  limit: number,
): Promise<HallFact[]> {
  if (k === 'order_paid') {
    const rows = await db
      .selectFrom('hall_orders')
      .select(['id', 'community_id', 'hall_id', 'paid_at', 'total_fen'])
      .where('paid_at', 'is not', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      key: `order_paid:${r.id}`,
      kind: 'order_paid',
      communityId: r.community_id,
      hallId: r.hall_id,
      at: r.paid_at!,
      amountFen: Number(r.total_fen),
    }));
  }
  if (k === 'groupbuy') {
    const rows = await db
      .selectFrom('hall_group_buys')
      .select(['id', 'community_id', 'hall_id', 'settled_at', 'status'])
      .where('status', 'in', ['confirmed', 'failed'])
      .where('settled_at', 'is not', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      key: `groupbuy:${r.id}`,
      kind: r.status === 'confirmed' ? 'groupbuy_confirmed' : 'groupbuy_failed',
      communityId: r.community_id,
      hallId: r.hall_id,
      at: r.settled_at!,
      amountFen: 0,
    }));
  }
  const rows = await db
    .selectFrom('hall_bookings')
    .select(['id', 'community_id', 'hall_id', 'created_at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    key: `booking:${r.id}`,
    kind: 'booking',
    communityId: r.community_id,
    hallId: r.hall_id,
    at: r.created_at,
    amountFen: 0,
  }));
}
