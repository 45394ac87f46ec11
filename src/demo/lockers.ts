/**
 * The demo lockers: one cabinet at every locker site of the demo world, 24 to 60
 * compartments in the usual S/M/L/XL mix with a few food compartments, credentials
 * derived from the token key (so the in-process fleet can connect without storing
 * them). Idempotent: sites that already have a locker are skipped.
 */
import { lockersAtSite } from '../modules/lockers/locker.repository.ts';
import { createLockerIn } from '../modules/lockers/locker.service.ts';
import type { CompartmentKind, CompartmentSize } from '../modules/lockers/locker.table.ts';
import { demoLockerSecret, setDeviceSecret } from '../modules/lockers/provisioning.service.ts';
import { findCompound, listAllCommunities } from '../modules/places/places.repository.ts';
import { listLockerSites } from '../modules/places/site.repository.ts';
import { listCompartments, updateLocker } from '../modules/lockers/locker.repository.ts';
import type { AppDeps } from '../platform/deps.ts';

/** A cabinet layout with `n` compartments: mostly small, some medium and large, one XL, food at the bottom row. */
export function demoLayout(
  n: number,
): { number: number; size: CompartmentSize; kind: CompartmentKind }[] {
  const foods = n >= 36 ? 4 : 2;
  return Array.from({ length: n }, (_, i) => {
    const number = i + 1;
    const share = i / n;
    const size: CompartmentSize = number === n ? 'XL' : share < 0.5 ? 'S' : share < 0.8 ? 'M' : 'L';
    return { number, size, kind: number > n - 1 - foods && number < n ? 'food' : 'normal' };
  });
}

const SIZES = [24, 36, 48, 60] as const;

export interface DemoLocker {
  lockerId: string;
  password: string;
  compartments: number[];
  /** The compound it stands in, and where, as people read it ("清淳家园 1栋1单元"). */
  compound: string;
  place: string;
}

/** Create the missing demo lockers and return every demo locker with its credentials. */
export async function seedDemoLockers(
  deps: AppDeps,
  actorId: string | null,
): Promise<DemoLocker[]> {
  return deps.db.transaction().execute(async (trx) => {
    const out: DemoLocker[] = [];
    const communities = await listAllCommunities(trx);
    let n = 0;
    for (const c of communities) {
      for (const site of await listLockerSites(trx, c.id, { limit: 10_000, offset: 0 })) {
        n++;
        const existing = await lockersAtSite(trx, site.id);
        const id = existing[0]?.id ?? `jinquan-${String(n).padStart(4, '0')}`;
        const password = demoLockerSecret(deps.config.secrets.tokenKey, id);
        if (existing.length === 0) {
          await createLockerIn(trx, deps, actorId, site.id, {
            id,
            name: `${site.name}智能柜`,
            compartments: demoLayout(SIZES[n % SIZES.length]!),
          });
          await setDeviceSecret(trx, id, password);
          await updateLocker(trx, id, { status: 'active' });
        }
        const compound = (await findCompound(trx, site.compound_id))?.name ?? '';
        out.push({
          lockerId: id,
          password,
          compartments: (await listCompartments(trx, id)).map((x) => x.number),
          compound,
          place: `${compound} ${site.name}`,
        });
      }
    }
    return out;
  });
}
