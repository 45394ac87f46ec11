import type { Kysely } from 'kysely';

/**
 * Coarser rollups per area (issue 18 speed, ADR 0029 amendment): a dashboard reads one area
 * (a locker `L:`, compound `X:`, community `C:` or subdistrict `S:`) per local day and month,
 * and weekday × hour slots per local day and month for the hour charts. Events append their
 * increments to `analytics_pending` (insert only, no shared row to lock); a job folds them into
 * the area tables. Reads add the pending rows, so figures are exact before the fold.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('analytics_pending')
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_pending_area_idx')
    .on('analytics_pending')
    .columns(['area', 'metric', 'day'])
    .execute();
  const counter = async (table: string, period: string, slot: boolean) => {
    let t = db.schema
      .createTable(table)
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn(period, 'text', (c) => c.notNull());
    if (slot) t = t.addColumn('slot', 'integer', (c) => c.notNull());
    await t
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [
        'area',
        'metric',
        period,
        ...(slot ? ['slot'] : []),
        'dim',
      ] as never)
      .execute();
  };
  await counter('analytics_area_days', 'day', false);
  await counter('analytics_area_months', 'month', false);
  await counter('analytics_area_day_slots', 'day', true);
  await counter('analytics_area_month_slots', 'month', true);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'analytics_area_month_slots',
    'analytics_area_day_slots',
    'analytics_area_months',
    'analytics_area_days',
    'analytics_pending',
  ])
    await db.schema.dropTable(t).execute();
}
