/**
 * Orders go into the unit's locker as deliveries of one platform carrier, 社区服务馆, so
 * the parcel flow (code, notice, pickup, overdue) treats them like any parcel and the
 * resident's per-carrier delivery preference applies to them too.
 */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { findCarrierByCode, insertCarriers } from '../places/index.ts';

export const HALL_CARRIER_CODE = 'antnest-hall';

/** The hall carrier's id, created on first use. */
export async function hallCarrierId(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'random'>,
): Promise<string> {
  const found = await findCarrierByCode(db, HALL_CARRIER_CODE);
  if (found) return found.id;
  const id = newId(deps.clock, deps.random);
  try {
    await insertCarriers(db, {
      id,
      code: HALL_CARRIER_CODE,
      name: '社区服务馆',
      kind: 'express',
      created_at: iso(deps.clock.now()),
    });
    return id;
  } catch (e) {
    // Two first uses at once: the other one made it.
    const again = await findCarrierByCode(db, HALL_CARRIER_CODE);
    if (again) return again.id;
    throw e;
  }
}
