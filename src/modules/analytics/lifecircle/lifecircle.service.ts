/**
 * The life circle of a community or a subdistrict (ADR 0030): read the places' map
 * through the places module, measure every building's walks, summarise per community,
 * and plan the next sites. Nearest facilities are sought across the whole subdistrict —
 * residents cross community lines to the nearest hall.
 */
import * as places from '../../places/index.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { notFound } from '../../../platform/errors.ts';
import { measureBuildings, type MeasuredBuilding, summarise } from './life-circle.ts';
import { walkSettings, type WalkSettings } from './lifecircle.policy.ts';
import * as present from './lifecircle.presenter.ts';
import type { LifeCircleView, PlanQuery, PlanView, WalkQuery } from './lifecircle.schemas.ts';
import { planSites } from './planner.ts';

/** Which part of the place tree is looked at. */
export type CircleScope = { kind: 'community' | 'subdistrict'; id: string };

interface Measured {
  scope: { kind: CircleScope['kind']; id: string; name: string };
  communities: { id: string; name: string }[];
  buildings: MeasuredBuilding[];
  facilities: places.PlaceMap;
  settings: WalkSettings;
}

async function measure(deps: AppDeps, scope: CircleScope, q: WalkQuery): Promise<Measured> {
  let subdistrictId: string;
  let name: string;
  if (scope.kind === 'community') {
    const c = await places.findCommunity(deps.db, scope.id);
    if (!c) throw notFound('That community');
    subdistrictId = c.subdistrict_id;
    name = c.name;
  } else {
    const s = await places.findSubdistrict(deps.db, scope.id);
    if (!s) throw notFound('That subdistrict');
    subdistrictId = s.id;
    name = s.name;
  }
  const all = await places.listCommunities(deps.db, subdistrictId);
  const focus = scope.kind === 'community' ? all.filter((c) => c.id === scope.id) : all;
  const map = await places.placeMap(
    deps.db,
    all.map((c) => c.id),
  );
  const focusIds = new Set(focus.map((c) => c.id));
  const settings = walkSettings(q);
  const buildings = measureBuildings(
    { ...map, buildings: map.buildings.filter((b) => focusIds.has(b.communityId)) },
    settings,
  );
  return {
    scope: { ...scope, name },
    communities: focus.map((c) => ({ id: c.id, name: c.name })),
    buildings,
    facilities: map,
    settings,
  };
}

/** Walks, shares and the map of a community or a subdistrict. */
export async function lifeCircle(
  deps: AppDeps,
  scope: CircleScope,
  q: WalkQuery,
): Promise<LifeCircleView> {
  const m = await measure(deps, scope, q);
  // Show the scope's own facilities and any other that is the nearest for one of its buildings.
  const used = new Set(
    m.buildings.flatMap((b) => [b.nearestHall?.id, b.nearestLocker?.id]).filter(Boolean),
  );
  const ids = new Set(m.communities.map((c) => c.id));
  const shown = (f: places.MappedFacility) => ids.has(f.communityId) || used.has(f.id);
  return {
    scope: m.scope,
    settings: present.presentSettings(m.settings),
    summary: present.presentSummary(summarise(m.buildings, m.settings)),
    communities: m.communities.map((c) => ({
      ...c,
      summary: present.presentSummary(
        summarise(
          m.buildings.filter((b) => b.communityId === c.id),
          m.settings,
        ),
      ),
    })),
    buildings: m.buildings.map(present.presentBuilding),
    halls: m.facilities.halls.filter(shown).map(present.presentFacility),
    lockerSites: m.facilities.lockerSites.filter(shown).map(present.presentFacility),
  };
}

/** The community's or subdistrict's summary alone (the monthly report's life-circle figures). */
export async function lifeCircleSummary(deps: AppDeps, scope: CircleScope) {
  const m = await measure(deps, scope, {});
  return { settings: m.settings, summary: summarise(m.buildings, m.settings) };
}

/** Where the next N halls or lockers should go to cover the most households. */
export async function planNext(deps: AppDeps, scope: CircleScope, q: PlanQuery): Promise<PlanView> {
  const m = await measure(deps, scope, q);
  const candidates = q.candidates ?? 'buildings';
  const plan = planSites(m.buildings, m.settings, {
    kind: q.kind ?? 'hall',
    count: q.count ?? 2,
    candidates,
    gridStepM: q.gridStepM ?? 100,
  });
  const names = new Map(m.buildings.map((b) => [b.id, `${b.compoundName}${b.name}`]));
  return present.presentPlan(plan, candidates, names);
}
