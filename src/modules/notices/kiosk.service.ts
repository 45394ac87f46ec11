/**
 * The hall kiosk (ADR 0023): a resident signs in with the usual SMS code and gets a short
 * session that ends itself — its refresh token never leaves the server and a job revokes
 * it KIOSK_SESSION_SECONDS after sign-in — then sees their own social-security statement,
 * their grid worker and community police, and the hall's notices and activities.
 */
import type { Grant } from '../../platform/auth/access.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { publicServices } from '../hall/index.ts';
import { findUserById, listUsers, logout, verifyOtp } from '../identity/index.ts';
import {
  getHall,
  listAllCommunities,
  listHalls,
  placePath,
  residentDirectory,
} from '../places/index.ts';
import { activitiesFor } from './activity.service.ts';
import { placesAudience } from './audience.ts';
import * as repo from './kiosk.repository.ts';
import type {
  ContactsView,
  HallCard,
  KioskBoard,
  KioskSession,
  SocialSecurityView,
} from './kiosk.schemas.ts';
import { noticesFor } from './notice.service.ts';
import type { SocialSecurityProvider } from './social-security.port.ts';

/** A kiosk session lasts this long from sign-in, whatever the screen does. */
export const KIOSK_SESSION_SECONDS = 180;

async function hallOr400(deps: AppDeps, hallId: string) {
  try {
    return await getHall(deps, hallId);
  } catch {
    throw new AppError(
      'validation_failed',
      '这台自助机登记的服务馆不存在，请联系馆员。This kiosk is set to a hall that does not exist; ask the hall staff.',
    );
  }
}

/** Sign a resident in at a hall's kiosk: an access token only, good for KIOSK_SESSION_SECONDS at most. */
export async function kioskSignIn(
  deps: AppDeps,
  input: { hallId: string; phone: string; code: string },
): Promise<KioskSession> {
  const hall = await hallOr400(deps, input.hallId);
  const session = await verifyOtp(deps, { phone: input.phone, code: input.code });
  const claims = await deps.tokens.verify(session.accessToken);
  const now = deps.clock.now();
  const expires = Math.min(
    now + KIOSK_SESSION_SECONDS * 1000,
    Date.parse(session.accessTokenExpiresAt),
  );
  await repo.insertKioskSession(deps.db, {
    session_id: claims.sid,
    user_id: session.userId,
    hall_id: hall.id,
    community_id: hall.communityId,
    expires_at: iso(expires),
    ended_at: null,
    created_at: iso(now),
  });
  const user = await findUserById(deps.db, session.userId);
  return {
    accessToken: session.accessToken,
    expiresAt: iso(expires),
    name: user?.display_name ?? '',
  };
}

/** End the caller's kiosk session now (the 退出 button, or the screen's idle timer). */
export async function endMyKioskSession(deps: AppDeps, sessionId: string): Promise<void> {
  await repo.endKioskSession(deps.db, sessionId, iso(deps.clock.now()));
  await logout(deps, sessionId);
}

/** End every kiosk session whose time is up (a job, every few seconds); returns how many. */
export async function endExpiredKioskSessions(deps: AppDeps): Promise<number> {
  const nowIso = iso(deps.clock.now());
  let ended = 0;
  for (const s of await repo.expiredKioskSessions(deps.db, nowIso, 500)) {
    await logout(deps, s.session_id);
    if (await repo.endKioskSession(deps.db, s.session_id, nowIso)) ended++;
  }
  return ended;
}

/** Every hall, for setting a kiosk up (halls are public places: their doors carry these words). */
export async function allHalls(deps: AppDeps): Promise<HallCard[]> {
  const communities = await listAllCommunities(deps.db);
  const halls = await listHalls(
    deps.db,
    communities.map((c) => c.id),
  );
  return halls.map((h) => ({
    id: h.id,
    name: h.name,
    address: h.address,
    openingHours: h.opening_hours,
  }));
}

/** What a hall's kiosk shows to anyone: the hall and its services, and the notices and activities over the place it stands in. */
export async function hallBoard(deps: AppDeps, hallId: string): Promise<KioskBoard> {
  const hall = await getHall(deps, hallId);
  const path = await placePath(deps.db, 'hall', hallId);
  const audience = placesAudience(path ? [path] : []);
  const [notices, activities, services] = await Promise.all([
    noticesFor(deps, audience, 20),
    activitiesFor(deps, audience, null, 20),
    publicServices(deps.db, hallId),
  ]);
  return {
    hall: { id: hall.id, name: hall.name, address: hall.address, openingHours: hall.openingHours },
    communityId: hall.communityId,
    services,
    notices,
    activities,
  };
}

/** My grid worker(s) and community police for each unit I live in: names and published lines only. */
export async function myContacts(deps: AppDeps, grants: readonly Grant[]): Promise<ContactsView> {
  const dir = await residentDirectory(deps, grants);
  const units = await Promise.all(
    dir.units.map(async (u) => {
      const workers = u.grid
        ? await listUsers(deps.db, {
            communityIds: [],
            extraScopes: [{ kind: 'grid', id: u.grid.id }],
            role: 'grid_worker',
            limit: 10,
            offset: 0,
          })
        : [];
      return {
        unitId: u.unit.id,
        label: `${u.compound.name} ${u.building.name} ${u.unit.name}`,
        grid: u.grid ? { name: u.grid.name, servicePhone: u.grid.servicePhone } : null,
        gridWorkers: workers
          .filter((w) => w.status === 'active')
          .map((w) => ({ name: w.display_name })),
        police: u.policeContacts.map((p) => ({ ...p })),
      };
    }),
  );
  return { units };
}

/** The signed-in person's own social-security statement: the provider is given their identity, never an id from the request. */
export async function mySocialSecurity(
  deps: AppDeps,
  provider: SocialSecurityProvider,
  userId: string,
): Promise<SocialSecurityView> {
  const user = await findUserById(deps.db, userId);
  const statement = user?.phone_hash
    ? await provider.statementFor({ userId, phoneHash: user.phone_hash })
    : null;
  return { source: provider.source, checkedAt: iso(deps.clock.now()), statement };
}
