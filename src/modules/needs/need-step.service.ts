/** One step of a request's life: a compare-and-set on its status plus its history row, in one transaction. */
import type { Executor } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { type Actor, recordEvent } from './need.events.ts';
import * as repo from './need.repository.ts';
import type { NeedRow, NeedStatus } from './need.types.ts';

/** Statuses in Chinese, for messages. */
export const STATUS_ZH: Record<NeedStatus, string> = {
  received: '待派单',
  dispatched: '已派单',
  in_progress: '处理中',
  replied: '已答复',
  closed: '已办结',
  declined: '不予受理',
  reopened: '已重新打开',
};

export type Patch = Partial<Omit<NeedRow, 'id'>>;

/** Run one step on request `id` if its status is one of `from`. */
export async function step(
  deps: AppDeps,
  id: string,
  from: readonly NeedStatus[],
  actor: Actor,
  action: string,
  decide: (
    n: NeedRow,
    trx: Executor,
  ) => Promise<{ to: NeedStatus; patch: Patch; note?: string | null }>,
): Promise<NeedRow> {
  return deps.db.transaction().execute(async (trx) => {
    const n = await repo.findNeed(trx, id);
    if (!n) throw notFound('That request');
    if (!from.includes(n.status))
      throw conflict(
        `这条诉求现在是“${STATUS_ZH[n.status]}”，不能这样操作。The request is ${n.status}; it cannot be ${action} now.`,
      );
    const d = await decide(n, trx);
    const patch = { ...d.patch, status: d.to, updated_at: iso(deps.clock.now()) };
    if (!(await repo.updateNeedIf(trx, id, [n.status], patch)))
      throw conflict('Someone else changed this request just now; reload it and try again.');
    await recordEvent(trx, deps, n, actor, action, n.status, d.to, d.note ?? null);
    return { ...n, ...patch };
  });
}
