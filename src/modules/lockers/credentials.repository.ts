/**
 * The only SQL on a locker's credentials: its MQTT secret hash and its outstanding
 * one-time provisioning token (both stored as sha256, never in clear).
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { LockerTable } from './locker.table.ts';
import { wroteLocker } from './locker-rows.ts';

/** A locker's login as the broker checks it. */
export type CredentialState = Pick<LockerTable, 'id' | 'status' | 'secret_hash'>;

export type CredentialRow = Pick<
  LockerTable,
  'id' | 'community_id' | 'status' | 'secret_hash' | 'provisioning_hash' | 'provisioning_expires_at'
>;

/** A locker's credential columns, or undefined when it does not exist. */
export async function findCredentials(
  db: Executor,
  lockerId: string,
): Promise<CredentialRow | undefined> {
  return db
    .selectFrom('lockers')
    .select([
      'id',
      'community_id',
      'status',
      'secret_hash',
      'provisioning_hash',
      'provisioning_expires_at',
    ])
    .where('id', '=', lockerId)
    .executeTakeFirst();
}

/** Store a new provisioning token's hash, replacing (and so invalidating) any earlier one. */
export async function storeProvisioningToken(
  db: Executor,
  lockerId: string,
  tokenHash: string,
  expiresAt: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('lockers')
    .set({ provisioning_hash: tokenHash, provisioning_expires_at: expiresAt, updated_at: now })
    .where('id', '=', lockerId)
    .execute();
  wroteLocker(db, lockerId);
}

/**
 * Redeem a provisioning token: store the new secret's hash and clear the token, but only
 * while that exact token is outstanding, unexpired and the locker not retired. The
 * condition sits in the UPDATE, so two concurrent redemptions cannot both succeed.
 * Returns the locker's community, or undefined when nothing matched.
 */
export async function redeemProvisioningToken(
  db: Executor,
  lockerId: string,
  tokenHash: string,
  secretHash: string,
  now: string,
): Promise<{ community_id: string } | undefined> {
  const r = await db
    .updateTable('lockers')
    .set({
      secret_hash: secretHash,
      provisioning_hash: null,
      provisioning_expires_at: null,
      status: sql<
        LockerTable['status']
      >`case when status = 'provisioning' then 'active' else status end`,
      credentials_changed_at: now,
      updated_at: now,
    })
    .where('id', '=', lockerId)
    .where('provisioning_hash', '=', tokenHash)
    .where('provisioning_expires_at', '>', now)
    .where('status', '<>', 'retired')
    .returning('community_id')
    .executeTakeFirst();
  wroteLocker(db, lockerId);
  return r;
}

/** Set a locker's first MQTT secret hash directly (the demo seeder; no token involved, nothing logged in to revoke). */
export async function setSecretHash(
  db: Executor,
  lockerId: string,
  secretHash: string,
): Promise<void> {
  await db
    .updateTable('lockers')
    .set({ secret_hash: secretHash })
    .where('id', '=', lockerId)
    .execute();
  wroteLocker(db, lockerId);
}

/**
 * Retire a locker: no secret or token holds any more, the row and its history stay.
 * Conditional, so of two concurrent retirements one wins; undefined when it was retired already.
 */
export async function retire(
  db: Executor,
  lockerId: string,
  now: string,
): Promise<{ community_id: string } | undefined> {
  const r = await db
    .updateTable('lockers')
    .set({
      status: 'retired',
      secret_hash: null,
      provisioning_hash: null,
      provisioning_expires_at: null,
      credentials_changed_at: now,
      updated_at: now,
    })
    .where('id', '=', lockerId)
    .where('status', '<>', 'retired')
    .returning('community_id')
    .executeTakeFirst();
  wroteLocker(db, lockerId);
  return r;
}

/** What a login check needs of the lockers whose credentials changed at or after `since` (a few rows: see the index). */
export async function credentialsChangedSince(
  db: Executor,
  since: string,
): Promise<CredentialState[]> {
  return db
    .selectFrom('lockers')
    .select(['id', 'status', 'secret_hash'])
    .where('credentials_changed_at', '>=', since)
    .execute();
}

/** The same for named lockers. */
export async function credentialsOf(
  db: Executor,
  lockerIds: readonly string[],
): Promise<CredentialState[]> {
  if (lockerIds.length === 0) return [];
  return db
    .selectFrom('lockers')
    .select(['id', 'status', 'secret_hash'])
    .where('id', 'in', lockerIds)
    .execute();
}

/** The hash and status a broker needs to check a device's password. */
export async function findSecretHash(
  db: Executor,
  lockerId: string,
): Promise<Pick<LockerTable, 'status' | 'secret_hash'> | undefined> {
  return db
    .selectFrom('lockers')
    .select(['status', 'secret_hash'])
    .where('id', '=', lockerId)
    .executeTakeFirst();
}
