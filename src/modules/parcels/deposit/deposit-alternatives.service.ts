/**
 * Where else a courier can go when a locker cannot take the parcel — full for that size,
 * or offline (the door could not be opened, and the courier would be told "opened" for
 * nothing): the other cabinets at the same door that are online and have room, and the
 * community's service hall. Named as people read them, never by machine id.
 */
import type { Executor } from '../../../db/database.ts';
import { cabinetLabels, type CompartmentSize } from '../../lockers/index.ts';
import * as lockers from '../../lockers/index.ts';
import { listHalls } from '../../places/index.ts';
import { AppError } from '../../../platform/errors.ts';

const SIZES: CompartmentSize[] = ['S', 'M', 'L', 'XL'];

/** "其他柜子：2号柜（1栋1单元门口）；服务馆：…" and its English, for a message. */
async function alternatives(
  db: Executor,
  locker: lockers.LockerRow,
  size: CompartmentSize,
  kind: 'normal' | 'food',
): Promise<{ zh: string; en: string }> {
  const fits = SIZES.slice(SIZES.indexOf(size));
  const here = await lockers.lockersAtSite(db, locker.site_id);
  const online = new Set(
    here
      .filter((l) => l.id !== locker.id && l.status === 'active' && l.presence !== 'offline')
      .map((l) => l.id),
  );
  const withRoom = new Set(
    (await lockers.freeCountsAtSite(db, locker.site_id))
      .filter(
        (r) =>
          online.has(r.locker_id) && r.kind === kind && fits.includes(r.size as CompartmentSize),
      )
      .map((r) => r.locker_id),
  );
  const labels = await cabinetLabels(db, [locker.site_id]);
  const others = here.filter((l) => withRoom.has(l.id)).map((l) => labels.get(l.id) || l.name);
  const halls = (await listHalls(db, [locker.community_id])).map(
    (h) => `${h.name}（${h.address}）`,
  );
  const zh = [
    others.length ? `同一门口的其他柜子：${others.join('、')}` : '',
    halls.length ? `服务馆：${halls.join('、')}` : '',
  ]
    .filter(Boolean)
    .join('；');
  const en = [
    others.length ? `the other cabinets at this door: ${others.join(', ')}` : '',
    halls.length ? `the service hall: ${halls.join('; ')}` : '',
  ]
    .filter(Boolean)
    .join(', or ');
  return { zh, en };
}

/** The 409 for a locker with no free compartment of this size or larger. */
export async function noRoom(
  db: Executor,
  locker: lockers.LockerRow,
  size: CompartmentSize,
  kind: 'normal' | 'food',
): Promise<AppError> {
  const alt = await alternatives(db, locker, size, kind);
  const what = kind === 'food' ? '保温/外卖' : '';
  return new AppError(
    'conflict',
    `No free ${kind === 'food' ? 'food ' : ''}compartment of size ${size} or larger at ${locker.name}. 这个柜子没有 ${size} 或更大的空闲${what}格口${alt.zh ? `，可以去${alt.zh}` : ''}。${alt.en ? `Try ${alt.en}.` : ''}`,
  );
}

/** The 409 for a locker that is offline: its door cannot be opened from the cloud now. */
export async function lockerOffline(
  db: Executor,
  locker: lockers.LockerRow,
  size: CompartmentSize,
  kind: 'normal' | 'food',
): Promise<AppError> {
  const alt = await alternatives(db, locker, size, kind);
  return new AppError(
    'conflict',
    `柜子离线，现在无法开门投递${alt.zh ? `，请改用${alt.zh}` : '，请稍后再试'}。This locker (${locker.name}) is offline: its doors cannot be opened now.${alt.en ? ` Use ${alt.en}.` : ' Try again later.'}`,
  );
}
