/** Hand a request to its outside institution through the gateway and record it. */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { Service } from './catalogue.service.ts';
import type { InstitutionGateway } from './institution.adapter.ts';
import type { NeedRow } from './need.types.ts';
import * as routing from './routing.repository.ts';
import { unitLabels } from '../places/index.ts';

/** Hand off `need` (whose party is outside) and store the institution's reference. */
export async function handOff(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  gateway: InstitutionGateway,
  need: NeedRow,
  service: Service,
): Promise<string> {
  const unit = need.unit_id ? (await unitLabels(db, [need.unit_id]))[0] : undefined;
  const place = unit ? `${unit.communityName} ${unit.label}` : (need.address ?? need.community_id);
  const { externalRef } = await gateway.handOff({
    needId: need.id,
    party: need.party,
    serviceCode: service.code,
    serviceName: service.name,
    description: need.description,
    place,
    dueAt: need.due_at,
  });
  await routing.insertHandoff(db, {
    id: newId(deps.clock, deps.random),
    need_id: need.id,
    community_id: need.community_id,
    party: need.party,
    adapter: gateway.name,
    external_ref: externalRef,
    note: null,
    created_at: iso(deps.clock.now()),
  });
  return externalRef;
}
