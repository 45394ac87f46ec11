/** Lockers and alerts as staff read them: named by place (compound · building · unit · cabinet), never by id alone. */
import type { Executor } from '../../db/database.ts';
import { placeLabels } from '../places/index.ts';
import type { AlertRow } from './alert.repository.ts';
import { lockersByIds, type LockerRow, type LockerSummaryRow } from './locker.repository.ts';
import { presentAlert, presentLocker } from './locker.presenter.ts';

/** Present lockers with their place labels (one query for all). */
export async function presentLockersNamed(
  db: Executor,
  rows: readonly (LockerRow | LockerSummaryRow)[],
) {
  const labels = await placeLabels(db, rows);
  return rows.map((l) => presentLocker(l, labels.get(l.id)));
}

/** Present alerts with their locker's name and place (one query per table for all). */
export async function presentAlertsNamed(db: Executor, alerts: readonly AlertRow[]) {
  const lockers = await lockersByIds(
    db,
    alerts.map((a) => a.locker_id),
  );
  const labels = await placeLabels(db, lockers);
  const names = new Map(lockers.map((l) => [l.id, l.name]));
  return alerts.map((a) =>
    presentAlert(a, {
      lockerName: names.get(a.locker_id) ?? a.locker_id,
      place: labels.get(a.locker_id),
    }),
  );
}
