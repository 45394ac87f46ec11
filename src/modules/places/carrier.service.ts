/** Carriers (快递) and takeout platforms (外卖): platform-wide, not tied to any place. */
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import * as present from './places.presenter.ts';
import * as repo from './places.repository.ts';
import * as siteRepo from './site.repository.ts';
import type { CarrierView } from './places.schemas.ts';
import { type Actor, auditPlace, stamp } from './places.service.ts';

/** Every carrier and takeout platform. */
export async function listCarriers(deps: AppDeps): Promise<CarrierView[]> {
  return (await siteRepo.listCarriers(deps.db)).map(present.presentCarrier);
}

/** Add a carrier; carriers serve every place, so only a platform-wide operator admin may. */
export async function createCarrier(
  deps: AppDeps,
  actor: Actor,
  input: { code: string; name: string; kind: 'express' | 'takeout' },
): Promise<CarrierView> {
  if (!actor.grants.some((g) => g.scopeKind === 'platform')) {
    throw new AppError('forbidden', 'Only a platform-wide operator admin can add a carrier.');
  }
  return deps.db.transaction().execute(async (trx) => {
    if (await siteRepo.findCarrierByCode(trx, input.code))
      throw conflict(`A carrier with code "${input.code}" already exists; choose another code.`);
    const { id, at } = stamp(deps);
    const row: repo.CarrierRow = {
      id,
      code: input.code,
      name: input.name.trim(),
      kind: input.kind,
      created_at: at,
    };
    await siteRepo.insertCarriers(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'carrier.create',
      { kind: 'carrier', id, communityId: null },
      { code: row.code, name: row.name },
    );
    return present.presentCarrier(row);
  });
}
