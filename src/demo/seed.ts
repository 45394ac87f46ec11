/**
 * Seeds the Jinquan demo world (jinquan.ts) on first run: the places, the carriers and
 * one account per demo role, in one transaction. A database that already has a
 * subdistrict is left alone, so restarting `antnest serve --demo` never duplicates it.
 */
import { seedDemoNeeds } from './needs.ts';
import * as places from '../modules/places/places.repository.ts';
import * as siteRepo from '../modules/places/site.repository.ts';
import {
  insertGrant,
  insertUser,
  type GrantRow,
  type UserRow,
} from '../modules/identity/user.repository.ts';
import { replacePreferences, ANY_CARRIER } from '../modules/parcels/index.ts';
import { upsertTariff } from '../modules/parcels/sending/sending.repository.ts';
import type { WeightBand } from '../modules/parcels/sending/sending.table.ts';
import { recordAudit } from '../platform/audit/audit.repository.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import type { Role, ScopeKind } from '../platform/auth/roles.ts';
import { iso, newId } from '../platform/clock.ts';
import { normalizePhone } from '../platform/crypto/phone.ts';
import type { AppDeps } from '../platform/deps.ts';
import { seedDemoFinanceRules, seedDemoPartnersAndFund } from './finance.ts';
import { seedDemoHall } from './hall.ts';
import * as J from './jinquan.ts';
import { type DemoLogins, demoLogins } from './logins.ts';
import { seedCommunity, type SeededCommunity } from './places.ts';
import { seedNoticesDemo } from './notices.ts';

/** What seeding made: the subdistrict, how many of each thing, and the demo logins. */
export interface DemoSummary extends DemoLogins {
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
    for (const [code, base] of Object.entries(J.SENDING_TARIFFS))
      for (const [band, bandFen] of Object.entries(J.SENDING_BAND_STEP_FEN))
        for (const [size, sizeFen] of Object.entries(J.SENDING_SIZE_STEP_FEN))
          await upsertTariff(trx, {
            id: id(),
            carrier_id: carrierIds.get(code)!,
            weight_band: band as WeightBand,
            size: size as 'S' | 'M' | 'L' | 'XL',
            price_fen: base + bandFen + sizeFen,
            updated_at: at,
            updated_by: null,
          });

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
    await seedDemoFinanceRules(trx, deps);
    await seedDemoHall(trx, deps);
    await seedDemoPartnersAndFund(trx, deps);

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
