/**
 * Seeds the Jinquan demo world (jinquan.ts) on first run: the places, the carriers and
 * one account per demo role, in one transaction. A database that already has a
 * subdistrict is left alone, so restarting `antnest serve --demo` never duplicates it.
 */
import { seedDemoNeeds } from './needs.ts';
import type { Executor } from '../db/database.ts';
import * as places from '../modules/places/places.repository.ts';
import * as siteRepo from '../modules/places/site.repository.ts';
import * as buildingRepo from '../modules/places/building.repository.ts';
import {
  insertGrant,
  insertUser,
  type GrantRow,
  type UserRow,
} from '../modules/identity/user.repository.ts';
import { replacePreferences, ANY_CARRIER } from '../modules/parcels/index.ts';
import { recordAudit } from '../platform/audit/audit.repository.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import type { Role, ScopeKind } from '../platform/auth/roles.ts';
import { iso, newId } from '../platform/clock.ts';
import { normalizePhone } from '../platform/crypto/phone.ts';
import type { AppDeps } from '../platform/deps.ts';
import { seedDemoHall } from './hall.ts';
import * as J from './jinquan.ts';
import { seedNoticesDemo } from './notices.ts';

export interface StaffLogin {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  where: string;
}

export interface ResidentLogin {
  phone: string;
  displayName: string;
  unit: string;
}

export interface DemoSummary {
  subdistrictId: string;
  counts: {
    communities: number;
    compounds: number;
    grids: number;
    buildings: number;
    units: number;
    halls: number;
    lockerSites: number;
    policeContacts: number;
    carriers: number;
    users: number;
  };
  staff: StaffLogin[];
  residents: ResidentLogin[];
}

/** The demo logins, from the data alone (they are the same on every seeded database). */
export function demoLogins(): Pick<DemoSummary, 'staff' | 'residents'> {
  return {
    staff: J.demoStaff().map((s) => ({
      username: s.username,
      password: J.DEMO_PASSWORD,
      displayName: s.displayName,
      role: s.role,
      where: J.describeScope(s.scope),
    })),
    residents: J.RESIDENTS.map((r) => ({
      phone: r.phone,
      displayName: r.displayName,
      unit: `${J.describeHome(r)}${r.delivery === 'ask_first' ? '（投柜前需先征得同意）' : ''}`,
    })),
  };
}

/** The demo logins as text for the terminal; with null (seeded on an earlier run) it prints the same fixed list. */
export function printDemoLogins(summary: DemoSummary | null): string {
  const { staff, residents } = summary ?? demoLogins();
  const width = Math.max(...staff.map((s) => s.username.length));
  const roleWidth = Math.max(...staff.map((s) => s.role.length));
  return (
    [
      `Demo staff (password "${J.DEMO_PASSWORD}", sign in with POST /api/v1/auth/login):`,
      ...staff.map(
        (s) =>
          `  ${s.username.padEnd(width)}  ${s.role.padEnd(roleWidth)}  ${s.where}  ${s.displayName}`,
      ),
      'Demo residents (sign in by SMS code with these phones):',
      ...residents.map((r) => `  ${r.phone}  ${r.displayName}  ${r.unit}`),
    ].join('\n') + '\n'
  );
}

interface SeededCommunity {
  id: string;
  gridIds: string[];
  hallId: string;
  /** unit id by "building-unit" (1-based numbers). */
  units: Map<string, string>;
}

/** Seed the Jinquan demo world; returns null and changes nothing when any subdistrict exists. */
export async function seedDemo(deps: AppDeps): Promise<DemoSummary | null> {
  if (await places.anySubdistrict(deps.db)) return null;
  // argon2 is slow on purpose: hash the one shared demo password once, outside the transaction.
  const passwordHash = await hashPassword(J.DEMO_PASSWORD);
  const summary = await deps.db.transaction().execute(async (trx) => {
    if (await places.anySubdistrict(trx)) return null;
    const at = iso(deps.clock.now());
    const id = () => newId(deps.clock, deps.random);

    const subdistrictId = id();
    await places.insertSubdistricts(trx, { id: subdistrictId, ...J.SUBDISTRICT, created_at: at });
    const seeded = new Map<J.CommunityKey, SeededCommunity>();
    const counts: DemoSummary['counts'] = {
      communities: 0,
      compounds: 0,
      grids: 0,
      buildings: 0,
      units: 0,
      halls: 0,
      lockerSites: 0,
      policeContacts: 0,
      carriers: 0,
      users: 0,
    };

    for (const c of J.COMMUNITIES) {
      const s = await seedCommunity(trx, c, subdistrictId, at, id);
      seeded.set(c.key, s.ids);
      for (const [k, n] of Object.entries(s.counts) as [keyof typeof counts, number][])
        counts[k] += n;
    }

    const carrierIds = new Map(J.CARRIERS.map((k) => [k.code, id()]));
    await siteRepo.insertCarriers(
      trx,
      J.CARRIERS.map((k) => ({
        id: carrierIds.get(k.code)!,
        code: k.code,
        name: k.name,
        kind: k.kind,
        created_at: at,
      })),
    );
    counts.carriers = J.CARRIERS.length;

    const scopeOf = (
      s: J.DemoScope,
    ): { kind: ScopeKind; id: string; communityId: string | null } => {
      switch (s.kind) {
        case 'platform':
          return { kind: 'platform', id: 'platform', communityId: null };
        case 'subdistrict':
          return { kind: 'subdistrict', id: subdistrictId, communityId: null };
        case 'community':
          return {
            kind: 'community',
            id: seeded.get(s.community)!.id,
            communityId: seeded.get(s.community)!.id,
          };
        case 'grid':
          return {
            kind: 'grid',
            id: seeded.get(s.community)!.gridIds[s.grid - 1]!,
            communityId: seeded.get(s.community)!.id,
          };
        case 'hall':
          return {
            kind: 'hall',
            id: seeded.get(s.community)!.hallId,
            communityId: seeded.get(s.community)!.id,
          };
        case 'carrier':
          return { kind: 'carrier', id: carrierIds.get(s.carrier)!, communityId: null };
      }
    };

    const users: UserRow[] = [];
    const grants: GrantRow[] = [];
    const preferences: { userId: string; communityId: string; mode: J.DemoResident['delivery'] }[] =
      [];
    const person = (
      displayName: string,
      phone: string | null,
      username: string | null,
    ): UserRow => {
      const p = phone === null ? null : normalizePhone(phone);
      const row: UserRow = {
        id: id(),
        display_name: displayName,
        phone_hash: p ? deps.vault.hash(p) : null,
        phone_cipher: p ? deps.vault.encrypt(p) : null,
        username,
        password_hash: username ? passwordHash : null,
        status: 'active',
        created_at: at,
        updated_at: at,
      };
      users.push(row);
      return row;
    };
    const grant = (
      userId: string,
      role: Role,
      scope: { kind: ScopeKind; id: string; communityId: string | null },
    ) =>
      grants.push({
        id: id(),
        user_id: userId,
        role,
        scope_kind: scope.kind,
        scope_id: scope.id,
        community_id: scope.communityId,
        created_at: at,
        created_by: null,
      });

    for (const s of J.demoStaff())
      grant(person(s.displayName, s.phone, s.username).id, s.role, scopeOf(s.scope));
    for (const r of J.RESIDENTS) {
      const c = seeded.get(r.community)!;
      const unitId = c.units.get(`${r.building}-${r.unit}`);
      if (!unitId)
        throw new Error(`demo resident ${r.displayName} lives in a unit the demo does not have`);
      const user = person(r.displayName, r.phone, null);
      grant(user.id, 'resident', { kind: 'unit', id: unitId, communityId: c.id });
      preferences.push({ userId: user.id, communityId: c.id, mode: r.delivery });
    }
    for (const u of users) await insertUser(trx, u);
    for (const g of grants) await insertGrant(trx, g);
    for (const p of preferences)
      await replacePreferences(trx, p.userId, [
        {
          id: id(),
          community_id: p.communityId,
          user_id: p.userId,
          carrier_id: ANY_CARRIER,
          mode: p.mode,
          updated_at: at,
        },
      ]);
    counts.users = users.length;
    await seedNoticesDemo(trx, deps);
    await seedDemoHall(trx, deps);

    await recordAudit(trx, deps.clock, deps.random, {
      actorId: null,
      action: 'demo.seed',
      targetKind: 'subdistrict',
      targetId: subdistrictId,
      communityId: null,
      detail: counts,
    });
    return { subdistrictId, counts, ...demoLogins() };
  });
  if (summary) await seedDemoNeeds(deps);
  return summary;
}

/** One community: its compound, grids, buildings, units, a locker site at every unit door, its hall and police contacts. */
async function seedCommunity(
  trx: Executor,
  c: J.DemoCommunity,
  subdistrictId: string,
  at: string,
  id: () => string,
) {
  const communityId = id();
  const compoundId = id();
  await places.insertCommunities(trx, {
    id: communityId,
    subdistrict_id: subdistrictId,
    name: c.name,
    created_at: at,
  });
  await places.insertCompounds(trx, {
    id: compoundId,
    community_id: communityId,
    name: c.compound.name,
    address: c.compound.address,
    created_at: at,
  });

  const grids: places.GridRow[] = [];
  for (let g = 1; g <= J.gridCount(c); g++)
    grids.push({
      id: id(),
      community_id: communityId,
      name: J.gridName(g),
      service_phone: J.gridPhone(c, g),
      created_at: at,
    });
  await places.insertGrids(trx, grids);

  const buildings: places.BuildingRow[] = [];
  const units: places.UnitRow[] = [];
  const sites: places.LockerSiteRow[] = [];
  const unitIds = new Map<string, string>();
  const base = { community_id: communityId, compound_id: compoundId, created_at: at };
  for (let b = 1; b <= c.compound.buildings; b++) {
    const building: places.BuildingRow = {
      ...base,
      id: id(),
      grid_id: grids[J.gridOfBuilding(c, b) - 1]!.id,
      name: J.buildingName(b),
      floors: c.compound.floors,
    };
    buildings.push(building);
    for (let u = 1; u <= c.compound.unitsPerBuilding; u++) {
      const unit: places.UnitRow = {
        ...base,
        id: id(),
        building_id: building.id,
        name: J.unitName(u),
        households: c.compound.floors * c.compound.householdsPerFloor,
      };
      units.push(unit);
      unitIds.set(`${b}-${u}`, unit.id);
      sites.push({
        ...base,
        id: id(),
        building_id: building.id,
        unit_id: unit.id,
        name: J.lockerSiteName(b, u),
      });
    }
  }
  await buildingRepo.insertBuildings(trx, buildings);
  await buildingRepo.insertUnits(trx, units);
  await siteRepo.insertLockerSites(trx, sites);

  const hallId = id();
  await siteRepo.insertHalls(trx, {
    id: hallId,
    community_id: communityId,
    compound_id: compoundId,
    name: c.hall.name,
    address: c.hall.address,
    opening_hours: c.hall.openingHours,
    created_at: at,
  });
  await siteRepo.insertPoliceContacts(
    trx,
    c.police.map((p) => ({
      id: id(),
      community_id: communityId,
      grid_id: p.grid === null ? null : grids[p.grid - 1]!.id,
      name: p.name,
      title: p.title,
      work_phone: p.workPhone,
      created_at: at,
    })),
  );

  return {
    ids: {
      id: communityId,
      gridIds: grids.map((g) => g.id),
      hallId,
      units: unitIds,
    } satisfies SeededCommunity,
    counts: {
      communities: 1,
      compounds: 1,
      grids: grids.length,
      buildings: buildings.length,
      units: units.length,
      halls: 1,
      lockerSites: sites.length,
      policeContacts: c.police.length,
    },
  };
}
