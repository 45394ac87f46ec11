/**
 * Units as a person names them ("清淳家园 1栋1单元"): labels for a list of unit ids, and
 * a search over compound + building + unit names with or without spaces, for a family
 * member asking the community to bind their home.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

export interface UnitLabel {
  unitId: string;
  communityId: string;
  communityName: string;
  /** Compound, building and unit: 清淳家园 1栋1单元. */
  label: string;
}

function base(db: Executor) {
  return db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('compounds as x', 'x.id', 'u.compound_id')
    .innerJoin('communities as c', 'c.id', 'u.community_id')
    .select([
      'u.id as unitId',
      'u.community_id as communityId',
      'c.name as communityName',
      'x.name as compound',
      'b.name as building',
      'u.name as unit',
    ]);
}

const present = (r: {
  unitId: string;
  communityId: string;
  communityName: string;
  compound: string;
  building: string;
  unit: string;
}): UnitLabel => ({
  unitId: r.unitId,
  communityId: r.communityId,
  communityName: r.communityName,
  label: `${r.compound} ${r.building}${r.unit}`,
});

/** Labels of the given units (missing ids are left out). */
export async function unitLabels(db: Executor, unitIds: readonly string[]): Promise<UnitLabel[]> {
  if (unitIds.length === 0) return [];
  return (
    await base(db)
      .where('u.id', 'in', [...unitIds])
      .execute()
  ).map(present);
}

/** Units whose "compound building unit" name contains the query, spaces ignored; at most `limit`. */
export async function searchUnits(
  db: Executor,
  query: string,
  limit: number,
): Promise<UnitLabel[]> {
  const q = query.replace(/\s+/g, '').replace(/[%_\\]/g, (c) => `\\${c}`);
  if (!q) return [];
  const rows = await base(db)
    .where(sql<boolean>`replace(x.name || b.name || u.name, ' ', '') like ${`%${q}%`} escape '\\'`)
    .orderBy('x.name')
    .orderBy('b.name')
    .orderBy('u.name')
    .limit(limit)
    .execute();
  return rows.map(present);
}
