/**
 * Who may touch what. Two halves:
 *  1. Function level, generated from every declared route: a role not named in a route's
 *     access gets 403 (a courier cannot call staff endpoints; a resident cannot manage).
 *  2. Object level: each object of unit B (and of community 1, and of other users) is
 *     requested by every role; only the roles whose places cover it get through, everyone
 *     else gets 404 (or 403 when the function itself is not theirs).
 * Removing any `object:` scope or role list from a route makes a row here fail.
 * test/abuse/bola.test.ts generalises the object level to every route of the OpenAPI
 * document with real objects of another community; the rows here stay as readable examples.
 */
import { describe, expect, it } from 'vitest';
import { type Role, STAFF_ROLES } from '../src/platform/auth/roles.ts';
import { auth, type World, type WorldUser } from './factories.ts';
import { describeEachDialect } from './harness.ts';
import { useWorld } from './world.ts';

const ROLE_OF: Record<WorldUser, Role> = {
  residentA: 'resident',
  residentB: 'resident',
  residentC: 'resident',
  courier: 'courier',
  hallStaff1: 'hall_staff',
  partner1: 'partner',
  gridWorker1: 'grid_worker',
  communityWorker1: 'community_worker',
  communityWorker2: 'community_worker',
  officer: 'subdistrict_officer',
  admin: 'operator_admin',
};
const EVERYONE = Object.keys(ROLE_OF) as WorldUser[];
const FAKE_ID = '0190f5c2-dead-7000-8000-00000000beef';

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: (w: World) => string;
  body?: (w: World) => object;
  /** Users allowed through (2xx); everyone else must get 403 or 404. */
  allowed: WorldUser[];
}

const ROWS: Row[] = [
  {
    name: 'unit B',
    method: 'GET',
    url: (w) => `/api/v1/units/${w.unitB}`,
    allowed: ['residentB', 'communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'unit A (grid 1)',
    method: 'GET',
    url: (w) => `/api/v1/units/${w.unitA}`,
    allowed: ['residentA', 'gridWorker1', 'communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'units of building B',
    method: 'GET',
    url: (w) => `/api/v1/buildings/${w.buildingB}/units`,
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'add a unit to building B',
    method: 'POST',
    url: (w) => `/api/v1/buildings/${w.buildingB}/units`,
    body: () => ({ name: `${Math.random()}`.slice(2, 8) + '单元', households: 12 }),
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'community 1',
    method: 'GET',
    url: (w) => `/api/v1/communities/${w.community1}`,
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'hall 1',
    method: 'GET',
    url: (w) => `/api/v1/halls/${w.hall1}`,
    allowed: ['hallStaff1', 'partner1', 'communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'resident B the user',
    method: 'GET',
    url: (w) => `/api/v1/users/${w.users.residentB.id}`,
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'rename resident B',
    method: 'PATCH',
    url: (w) => `/api/v1/users/${w.users.residentB.id}`,
    body: () => ({ displayName: '李阿姨' }),
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'give resident B a role',
    method: 'POST',
    url: (w) => `/api/v1/users/${w.users.residentB.id}/grants`,
    body: (w) => ({ role: 'resident', scopeKind: 'unit', scopeId: w.unitB }),
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'invite family to unit B',
    method: 'POST',
    url: () => '/api/v1/me/homes/invites',
    body: (w) => ({ unitId: w.unitB }),
    allowed: ['residentB'],
  },
  // Issue 13: a look-up finds only users with a role in one's places (finding 2), and a role goes only to a user one manages (finding 1).
  {
    name: 'look up resident B by phone',
    method: 'POST',
    url: () => '/api/v1/users/lookup',
    body: () => ({ phone: '13800000002' }),
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
  {
    name: 'a role on grid 2 for a resident of community 2',
    method: 'POST',
    url: (w) => `/api/v1/users/${w.users.residentC.id}/grants`,
    body: (w) => ({ role: 'grid_worker', scopeKind: 'grid', scopeId: w.grid2 }),
    allowed: ['officer', 'admin'],
  },
  {
    name: 'the subdistrict dashboard',
    method: 'GET',
    url: (w) => `/api/v1/analytics/subdistricts/${w.subdistrict}`,
    allowed: ['officer', 'admin'],
  },
  {
    name: "community 1's dashboard chart as CSV",
    method: 'GET',
    url: (w) => `/api/v1/analytics/communities/${w.community1}/charts/carriers?format=csv`,
    allowed: ['communityWorker1', 'officer', 'admin'],
  },
];

describeEachDialect('access matrix', (dialect) => {
  const { t, w } = useWorld(dialect);

  describe('function level: roles not named by a route get 403', () => {
    it('every guarded route declares access, and forbidden roles are refused before anything else happens', async () => {
      const policies = t.app.accessPolicies.filter(
        (p) => p.url.startsWith('/api/v1/') && !('public' in p.access) && p.method !== 'HEAD',
      );
      expect(policies.length).toBeGreaterThanOrEqual(20);
      let checked = 0;
      for (const p of policies) {
        const roles = (p.access as { roles: readonly Role[] | 'any' }).roles;
        if (roles === 'any') continue;
        for (const who of EVERYONE) {
          if (roles.includes(ROLE_OF[who])) continue;
          const r = await t.app.inject({
            method: p.method as 'GET',
            url: p.url.replace(/:[a-zA-Z]+/g, FAKE_ID),
            headers: auth(w, who),
            ...(p.method === 'GET' || p.method === 'DELETE' ? {} : { payload: {} }),
          });
          expect(r.statusCode, `${who} ${p.method} ${p.url}`).toBe(403);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(50);
      // One request per route and forbidden role: hundreds, which outgrew 20 s on a loaded PostgreSQL.
    }, 120_000);

    it('a courier cannot call any staff endpoint', async () => {
      const staffRoutes = t.app.accessPolicies.filter(
        (p) =>
          !('public' in p.access) &&
          p.access.roles !== 'any' &&
          p.access.roles.some((r) => (STAFF_ROLES as readonly Role[]).includes(r)) &&
          !p.access.roles.includes('courier'),
      );
      expect(staffRoutes.length).toBeGreaterThan(10);
      for (const p of staffRoutes) {
        const r = await t.app.inject({
          method: p.method as 'GET',
          url: p.url.replace(/:[a-zA-Z]+/g, FAKE_ID),
          headers: auth(w, 'courier'),
        });
        expect(r.statusCode, `courier ${p.method} ${p.url}`).toBe(403);
        expect(r.json().error.code).toBe('forbidden');
      }
    });
  });

  describe('object level: only the places that cover an object reach it', () => {
    for (const row of ROWS) {
      it(row.name, async () => {
        for (const who of EVERYONE) {
          const r = await t.app.inject({
            method: row.method,
            url: row.url(w),
            headers: auth(w, who),
            ...(row.body ? { payload: row.body(w) } : {}),
          });
          const what = `${who} ${row.method} ${row.name}`;
          if (row.allowed.includes(who)) {
            expect(r.statusCode, `${what}: ${r.body}`).toBeLessThan(300);
          } else {
            expect([403, 404], `${what}: ${r.body}`).toContain(r.statusCode);
            expect(r.json().error.code, what).toBe(
              r.statusCode === 403 ? 'forbidden' : 'not_found',
            );
          }
        }
      });
    }

    it("resident A's directory shows unit A's places and nothing of unit B", async () => {
      const r = await t.app.inject({ url: '/api/v1/me/directory', headers: auth(w, 'residentA') });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain(w.unitA);
      expect(r.body).not.toContain(w.unitB);
      expect(r.body).not.toContain(w.siteB);
    });

    it('a staff user of community 2 sees none of community 1 in lists', async () => {
      const users = await t.app.inject({
        url: '/api/v1/users',
        headers: auth(w, 'communityWorker2'),
      });
      expect(users.statusCode).toBe(200);
      expect(users.body).not.toContain(w.users.residentA.id);
      expect(users.body).not.toContain(w.users.residentB.id);
    });
  });
});
