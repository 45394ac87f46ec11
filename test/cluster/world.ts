/**
 * The cluster test's world in a fresh PostgreSQL schema (or a SQLite file, for the
 * embedded default in the benchmark): the factories' small world
 * (communities, a courier, residents) plus N active lockers of 24 compartments each,
 * and the secrets every node and the driver share.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { demoLayout } from '../../src/demo/lockers.ts';
import { createLocker } from '../../src/modules/lockers/locker.service.ts';
import { setDeviceSecret } from '../../src/modules/lockers/provisioning.service.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { seedWorld } from '../factories.ts';
import type { TestApp } from '../harness.ts';

export interface ClusterWorld {
  database: DatabaseHandle;
  schema: string;
  keys: Record<'ANTNEST_TOKEN_KEY' | 'ANTNEST_PHONE_KEY' | 'ANTNEST_PHONE_HASH_KEY', string>;
  phoneKey: Buffer;
  courierToken: string;
  /** Resident whose phone is recipientPhones[0] (watches live updates). */
  residentToken: string;
  recipientPhones: string[];
  /** Each locker's MQTT password (the embedded broker checks it; the test Mosquitto is anonymous). */
  lockers: { lockerId: string; password: string; compartments: number[] }[];
  /** Drop the schema and close the pool. */
  destroy(): Promise<void>;
}

/** Create the schema (PostgreSQL) or file (sqlite:path), migrate it and seed `lockers` active lockers. */
export async function seedClusterWorld(
  databaseUrl: string,
  lockerCount: number,
  schema = `cluster_${process.pid}_${randomBytes(3).toString('hex')}`,
): Promise<ClusterWorld> {
  const keys = {
    ANTNEST_TOKEN_KEY: randomBytes(32).toString('base64'),
    ANTNEST_PHONE_KEY: randomBytes(32).toString('base64'),
    ANTNEST_PHONE_HASH_KEY: randomBytes(32).toString('base64'),
  };
  const pg = databaseUrl.startsWith('postgres');
  const config = loadConfig({
    ...keys,
    DATABASE_URL: databaseUrl,
    ...(pg ? { DATABASE_SCHEMA: schema } : {}),
    ACCESS_TOKEN_TTL: String(24 * 3600),
    LOG_LEVEL: 'silent',
  });
  const database = await openDatabase(
    pg ? { kind: 'postgres', url: databaseUrl, schema, poolSize: 8 } : config.database,
  );
  await migrateToLatest(database.db, database.schema);
  const { app, deps } = await buildApp({ config, database, logger: false });
  const w = await seedWorld({ database, clock: systemClock, deps } as unknown as TestApp);
  const layout = demoLayout(24);
  const lockers: ClusterWorld['lockers'] = [];
  for (let i = 1; i <= lockerCount; i++) {
    const lockerId = `clu-${String(i).padStart(4, '0')}`;
    await createLocker(deps, null, i % 2 ? w.siteA : w.siteB, {
      id: lockerId,
      name: `集群柜${i}`,
      compartments: layout,
    });
    const password = randomBytes(18).toString('base64url');
    await setDeviceSecret(database.db, lockerId, password);
    lockers.push({ lockerId, password, compartments: layout.map((c) => c.number) });
  }
  await database.db
    .updateTable('lockers')
    .set({ status: 'active' })
    .where('id', 'like', 'clu-%')
    .execute();
  await app.close();
  return {
    database,
    schema,
    keys,
    phoneKey: config.secrets.phoneKey,
    courierToken: w.users.courier.token,
    residentToken: w.users.residentA.token,
    recipientPhones: ['13800000001', '13800000002', '13800000003'],
    lockers,
    destroy: async () => {
      if (pg) await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db);
      await database.destroy();
    },
  };
}
