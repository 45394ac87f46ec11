/**
 * Where a missing parcel went (ADR 0041). A compartment shut empty while the books say parcels
 * are stored in it and nobody asked for them raises a `parcel_missing` alert (fact.hooks.ts);
 * the parcels stay `stored`, because the sensor may be wrong and only a person can tell. The
 * staff member who checked records what they found, for every parcel stored there, and the alert
 * is resolved in the same transaction:
 * - found: the parcel was inside after all; it stays stored and its code still opens the door.
 * - handed_over: they gave it to its recipient; it is picked up (from `api`, by them).
 * - lost: it is nowhere; it becomes `lost` (final) and the recipient is told.
 * A parcel that left frees the compartment (once its door is shut and nothing is sensed inside)
 * and the locker is synced, so the spent code stops opening it offline.
 */
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { conflict } from '../../../platform/errors.ts';
import { redactDigits } from '../../../platform/notify/sms.ts';
import * as lockers from '../../lockers/index.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';
import { tellRecipient, waybillTail } from '../notices/notice.service.ts';
import { freeIfEmptied } from './free-if-emptied.ts';
import { syncLocker } from './locker-sync.service.ts';
import type { MISSING_OUTCOMES } from './missing.schemas.ts';

export type MissingOutcome = (typeof MISSING_OUTCOMES)[number];

export interface MissingOutcomeResult {
  alertId: string;
  outcome: MissingOutcome;
  parcels: { id: string; status: 'stored' | 'picked_up' | 'lost' }[];
}

/** Record the outcome of a `parcel_missing` alert for every parcel stored in its compartment. */
export async function recordMissingOutcome(
  deps: AppDeps,
  actorId: string,
  alertId: string,
  outcome: MissingOutcome,
  note: string,
): Promise<MissingOutcomeResult> {
  // The note goes into the parcel's history, which holds no personal data: digit runs are masked.
  const detail = { alertId, note: redactDigits(note.trim()) };
  const done = await deps.db.transaction().execute(async (trx) => {
    const alert = await lockers.openAlertOfKind(trx, alertId, 'parcel_missing');
    const nowIso = iso(deps.clock.now());
    const stored =
      alert.compartment === null
        ? []
        : (await parcels.liveParcelsAt(trx, alert.locker_id, alert.compartment)).filter(
            (p) => p.status === 'stored',
          );
    const out: MissingOutcomeResult['parcels'] = [];
    for (const p of stored) {
      if (outcome === 'found') {
        await recordParcelEvent(trx, deps, p, {
          type: 'missing_found',
          actorId,
          source: 'api',
          detail,
        });
        out.push({ id: p.id, status: 'stored' });
        continue;
      }
      const status = outcome === 'handed_over' ? 'picked_up' : 'lost';
      const moved = await parcels.transition(trx, p.id, 'stored', {
        status,
        ...(status === 'picked_up' ? { picked_up_at: nowIso } : {}),
        updated_at: nowIso,
      });
      if (!moved)
        throw conflict('A parcel in this compartment changed meanwhile; reload the alerts.');
      await recordParcelEvent(trx, deps, p, {
        type: status,
        actorId,
        source: 'api',
        detail: { ...detail, ...(status === 'picked_up' ? { handedOverByStaff: true } : {}) },
      });
      if (status === 'lost')
        await tellRecipient(
          trx,
          deps,
          p,
          `【蚁巢】您的快递${waybillTail(p)}未能在快递柜中找到，社区工作人员已登记为丢失。请联系派件快递员或社区服务站处理。`,
        );
      out.push({ id: p.id, status });
    }
    const left = outcome !== 'found' && out.length > 0;
    if (left && alert.compartment !== null)
      await freeIfEmptied(trx, alert.locker_id, alert.compartment, nowIso);
    if (!(await lockers.resolveAlertIn(trx, deps, alertId)))
      throw conflict('This alert was resolved meanwhile.');
    return { lockerId: alert.locker_id, left, parcels: out };
  });
  // The locker must stop accepting a spent code offline.
  if (done.left) await syncLocker(deps, done.lockerId);
  return { alertId, outcome, parcels: done.parcels };
}
