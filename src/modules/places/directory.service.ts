/**
 * The resident's directory tab: for each unit they live in, who to call (grid service
 * line, community police), where the halls are and which lockers are at their door.
 */
import type { Grant } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { presentDirectoryEntry } from './places.presenter.ts';
import * as repo from './places.repository.ts';
import * as siteRepo from './site.repository.ts';
import * as buildingRepo from './building.repository.ts';
import type { DirectoryView } from './places.schemas.ts';

/** The directory of every unit the resident grants cover. */
export async function residentDirectory(
  deps: AppDeps,
  grants: readonly Grant[],
): Promise<DirectoryView> {
  const unitIds = [
    ...new Set(
      grants.filter((g) => g.role === 'resident' && g.scopeKind === 'unit').map((g) => g.scopeId),
    ),
  ];
  const units = await buildingRepo.findUnitsInContext(deps.db, unitIds);
  const communityIds = [...new Set(units.map((u) => u.community_id))];
  const [police, halls, sites] = await Promise.all([
    siteRepo.listPoliceContacts(deps.db, communityIds),
    siteRepo.listHalls(deps.db, communityIds),
    siteRepo.lockerSitesNear(
      deps.db,
      units.map((u) => u.id),
      units.map((u) => u.building_id),
    ),
  ]);
  return {
    units: units.map((u) => {
      // Your own grid's officer first, then the community-wide lines, then the other grids'.
      const rank = (p: repo.PoliceContactRow) =>
        p.grid_id !== null && p.grid_id === u.grid_id ? 0 : p.grid_id === null ? 1 : 2;
      const myPolice = police
        .filter((p) => p.community_id === u.community_id)
        .sort((a, b) => rank(a) - rank(b));
      const myHalls = halls.filter((h) => h.community_id === u.community_id);
      // The locker at my own door first, then the building-wide ones.
      const mySites = sites
        .filter(
          (s) => s.unit_id === u.id || (s.unit_id === null && s.building_id === u.building_id),
        )
        .sort((a, b) => Number(b.unit_id === u.id) - Number(a.unit_id === u.id));
      return presentDirectoryEntry(u, myPolice, myHalls, mySites);
    }),
  };
}
