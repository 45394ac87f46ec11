/**
 * The ledger property test's actions: generated steps (sales, refunds, rule changes,
 * period closes, time passing, retries) run on the real posting code inside the caller's
 * transaction, each step under its own savepoint so a refused step leaves nothing behind.
 */
import fc from 'fast-check';
import type { ControlledTransaction } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { ManualClock, Random } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { closePeriodWithin } from './close.service.ts';
import type { Entry } from './transfer.service.ts';
import { recordRefund, recordSale } from './posting.service.ts';
import { replaceRules } from './rules.repository.ts';
import { RECIPIENTS } from './ledger.table.ts';

export type Trx = ControlledTransaction<DB>;

const rule = fc.record({
  recipient: fc.constantFrom(...RECIPIENTS),
  applies_to: fc.constantFrom('service' as const, 'goods' as const, 'all' as const),
  percent_bp: fc.integer({ min: 0, max: 4_000 }),
  min_fen: fc.integer({ min: 0, max: 2_000 }),
  max_fen: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: null }),
});

/** One generated step. Orders are few so sales, refunds and retries meet on the same order. */
export const step = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('sale' as const),
      order: fc.nat(2),
      amount: fc.integer({ min: 1, max: 1_000_000 }),
      kind: fc.constantFrom('goods' as const, 'service' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('refund' as const),
      order: fc.nat(2),
      amount: fc.integer({ min: 1, max: 300_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('rules' as const),
      rules: fc.array(rule, { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('close' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      days: fc.integer({ min: 1, max: 45 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('retry' as const), pick: fc.nat() }) },
);
export type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** What a step did: posted (new), replayed, or was refused with an HTTP status. */
export type Outcome =
  | { kind: 'posted'; entry: Entry | null }
  | { kind: 'replayed' }
  | { kind: 'refused'; status: number };

export interface Ctx {
  hallId: string;
  clock: ManualClock;
  random: Random;
}

/** The YYYY-MM (China time) of the month before the clock's. */
export function lastMonth(now: number): string {
  const d = new Date(now + 8 * 3600_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/** The call a step makes (retries call a previous call again, with the same input). */
export function callOf(ctx: Ctx, s: Step, i: number): ((trx: Executor) => Promise<Outcome>) | null {
  const at = new Date(ctx.clock.now()).toISOString();
  const order = 'order' in s ? `o${s.order}` : '';
  const posted = (e: Entry): Outcome =>
    e.replayed ? { kind: 'replayed' } : { kind: 'posted', entry: e };
  if (s.t === 'sale')
    return async (trx) =>
      posted(
        await recordSale(trx, ctx.clock, {
          transferId: `s-${order}`,
          hallId: ctx.hallId,
          orderId: order,
          amountFen: s.amount,
          kind: s.kind,
          at,
        }),
      );
  if (s.t === 'refund')
    return async (trx) =>
      posted(
        await recordRefund(trx, ctx.clock, {
          transferId: `r-${i}`,
          hallId: ctx.hallId,
          orderId: order,
          amountFen: s.amount,
          at,
        }),
      );
  if (s.t === 'rules')
    return async (trx) => {
      await replaceRules(
        trx,
        ctx.hallId,
        s.rules.map((r, position) => ({
          ...r,
          id: `rule-${i}-${position}`,
          hall_id: ctx.hallId,
          position,
          updated_by: 'property',
          updated_at: at,
        })),
      );
      return { kind: 'posted', entry: null };
    };
  if (s.t === 'close') {
    const period = lastMonth(ctx.clock.now());
    return async (trx) => {
      const r = await closePeriodWithin(trx, ctx, ctx.hallId, period, 'property');
      return { kind: 'posted', entry: r.entryId ? ({ id: r.entryId } as Entry) : null };
    };
  }
  return null;
}

/** Run one call under a savepoint: a refused call is rolled back to it. */
export async function runStep(
  trx: Trx,
  call: (trx: Executor) => Promise<Outcome>,
): Promise<Outcome> {
  const sp = await trx.savepoint('step').execute();
  try {
    const out = await call(sp);
    await sp.releaseSavepoint('step').execute();
    return out;
  } catch (e) {
    await sp.rollbackToSavepoint('step').execute();
    if (e instanceof AppError) return { kind: 'refused', status: e.status };
    throw e;
  }
}
