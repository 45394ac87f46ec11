import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Issue 20 (ADR 0033): WeChat sign-in (an openid bound to one account after a phone check,
 * each login code once, short-lived bind tokens), one-time subscribe-message grants per
 * topic, the topic of a queued notification (so the outbox can pick WeChat or SMS), and
 * sending with an address, a quote and payment (tariffs, quotes, orders, payment events).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('wechat_accounts')
    .addColumn('openid', 'text', (c) => c.primaryKey())
    .addColumn('unionid', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('wechat_login_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('used_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('wechat_bind_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('unionid', 'text')
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('consumed_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('wechat_subscriptions')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('wechat_subscriptions_pk', ['user_id', 'topic'])
    .execute();
  await db.schema.alterTable('notifications').addColumn('topic', 'text').execute();

  await db.schema
    .createTable('sending_tariffs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('carrier_id', 'text', (c) => c.notNull().references('carriers.id'))
    .addColumn('weight_band', 'text', (c) => c.notNull())
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addUniqueConstraint('sending_tariffs_band_uq', ['carrier_id', 'weight_band', 'size'])
    .execute();
  await db.schema
    .createTable('sending_quotes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('carrier_id', 'text', (c) => c.notNull().references('carriers.id'))
    .addColumn('weight_band', 'text', (c) => c.notNull())
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'bigint', (c) => c.notNull())
    .addColumn('addresses_cipher', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sending_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('quote_id', 'text', (c) => c.notNull().unique().references('sending_quotes.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('locker_id', 'text', (c) => c.notNull())
    .addColumn('carrier_id', 'text', (c) => c.notNull().references('carriers.id'))
    .addColumn('weight_band', 'text', (c) => c.notNull())
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'bigint', (c) => c.notNull())
    .addColumn('addresses_cipher', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('parcel_id', 'text', (c) => c.references('parcels.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('paid_at', ts)
    .addColumn('refunded_at', ts)
    .addColumn('reject_reason', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sending_orders_user_idx')
    .on('sending_orders')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('sending_orders_carrier_idx')
    .on('sending_orders')
    .columns(['carrier_id', 'status'])
    .execute();
  await db.schema
    .createTable('sending_payment_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull().references('sending_orders.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sending_payment_events_pk', ['provider', 'event_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'sending_payment_events',
    'sending_orders',
    'sending_quotes',
    'sending_tariffs',
    'wechat_subscriptions',
    'wechat_bind_tokens',
    'wechat_login_codes',
    'wechat_accounts',
  ])
    await db.schema.dropTable(t).execute();
  await db.schema.alterTable('notifications').dropColumn('topic').execute();
}
