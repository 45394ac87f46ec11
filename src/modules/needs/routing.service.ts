/**
 * Who a request goes to (ADR 0024). A community's own rules come first, most specific
 * first (service and grid, then service, then grid); without a rule the service's
 * responsible party decides. "The grid worker" is the grid worker granted on the grid of
 * the request's unit; with none (or no grid), the community office takes it.
 */
import type { Executor } from '../../db/database.ts';
import { grantsOfUser, listUsers } from '../identity/index.ts';
import type { Party } from './need.table.ts';
import * as repo from './routing.repository.ts';

/** Where a request lands. */
export interface Route {
  party: Party;
  assigneeId: string | null;
  /** The rule that decided it, or null for the service default. */
  ruleId: string | null;
}

/** Grid workers of a grid, oldest grant first. */
export async function gridWorkersOf(
  db: Executor,
  communityId: string,
  gridId: string,
): Promise<string[]> {
  const users = await listUsers(db, {
    communityIds: [communityId],
    extraScopes: [],
    role: 'grid_worker',
    limit: 200,
    offset: 0,
  });
  const out: string[] = [];
  for (const u of users) {
    if (u.status !== 'active') continue;
    const grants = await grantsOfUser(db, u.id);
    if (
      grants.some(
        (g) => g.role === 'grid_worker' && g.scope_kind === 'grid' && g.scope_id === gridId,
      )
    )
      out.push(u.id);
  }
  return out;
}

/** Community workers of a community (the community office), for escalations and urgent notices. */
export async function officeOf(db: Executor, communityId: string): Promise<string[]> {
  const users = await listUsers(db, {
    communityIds: [communityId],
    extraScopes: [],
    role: 'community_worker',
    limit: 200,
    offset: 0,
  });
  return users.filter((u) => u.status === 'active').map((u) => u.id);
}

/** The landing place of a party on a grid: a grid worker when the party is one and the grid has one. */
export async function resolveParty(
  db: Executor,
  communityId: string,
  gridId: string | null,
  party: Party,
): Promise<{ party: Party; assigneeId: string | null }> {
  if (party !== 'grid_worker') return { party, assigneeId: null };
  const workers = gridId ? await gridWorkersOf(db, communityId, gridId) : [];
  return workers[0]
    ? { party: 'grid_worker', assigneeId: workers[0] }
    : { party: 'community_office', assigneeId: null };
}

/** Route a new (or returned) request. */
export async function routeNeed(
  db: Executor,
  n: { communityId: string; gridId: string | null; serviceCode: string; responsible: Party },
): Promise<Route> {
  const rules = await repo.routesOf(db, n.communityId);
  const score = (r: repo.RouteRow) =>
    (r.service_code === null || r.service_code === n.serviceCode) &&
    (r.grid_id === null || r.grid_id === n.gridId)
      ? (r.service_code ? 2 : 0) + (r.grid_id ? 1 : 0)
      : -1;
  const best = rules
    .map((r) => ({ r, s: score(r) }))
    .filter((x) => x.s >= 0 && (x.r.service_code !== null || x.r.grid_id !== null))
    .sort((a, b) => b.s - a.s)[0]?.r;
  if (best) {
    if (best.assignee_id)
      return { party: best.party, assigneeId: best.assignee_id, ruleId: best.id };
    return { ...(await resolveParty(db, n.communityId, n.gridId, best.party)), ruleId: best.id };
  }
  return { ...(await resolveParty(db, n.communityId, n.gridId, n.responsible)), ruleId: null };
}
