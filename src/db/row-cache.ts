/**
 * Rows the parcel cycle reads on every pass and that seldom change (a community's overdue
 * policy, where a locker sits), kept in memory per database so the hot path does not ask
 * again. The owner of the row invalidates it when it writes it; other nodes sharing the
 * database see the change when their copy ages out (`ttlMs`), so only cache what may be
 * that stale there. A value read inside a transaction is kept only once that transaction
 * commits (it may have written the row itself, and a rollback must not leave it cached).
 */
import type { Executor } from './database.ts';
import { afterCommit } from './transact.ts';

interface Entry<V> {
  value: V;
  /** performance.now() after which it is read again (Infinity: never). */
  until: number;
}

/** A cache of one kind of row, by key, per database. */
export class RowCache<V> {
  // One map per database: a Kysely instance and its transactions share their adapter object.
  readonly #byDatabase = new WeakMap<object, Map<string, Entry<V>>>();

  /**
   * @param ttlMs how long a copy serves (wall time, not the app's clock: this is only how
   *   stale another node's write may look here); Infinity for rows that never change.
   * @param max entries kept per database; the oldest go first.
   */
  constructor(
    readonly ttlMs: number,
    readonly max = 10_000,
  ) {}

  #map(db: Executor): Map<string, Entry<V>> {
    const key = db.getExecutor().adapter;
    let m = this.#byDatabase.get(key);
    if (!m) this.#byDatabase.set(key, (m = new Map()));
    return m;
  }

  /**
   * The cached value for `key`, else what `load` reads, kept for next time unless it is
   * undefined (nothing to cache yet) or was read in a transaction that then rolled back
   * (or one not opened by `transact`, whose commit nothing hears of).
   */
  async get(db: Executor, key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const m = this.#map(db);
    const hit = m.get(key);
    if (hit && hit.until > performance.now()) return hit.value;
    const value = await load();
    if (value === undefined) return value;
    const keep = () => {
      if (m.size >= this.max && !m.has(key)) m.delete(m.keys().next().value!);
      m.set(key, { value, until: performance.now() + this.ttlMs });
    };
    if (db.isTransaction) afterCommit(db, keep);
    else keep();
    return value;
  }

  /** Forget `key` in this database (its owner just wrote it). */
  invalidate(db: Executor, key: string): void {
    this.#map(db).delete(key);
  }

  /** Forget every entry in this database, now and again when `db`'s transaction commits (a write the owner cannot key). */
  clear(db: Executor): void {
    const m = this.#map(db);
    m.clear();
    if (db.isTransaction) afterCommit(db, () => m.clear());
  }
}
