/**
 * A resident's address alias: how couriers may name their home (compound, building, unit,
 * locker) without the flat. A text that names a flat is refused.
 */
import type { Grant } from '../../../platform/auth/access.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import * as repo from './consent.repository.ts';
import { homeCommunity } from './preference.service.ts';

const FLAT_NUMBER = [
  /\d{3,}/, // 1502
  /\d+\s*[-–—－~_/]\s*\d+/, // 15-02, 3-2-1502
  /[室房户]/,
  /\d+\s*(?:层|楼层|f\b)/i, // 15层, 15F
  /\d+\s*楼\s*\d+/, // 15楼2号 (a building is 栋/幢/号楼)
  /\d+\s*号(?!\s*[楼栋幢院门柜])/, // 2号 as a door (3号楼, 2号柜 are fine)
  /[一二三四五六七八九十百零两]+\s*(?:层|楼(?!栋))/, // 十五层, 十五楼
  /\b(?:room|rm|flat|apt|apartment|floor)\b/i,
];
const ALIAS_HAS_FLAT =
  '别名不能包含门牌号（如 1502、3-2-1502、室、房、户或楼层），请写小区、楼栋、单元和柜子，例如“清淳家园 3栋2单元 蚁巢柜”。An alias must not contain a flat number (e.g. 1502, 3-2-1502, 室/房/户 or a floor): name the compound, building, unit and locker instead.';

/** Normalise an alias (full-width digits become ASCII, spaces collapse) or throw a 400 when it is the wrong length or names a flat. */
export function checkAlias(input: string): string {
  const text = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if ([...text].length < 2 || [...text].length > 60)
    throw new AppError('validation_failed', '别名需 2–60 个字。An alias is 2–60 characters long.');
  if (FLAT_NUMBER.some((p) => p.test(text)))
    throw new AppError('validation_failed', ALIAS_HAS_FLAT);
  return text;
}

/** My alias, or nulls. */
export interface AliasView {
  text: string | null;
  updatedAt: string | null;
}

/** My address alias (nulls when none is set). */
export async function getAlias(deps: AppDeps, userId: string): Promise<AliasView> {
  const a = await repo.findAlias(deps.db, userId);
  return { text: a?.text ?? null, updatedAt: a?.updated_at ?? null };
}

/** Set my address alias; it belongs to my home's community. */
export async function setAlias(
  deps: AppDeps,
  userId: string,
  grants: readonly Grant[],
  input: string,
): Promise<AliasView> {
  const text = checkAlias(input);
  const communityId = homeCommunity(grants);
  if (!communityId)
    throw new AppError(
      'forbidden',
      'An address alias belongs to a home: you need a resident role on a unit.',
    );
  const row = {
    user_id: userId,
    community_id: communityId,
    text,
    updated_at: iso(deps.clock.now()),
  };
  await repo.upsertAlias(deps.db, row);
  return { text: row.text, updatedAt: row.updated_at };
}

/** Remove my address alias (nothing happens when none is set). */
export async function removeAlias(deps: AppDeps, userId: string): Promise<void> {
  await repo.deleteAlias(deps.db, userId);
}
