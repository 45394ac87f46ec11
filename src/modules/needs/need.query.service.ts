/** Reading requests: one, a list, with the context their presenters need. */
import type { Executor } from '../../db/database.ts';
import type { Grant } from '../../platform/auth/access.ts';
import { unitLabels } from '../places/index.ts';
import { listAllCommunities } from '../places/index.ts';
import * as catalogue from './catalogue.repository.ts';
import type { NeedContext } from './need.presenter.ts';
import * as repo from './need.repository.ts';
import type { NeedRow } from './need.types.ts';
import * as photos from './photo.repository.ts';
import * as routing from './routing.repository.ts';

/** Presenter context for each row, by id; `full` adds history and hand-offs. */
export async function contextOf(
  db: Executor,
  rows: readonly NeedRow[],
  full: boolean,
): Promise<Map<string, NeedContext>> {
  const services = new Map((await catalogue.listServices(db, false)).map((s) => [s.code, s.name]));
  const units = new Map(
    (await unitLabels(db, [...new Set(rows.flatMap((r) => (r.unit_id ? [r.unit_id] : [])))])).map(
      (u) => [u.unitId, `${u.communityName} ${u.label}`],
    ),
  );
  const pics = await photos.photoIdsOf(
    db,
    rows.map((r) => r.id),
  );
  const out = new Map<string, NeedContext>();
  for (const r of rows) {
    const unit = r.unit_id ? units.get(r.unit_id) : undefined;
    out.set(r.id, {
      serviceName: services.get(r.service_code) ?? r.service_code,
      place: [unit, r.address].filter(Boolean).join(' · ') || '—',
      photoIds: pics.get(r.id) ?? [],
      events: full ? await repo.eventsOf(db, r.id) : [],
      handoffs: full ? await routing.handoffsOf(db, r.id) : [],
    });
  }
  return out;
}

/** The places a staff member's grants let them list requests in. */
export async function placesOf(
  db: Executor,
  grants: readonly Grant[],
): Promise<{ communities: string[]; grids: string[]; halls: string[] } | undefined> {
  const communities = new Set<string>();
  const grids: string[] = [];
  const halls: string[] = [];
  for (const g of grants) {
    if (g.scopeKind === 'platform') return undefined;
    if (g.scopeKind === 'subdistrict')
      for (const c of await listAllCommunities(db))
        if (c.subdistrict_id === g.scopeId) communities.add(c.id);
    if (g.scopeKind === 'community') communities.add(g.scopeId);
    if (g.scopeKind === 'grid') grids.push(g.scopeId);
    if (g.scopeKind === 'hall') halls.push(g.scopeId);
  }
  return { communities: [...communities], grids, halls };
}
