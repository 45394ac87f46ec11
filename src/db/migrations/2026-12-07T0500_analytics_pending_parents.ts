import { sql, type Kysely } from 'kysely';

/**
 * Issue 19: an increment was appended to `analytics_pending` once per area it counts in (a
 * locker's in its locker, compound, community and subdistrict: four rows, 24 to 28 a parcel
 * cycle), and the fold deleted and returned every one of them. A pending row now names its own
 * area and the areas above it, and the fold counts it in each (ADR 0029, amended). Rows written
 * before keep their one area and no parents, and fold as before.
 */
const PARENTS = ['compound_area', 'community_area', 'subdistrict_area'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const c of PARENTS)
    await db.schema.alterTable('analytics_pending').addColumn(c, 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to one row per area: each parent becomes a row of its own, then the columns go.
  for (const c of PARENTS)
    await sql`insert into analytics_pending (area, metric, day, slot, dim, value)
      select ${sql.ref(c)}, metric, day, slot, dim, value from analytics_pending where ${sql.ref(c)} is not null`.execute(
      db,
    );
  for (const c of PARENTS) await db.schema.alterTable('analytics_pending').dropColumn(c).execute();
}
