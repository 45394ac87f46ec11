import { type Kysely, sql } from 'kysely';
import { isPostgres, timestampType } from '../dialect.ts';

/**
 * Residents' needs (issue 16): the service catalogue and its deadline classes, the
 * working-day calendar, requests with their history and photos, routing rules, hand-offs
 * to outside institutions, and Open311 client keys. Photos live in the database (bytea /
 * blob) so every API node serves them without a shared disk (ADR 0024).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  const bytes = isPostgres(db) ? sql`bytea` : sql`blob`;

  await db.schema
    .createTable('need_deadline_classes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('respond_hours', 'integer', (c) => c.notNull())
    .addColumn('warn_hours', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('need_services')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('responsible', 'text', (c) => c.notNull())
    .addColumn('deadline_class', 'text', (c) =>
      c.notNull().references('need_deadline_classes.code'),
    )
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('need_calendar')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('needs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('grid_id', 'text', (c) => c.references('grids.id'))
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('hall_id', 'text', (c) => c.references('halls.id'))
    .addColumn('address', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('long', 'double precision')
    .addColumn('service_code', 'text', (c) => c.notNull().references('need_services.code'))
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.references('users.id'))
    .addColumn('contact_name', 'text')
    .addColumn('phone_hash', 'text')
    .addColumn('phone_cipher', 'text')
    .addColumn('entered_by', 'text', (c) => c.references('users.id'))
    .addColumn('open311_client', 'text')
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('deadline_class', 'text', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('due_at', ts, (c) => c.notNull())
    .addColumn('warn_at', ts, (c) => c.notNull())
    .addColumn('respond_by', ts, (c) => c.notNull())
    .addColumn('responded_at', ts)
    .addColumn('replied_at', ts)
    .addColumn('reply', 'text')
    .addColumn('closed_at', ts)
    .addColumn('declined_at', ts)
    .addColumn('escalated_at', ts)
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visited_at', ts)
    .addColumn('visit_note', 'text')
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'text')
    .addColumn('rated_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('needs_community_idx')
    .on('needs')
    .columns(['community_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('needs_grid_idx')
    .on('needs')
    .columns(['grid_id', 'status'])
    .execute();
  await db.schema
    .createIndex('needs_requester_idx')
    .on('needs')
    .columns(['requester_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('needs_phone_idx')
    .on('needs')
    .columns(['phone_hash', 'received_at'])
    .execute();
  await db.schema
    .createIndex('needs_escalation_idx')
    .on('needs')
    .columns(['escalated_at', 'warn_at'])
    .execute();
  await db.schema
    .createIndex('needs_assignee_idx')
    .on('needs')
    .columns(['assignee_id', 'status'])
    .execute();

  await db.schema
    .createTable('need_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('need_id', 'text', (c) => c.notNull().references('needs.id'))
    // Steps of one request are numbered 1, 2, 3…: the history's order, and two steps racing cannot both land.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('need_events_need_idx')
    .on('need_events')
    .columns(['need_id', 'seq'])
    .unique()
    .execute();
  await db.schema.createIndex('need_events_at_idx').on('need_events').column('at').execute();
  // An escalation is written once per request, whatever the number of sweeping nodes.
  await db.schema
    .createIndex('need_events_escalated_once')
    .on('need_events')
    .column('need_id')
    .unique()
    .where(sql.ref('action'), '=', 'escalated')
    .execute();

  await db.schema
    .createTable('need_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('need_id', 'text', (c) => c.references('needs.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('need_photos_need_idx').on('need_photos').column('need_id').execute();
  await db.schema
    .createIndex('need_photos_owner_idx')
    .on('need_photos')
    .columns(['owner_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('need_routes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('service_code', 'text', (c) => c.references('need_services.code'))
    .addColumn('grid_id', 'text', (c) => c.references('grids.id'))
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('need_routes_community_idx')
    .on('need_routes')
    .column('community_id')
    .execute();

  await db.schema
    .createTable('need_handoffs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('need_id', 'text', (c) => c.notNull().references('needs.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('adapter', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('need_handoffs_need_idx')
    .on('need_handoffs')
    .column('need_id')
    .execute();

  await db.schema
    .createTable('open311_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_hint', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .execute();
}

/** Drops everything this migration created. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'open311_clients',
    'need_handoffs',
    'need_routes',
    'need_photos',
    'need_events',
    'needs',
    'need_calendar',
    'need_services',
    'need_deadline_classes',
  ])
    await db.schema.dropTable(t).execute();
}
