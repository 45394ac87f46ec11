/**
 * Escalation to the community office when a request's deadline nears (warn_at) or has
 * passed, exactly once per round: the claim is a conditional update (`escalated_at is
 * null`), so of two nodes sweeping at once only one writes the event and sends the text;
 * a partial unique index on need_events backs it up. Reopening starts a new round.
 */
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { recordEvent, SYSTEM, textStaff } from './need.events.ts';
import * as repo from './need.repository.ts';
import { officeOf } from './routing.service.ts';

/** Escalate every open request whose warning time has come; returns how many this call escalated. */
export async function sweepEscalations(deps: AppDeps, batch = 200): Promise<number> {
  const now = deps.clock.now();
  const due = await repo.dueForEscalation(deps.db, iso(now), batch);
  let won = 0;
  for (const n of due) {
    const overdue = Date.parse(n.due_at) <= now;
    const claimed = await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.claimEscalation(trx, n.id, iso(now)))) return false;
      await recordEvent(
        trx,
        deps,
        n,
        SYSTEM,
        'escalated',
        n.status,
        n.status,
        overdue ? 'overdue' : 'deadline_near',
      );
      return true;
    });
    if (!claimed) continue;
    won++;
    await textStaff(
      deps,
      await officeOf(deps.db, n.community_id),
      `【蚁巢】诉求${overdue ? '已超期' : '即将超期'}（编号 ${n.id.slice(-6)}，期限 ${n.due_at.slice(0, 16).replace('T', ' ')} UTC），请督办。`,
    );
  }
  return won;
}
