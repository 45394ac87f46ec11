/**
 * A transaction with work to do after it commits: messages that must not leave before the
 * change they announce is durable (a command published, an MQTT message acknowledged).
 * Code inside the transaction registers it with `afterCommit(trx, fn)`; the hooks run once
 * the commit succeeded, in registration order, and never when it rolled back.
 */
import type { Database, Executor, Trx } from './database.ts';

const pending = new WeakMap<Executor, (() => void)[]>();

/** Run `fn` in a transaction; after the commit, run what it registered with afterCommit. */
export async function transact<T>(db: Database, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await db.transaction().execute(async (trx) => {
    pending.set(trx, hooks);
    try {
      return await fn(trx);
    } finally {
      pending.delete(trx);
    }
  });
  for (const h of hooks) h();
  return result;
}

/**
 * Run `fn` after the transaction `db` commits, when it was opened by `transact`; false
 * otherwise (a plain transaction or no transaction: the caller must arrange delivery itself).
 */
export function afterCommit(db: Executor, fn: () => void): boolean {
  const hooks = pending.get(db);
  if (!hooks) return false;
  hooks.push(fn);
  return true;
}

/** Whether `db` is a transaction opened by `transact` (afterCommit hooks will run). */
export function commitsLater(db: Executor): boolean {
  return pending.has(db);
}
