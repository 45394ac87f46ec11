/** The only SQL of WeChat accounts, login codes, bind tokens and subscribe grants. */
import { sql } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { WechatAccountTable, WechatBindTokenTable } from './wechat.table.ts';

/** The binding of an openid, if any. */
export async function accountByOpenid(
  db: Executor,
  openid: string,
): Promise<WechatAccountTable | undefined> {
  return db
    .selectFrom('wechat_accounts')
    .selectAll()
    .where('openid', '=', openid)
    .executeTakeFirst();
}

/** The binding of a user, if any. */
export async function accountOfUser(
  db: Executor,
  userId: string,
): Promise<WechatAccountTable | undefined> {
  return db
    .selectFrom('wechat_accounts')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Bind; false when the openid or the user is already bound (a racing bind). */
export async function insertAccount(db: Executor, row: WechatAccountTable): Promise<boolean> {
  const r = await db
    .insertInto('wechat_accounts')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Record a login code as used; false when it was used before (a replay). */
export async function claimLoginCode(db: Executor, codeHash: string, at: string): Promise<boolean> {
  const r = await db
    .insertInto('wechat_login_codes')
    .values({ code_hash: codeHash, used_at: at })
    .onConflict((oc) => oc.column('code_hash').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Forget used codes older than the provider's code lifetime (they can no longer be replayed). */
export async function pruneLoginCodes(db: Executor, beforeIso: string): Promise<void> {
  await db.deleteFrom('wechat_login_codes').where('used_at', '<', beforeIso).execute();
}

export async function insertBindToken(db: Executor, row: WechatBindTokenTable): Promise<void> {
  await db.insertInto('wechat_bind_tokens').values(row).execute();
}

/** Consume a live bind token once; the row when this call consumed it. */
export async function consumeBindToken(
  db: Executor,
  tokenHash: string,
  nowIso: string,
): Promise<WechatBindTokenTable | undefined> {
  const row = await db
    .selectFrom('wechat_bind_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  if (!row) return undefined;
  const u = await db
    .updateTable('wechat_bind_tokens')
    .set({ consumed_at: nowIso })
    .where('token_hash', '=', tokenHash)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(u.numUpdatedRows) === 1 ? row : undefined;
}

/** Grants left per topic of a user. */
export async function grantsOf(db: Executor, userId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('wechat_subscriptions')
    .select(['topic', 'remaining'])
    .where('user_id', '=', userId)
    .execute();
  return new Map(rows.map((r) => [r.topic, Number(r.remaining)]));
}

/** Add `n` grants to a topic, capped at `cap`. */
export async function addGrants(
  db: Executor,
  p: { userId: string; topic: string; n: number; cap: number; at: string },
): Promise<void> {
  await db
    .insertInto('wechat_subscriptions')
    .values({
      user_id: p.userId,
      topic: p.topic,
      remaining: Math.min(p.n, p.cap),
      updated_at: p.at,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'topic']).doUpdateSet({
        remaining: sql<number>`case when wechat_subscriptions.remaining + ${p.n} > ${p.cap} then ${p.cap} else wechat_subscriptions.remaining + ${p.n} end`,
        updated_at: p.at,
      }),
    )
    .execute();
}

/** Take one grant of a topic; false when none is left (a conditional update, so two nodes never take the same one). */
export async function takeGrant(
  db: Executor,
  userId: string,
  topic: string,
  at: string,
): Promise<boolean> {
  const u = await db
    .updateTable('wechat_subscriptions')
    .set({ remaining: sql<number>`remaining - 1`, updated_at: at })
    .where('user_id', '=', userId)
    .where('topic', '=', topic)
    .where('remaining', '>', 0)
    .executeTakeFirst();
  return Number(u.numUpdatedRows) === 1;
}
