/**
 * The period close: a hall's profit for a month is what its operator account netted from
 * sales and refunds in that month (China time). payout_bp of it is the dividend pool,
 * split over all the hall's shares by largest remainder; the partners' parts move from
 * the operator to each partner's account, the operator keeps the rest and the parts of
 * shares it holds itself. Exactly once per hall and month: the journal lock serialises
 * closes and the close row is checked under it; the transfer id is also derived from the
 * hall and month, so a replay cannot post twice. Months close in order, none skipped: after
 * 2026-10 comes 2026-11, so no month's profit is left out of the dividends for good and no
 * close is written behind a later one. A hall's first close may be any month that has ended.
 */
import type { Database, Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { placePath } from '../places/index.ts';
import { accounts } from './accounts.ts';
import { splitByWeight } from './distribution.ts';
import * as repo from './partner.repository.ts';
import { termsOf } from './rules.repository.ts';
import { lockJournal, transfer } from './transfer.service.ts';

/** China Standard Time has no daylight saving: periods are cut at 00:00 +08:00. */
const CST = '+08:00';

/** The instants that bound a YYYY-MM period, or null when it is not a valid month. */
export function periodBounds(
  period: string,
): { from: string; to: string; firstDay: string } | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!m) return null;
  const next = nextPeriod(period);
  return {
    from: new Date(`${period}-01T00:00:00${CST}`).toISOString(),
    to: new Date(`${next}-01T00:00:00${CST}`).toISOString(),
    firstDay: `${period}-01`,
  };
}

/** The month after a YYYY-MM. */
export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** What a close computed and posted. */
export interface CloseResult {
  period: string;
  profitFen: number;
  dividendsFen: number;
  entryId: string | null;
  closedAt: string;
  partners: { agreementId: string; shares: number; dividendFen: number }[];
}

/** Close a hall's month and post its dividends, exactly once. */
export async function closePeriod(
  deps: Pick<AppDeps, 'clock' | 'random'> & { db: Database },
  hallId: string,
  period: string,
  actorId: string,
): Promise<CloseResult> {
  return deps.db
    .transaction()
    .execute((trx) => closePeriodWithin(trx, deps, hallId, period, actorId));
}

/** The close inside the caller's transaction (the property test rolls each sequence back). */
export async function closePeriodWithin(
  trx: Executor,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  hallId: string,
  period: string,
  actorId: string,
): Promise<CloseResult> {
  const b = periodBounds(period);
  if (!b)
    throw new AppError(
      'bad_request',
      '期间须写成“年-月”，例如 2026-11。 Write the period as YYYY-MM.',
    );
  const now = iso(deps.clock.now());
  if (now < b.to)
    throw new AppError(
      'bad_request',
      `${period} 还没有结束，月底之后才能结账。 ${period} is not over yet; close it after it ends.`,
    );
  const transferId = `period-close:${hallId}:${period}`;
  await lockJournal(trx);
  const done = await repo.findClose(trx, hallId, period);
  if (done)
    throw new AppError(
      'conflict',
      `${period} 已于 ${done.closed_at} 结账，不能重复结账。 ${period} was already closed at ${done.closed_at}.`,
    );
  const latest = await repo.latestClose(trx, hallId);
  if (latest && period < latest.period)
    throw new AppError(
      'conflict',
      `已结账到 ${latest.period}，之前的月份不能再结。 The hall is closed up to ${latest.period}; an earlier month can no longer be closed.`,
    );
  if (latest && period !== nextPeriod(latest.period))
    throw new AppError(
      'conflict',
      `请先结 ${nextPeriod(latest.period)}：月份须按顺序结账。 Close ${nextPeriod(latest.period)} first: months close in order.`,
    );
  const terms = await termsOf(trx, hallId);
  if (!terms)
    throw new AppError(
      'bad_request',
      '请先设置本服务馆的总股数和分红比例。 Set the hall’s total shares and payout first.',
    );
  const communityId = (await placePath(trx, 'hall', hallId))!.community!;
  const operator = accounts.operator(hallId, communityId);
  const profit = await repo.netOf(trx, operator.id, b.from, b.to, 'dividend');
  const pool = profit > 0 ? Math.floor((profit * terms.payout_bp) / 10_000) : 0;
  const agreements = (await repo.agreementsOfHall(trx, hallId)).filter(
    (a) => a.started_on <= b.firstDay,
  );
  const held = agreements.reduce((s, a) => s + a.shares, 0);
  const parts = splitByWeight(pool, [
    ...agreements.map((a) => a.shares),
    Math.max(0, terms.total_shares - held),
  ]);
  const partners = agreements.map((a, i) => ({
    agreementId: a.id,
    shares: a.shares,
    dividendFen: parts[i]!,
  }));
  const dividends = partners.reduce((s, p) => s + p.dividendFen, 0);
  let entryId: string | null = null;
  if (dividends > 0) {
    const e = await transfer(trx, deps.clock, {
      transferId,
      kind: 'dividend',
      at: b.to,
      memo: `${period} 合伙人分红`,
      communityId,
      hallId,
      ref: { kind: 'period', id: period },
      postings: [
        { account: operator, amount: -dividends },
        ...partners
          .filter((p) => p.dividendFen > 0)
          .map((p) => ({
            account: accounts.partner(p.agreementId, hallId, communityId),
            amount: p.dividendFen,
          })),
      ],
    });
    entryId = e.id;
  }
  await repo.insertClose(trx, {
    id: newId(deps.clock, deps.random),
    hall_id: hallId,
    period,
    profit_fen: profit,
    dividends_fen: dividends,
    entry_id: entryId,
    closed_by: actorId,
    closed_at: now,
  });
  return { period, profitFen: profit, dividendsFen: dividends, entryId, closedAt: now, partners };
}
