/**
 * A fast bulk generator of parcel history for the history scenario: finished parcels
 * (picked up, a few returned or cancelled) spread over the past year across every
 * locker, written straight into SQLite on a second connection, never through the API:
 * one INSERT … SELECT over a recursive sequence per 50,000-row transaction, so every row
 * is built inside SQLite. Ids carry the millisecond time prefix of the server's UUIDv7,
 * so the primary key grows append-only as in production. Loads of a million rows or more
 * drop the secondary indexes first and rebuild them at the end (the usual bulk-load
 * order). Parcels older than 90 days are already de-identified (no phone, no code), as
 * the retention sweep leaves them; newer ones keep a recipient from a pool of 20,000
 * phones, so per-recipient lookups see a realistic fan-out.
 */
import SQLite from 'better-sqlite3';
import { seededRandom } from '../src/device/prng.ts';
import { normalizePhone, PhoneVault } from '../src/platform/crypto/phone.ts';

const PHONES = 20_000;
const ROWS_PER_TRANSACTION = 50_000;
/** From this many rows on, secondary indexes are dropped during the load and rebuilt after it. */
const REBUILD_INDEXES_FROM = 1_000_000;
const DAY = 86_400_000;

/** Insert `parcels` finished parcels into the SQLite file; returns rows, seconds and rows/s. */
export async function bulkHistory(
  file: string,
  opts: {
    parcels: number;
    seed: string;
    offset?: number;
    vaultKeys: { phoneKey: Buffer; phoneHashKey: Buffer };
    now?: number;
    log?: (s: string) => void;
  },
) {
  if (!file) throw new Error('the history generator writes SQLite only');
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a bulk load: a crash means generating again
  db.pragma('cache_size = -2097152'); // 2 GiB while loading: the indexes of 10 M rows do not fit in less
  db.pragma('foreign_keys = OFF'); // lockers, carriers and users are valid by construction
  const lockers = db
    .prepare(
      'select l.id, l.community_id, count(c.number) as n from lockers l join compartments c on c.locker_id = l.id group by l.id order by l.id',
    )
    .all() as { id: string; community_id: string; n: number }[];
  const couriers = db
    .prepare(
      "select u.id as userId, g.scope_id as carrierId from users u join role_grants g on g.user_id = u.id where g.role = 'courier' and g.scope_kind = 'carrier' order by u.id",
    )
    .all() as { userId: string; carrierId: string }[];
  if (!lockers.length || !couriers.length)
    throw new Error('seed the world (lockers, couriers) before generating history');
  const vault = new PhoneVault(opts.vaultKeys.phoneKey, opts.vaultKeys.phoneHashKey);
  // Lookup tables the SQL below draws from by index.
  db.exec(
    'create temp table if not exists hist_lockers (i integer primary key, id text, community_id text, n integer); delete from hist_lockers;',
  );
  db.exec(
    'create temp table if not exists hist_couriers (i integer primary key, user_id text, carrier_id text); delete from hist_couriers;',
  );
  db.exec(
    'create temp table if not exists hist_phones (i integer primary key, hash text, cipher text); delete from hist_phones;',
  );
  const insL = db.prepare('insert into hist_lockers values (?, ?, ?, ?)');
  const insC = db.prepare('insert into hist_couriers values (?, ?, ?)');
  const insP = db.prepare('insert into hist_phones values (?, ?, ?)');
  db.transaction(() => {
    lockers.forEach((l, i) => insL.run(i, l.id, l.community_id, l.n));
    couriers.forEach((c, i) => insC.run(i, c.userId, c.carrierId));
    for (let i = 0; i < PHONES; i++) {
      const p = normalizePhone(`137${String(i * 4801 + 11).padStart(8, '0')}`);
      insP.run(i, vault.hash(p), vault.encrypt(p));
    }
  })();
  const present = new Set(
    (db.prepare('pragma table_info(parcels)').all() as { name: string }[]).map((c) => c.name),
  );
  // Every draw is a multiplicative hash of the row number k and the seed: deterministic, and computed by SQLite itself (no row crosses into JavaScript).
  const seedRng = seededRandom(opts.seed);
  const salt = () => seedRng.int(1_000_000_007);
  const [a, b, c, d, e, f, g, h, i2, j] = Array.from({ length: 10 }, salt);
  const draw = (mult: number, add: number, mod: number | string) =>
    `((k * ${mult} + ${add}) % ${mod})`;
  const isoOf = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`;
  const expr: Record<string, string> = {
    id: `printf('%08x-%04x-7%03x-%04x-%012x', cm / 65536, cm % 65536, ${draw(2654435761, a!, 4096)}, 32768 + ${draw(2246822519, b!, 16384)}, ${draw(3266489917, c!, 281474976710656)})`,
    community_id: 'l.community_id',
    locker_id: 'l.id',
    compartment: `1 + ${draw(668265263, d!, 'l.n')}`,
    kind: "'delivery'",
    size: `case when ${draw(374761393, e!, 100)} < 60 then 'S' when ${draw(374761393, e!, 100)} < 85 then 'M' else 'L' end`,
    status: 'st',
    carrier_id: 'c.carrier_id',
    depositor_id: 'c.user_id',
    waybill: `'HIST' || printf('%010d', k + ${opts.offset ?? 0})`,
    recipient_phone_hash: 'case when old then null else p.hash end',
    recipient_phone_cipher: 'case when old then null else p.cipher end',
    stored_at: `case when st = 'cancelled' then null else ${isoOf('sm')} end`,
    free_until: `case when st = 'cancelled' then null else ${isoOf(`sm + ${2 * DAY}`)} end`,
    picked_up_at: `case when st = 'picked_up' then ${isoOf('pm')} else null end`,
    deidentified_at: `case when old then ${isoOf(`pm + ${90 * DAY}`)} else null end`,
    created_at: isoOf('cm'),
    updated_at: `case when st = 'picked_up' then ${isoOf('pm')} else ${isoOf('sm')} end`,
  };
  const used = Object.keys(expr).filter((col) => present.has(col));
  const now = opts.now ?? Date.now();
  // Leave the last hour free of history so it never collides with the benchmark's own parcels.
  const span = 365 * DAY;
  const start = now - span - 3_600_000;
  const insert = db.prepare(`
    with recursive seq(k) as (select ? union all select k + 1 from seq where k < ?),
    base as (
      select k, ${start} + (${span} * k) / ${opts.parcels} as cm,
             case when ${draw(2654435769, f!, 100)} < 97 then 'picked_up' when ${draw(2654435769, f!, 100)} < 99 then 'returned' else 'cancelled' end as st
      from seq),
    times as (
      select k, cm, st, cm + 30000 + ${draw(1103515245, g!, 90000)} as sm, ${now} - cm > ${90 * DAY} as old from base),
    rows as (select k, cm, st, sm, old, sm + ${draw(2891336453, h!, 2 * DAY)} as pm from times)
    insert into parcels (${used.join(', ')})
    select ${used.map((col) => expr[col]).join(', ')}
    from rows
    join hist_lockers l on l.i = ${draw(2654435761, i2!, lockers.length)}
    join hist_couriers c on c.i = ${draw(40503, j!, couriers.length)}
    join hist_phones p on p.i = ${draw(374761393, a!, PHONES)}`);
  // A big load goes faster into a table without secondary indexes, which are then built once from sorted data; the exact index definitions are read back from the schema, so partial and unique indexes come back as they were.
  const rebuild =
    opts.parcels >= REBUILD_INDEXES_FROM
      ? (db
          .prepare(
            "select name, sql from sqlite_master where type = 'index' and tbl_name = 'parcels' and sql is not null",
          )
          .all() as { name: string; sql: string }[])
      : [];
  for (const ix of rebuild) db.exec(`drop index ${ix.name}`);
  const t0 = performance.now();
  let done = 0;
  while (done < opts.parcels) {
    const inTx = Math.min(ROWS_PER_TRANSACTION, opts.parcels - done);
    db.transaction(() => insert.run(done, done + inTx - 1))();
    done += inTx;
    if (done % 1_000_000 === 0)
      opts.log?.(
        `history: ${done.toLocaleString('en')} parcels, ${Math.round(done / ((performance.now() - t0) / 1000)).toLocaleString('en')}/s`,
      );
    // Let the process breathe (IPC, timers) between transactions.
    await new Promise((res) => setImmediate(res));
  }
  const t1 = performance.now();
  for (const ix of rebuild) db.exec(ix.sql);
  const indexSeconds = Math.round((performance.now() - t1) / 100) / 10;
  if (rebuild.length) opts.log?.(`history: rebuilt ${rebuild.length} indexes in ${indexSeconds} s`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const seconds = (performance.now() - t0) / 1000;
  return {
    parcels: done,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSec: Math.round(done / seconds),
    indexesRebuilt: rebuild.length,
    indexSeconds: rebuild.length ? indexSeconds : 0,
  };
}
