import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * The double-entry ledger (issue 17, ADR 0025): accounts with a stored balance row (the
 * "must not go negative" check is a conditional update on it), journal entries keyed by
 * the client's transfer id and chained by hash, postings in integer fen; per-hall
 * distribution rules and terms, partner agreements, period closes and hall employees.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text')
    .addColumn('hall_id', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('no_negative', 'integer', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_accounts_community_idx')
    .on('ledger_accounts')
    .columns(['community_id', 'kind'])
    .execute();

  // One row: the head of the hash chain. Every append locks it, so entries get gapless
  // sequence numbers and each hash covers the previous one, also on PostgreSQL.
  await db.schema
    .createTable('ledger_chain')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('ledger_chain')
    .values({ id: 'head', seq: 0, hash: '0'.repeat(64) })
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text')
    .addColumn('hall_id', 'text')
    .addColumn('ref_kind', 'text')
    .addColumn('ref_id', 'text')
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_entries_hall_idx')
    .on('ledger_entries')
    .columns(['hall_id', 'at'])
    .execute();
  await db.schema
    .createIndex('ledger_entries_community_idx')
    .on('ledger_entries')
    .columns(['community_id', 'at'])
    .execute();
  await db.schema
    .createIndex('ledger_entries_ref_idx')
    .on('ledger_entries')
    .columns(['ref_kind', 'ref_id'])
    .execute();

  await db.schema
    .createTable('ledger_postings')
    .addColumn('entry_id', 'text', (c) => c.notNull().references('ledger_entries.id'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_postings_pk', ['entry_id', 'line'])
    .execute();
  await db.schema
    .createIndex('ledger_postings_account_idx')
    .on('ledger_postings')
    .columns(['account_id', 'entry_id'])
    .execute();

  await db.schema
    .createTable('ledger_distribution_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('applies_to', 'text', (c) => c.notNull())
    .addColumn('percent_bp', 'integer', (c) => c.notNull())
    .addColumn('min_fen', 'bigint', (c) => c.notNull())
    .addColumn('max_fen', 'bigint')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_distribution_rules_hall_idx')
    .on('ledger_distribution_rules')
    .columns(['hall_id', 'position'])
    .execute();

  await db.schema
    .createTable('ledger_hall_terms')
    .addColumn('hall_id', 'text', (c) => c.primaryKey().references('halls.id'))
    .addColumn('total_shares', 'integer', (c) => c.notNull())
    .addColumn('payout_bp', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('partner_agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('shares', 'integer', (c) => c.notNull())
    .addColumn('invested_fen', 'bigint', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partner_agreements_hall_idx')
    .on('partner_agreements')
    .columns(['hall_id', 'started_on'])
    .execute();
  await db.schema
    .createIndex('partner_agreements_user_idx')
    .on('partner_agreements')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('ledger_period_closes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('profit_fen', 'bigint', (c) => c.notNull())
    .addColumn('dividends_fen', 'bigint', (c) => c.notNull())
    .addColumn('entry_id', 'text')
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('closed_at', ts, (c) => c.notNull())
    .addUniqueConstraint('ledger_period_closes_once', ['hall_id', 'period'])
    .execute();

  await db.schema
    .createTable('hall_employees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('local_resident', 'integer', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hall_employees_hall_idx')
    .on('hall_employees')
    .column('hall_id')
    .execute();
}
