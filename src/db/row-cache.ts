/**
 * Rows the parcel cycle reads on every pass and that seldom change (a community's overdue
 * policy, where a locker sits), kept in memory per database so the hot path does not ask
 * again. The owner of the row invalidates it when it writes it; other nodes sharing the
 * database see the change when their copy ages out (`ttlMs`), so only cache what may be
 * that stale there. A value read inside a transaction is kept only once that transaction
 * commits (it may have written the row itself, and a rollback must not leave it cached).
 * A value is never kept if its key was invalidated after the read began: a write that
 * commits while a read's result is on its way cannot be covered up by the older value.
 */
import type { Executor } from './database.ts';
import { afterCommit } from './transact.ts';
import { setBounded } from '../kernel/bounded.ts';

interface Entry<V> {
  value: V;
  /** performance.now() after which it is read again (Infinity: never). */
  until: number;
}

/** A cache of one kind of row, by key, per database. */
export class RowCache<V> {
  // One map per database: a Kysely instance and its transactions share their adapter object.
  readonly #byDatabase = new WeakMap<object, Map<string, Entry<V>>>();
  /** Per database: how often each key was invalidated, and how often the whole cache was cleared. */
  readonly #generations = new WeakMap<object, { keys: Map<string, number>; all: number }>();

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

  #gens(db: Executor): { keys: Map<string, number>; all: number } {
    const key = db.getExecutor().adapter;
    let g = this.#generations.get(key);
    if (!g) this.#generations.set(key, (g = { keys: new Map(), all: 0 }));
    return g;
  }

  /** Keep `value` under `key` now (or when `db`'s transaction commits), unless `key` was invalidated since `stamp`. */
  #keep(db: Executor, key: string, value: V, stamp: string): void {
    const m = this.#map(db);
    const keep = () => {
      if (this.#stamp(db, key) !== stamp) return;
      setBounded(m, key, { value, until: performance.now() + this.ttlMs }, this.max);
    };
    if (db.isTransaction) afterCommit(db, keep);
    else keep();
  }

  #stamp(db: Executor, key: string): string {
    const g = this.#gens(db);
    return `${g.all}:${g.keys.get(key) ?? 0}`;
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
    const stamp = this.#stamp(db, key);
    const value = await load();
    if (value === undefined) return value;
    this.#keep(db, key, value, stamp);
    return value;
  }

  /** The cached value for `key` if one is kept and fresh, without reading anything. */
  peek(db: Executor, key: string): V | undefined {
    const hit = this.#map(db).get(key);
    return hit && hit.until > performance.now() ? hit.value : undefined;
  }

  /**
   * Keep a value the owner just wrote and read back (an UPDATE … RETURNING), once `db`'s
   * transaction commits; dropped if anything invalidates the key before then.
   */
  put(db: Executor, key: string, value: V): void {
    // Reads begun before the write may hold the old row: their copies must not be kept.
    this.#forget(db, key);
    this.#keep(db, key, value, this.#stamp(db, key));
  }

  /**
   * Change the kept value of `key`, if there is one, the way a write outside any transaction
   * just changed its row (the write has run: the kept value stays exact).
   */
  patch(db: Executor, key: string, change: (value: V) => V): void {
    const hit = this.#map(db).get(key);
    if (hit) hit.value = change(hit.value);
  }

  /** Forget `key` in this database (its owner just wrote it), now and again when `db`'s transaction commits. */
  invalidate(db: Executor, key: string): void {
    this.#forget(db, key);
    if (db.isTransaction) afterCommit(db, () => this.#forget(db, key));
  }

  #forget(db: Executor, key: string): void {
    const g = this.#gens(db);
    setBounded(g.keys, key, (g.keys.get(key) ?? 0) + 1, this.max);
    this.#map(db).delete(key);
  }

  /** Forget every entry in this database, now and again when `db`'s transaction commits (a write the owner cannot key). */
  clear(db: Executor): void {
    const m = this.#map(db);
    const forget = () => {
      this.#gens(db).all++;
      m.clear();
    };
    forget();
    if (db.isTransaction) afterCommit(db, forget);
  }
}
