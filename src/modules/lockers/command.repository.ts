/** The only SQL on the command outbox. */
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { type Param, prepare, prepareByColumns } from '../../db/prepared.ts';
import type { LockerCommandTable } from './locker.table.ts';

export type CommandRow = LockerCommandTable;

/** Queue a command; false when one with the same id exists (an idempotent retry). */
export async function insertCommand(db: Executor, row: CommandRow): Promise<boolean> {
  return (await commandInsert.for(row).changed(db, { ...row })) === 1;
}

// Two commands a parcel cycle: compiled once per set of columns (db/prepared.ts).
const commandInsert = prepareByColumns<Record<string, unknown>, never>((db, p, values) =>
  db
    .insertInto('locker_commands')
    .values(values as unknown as CommandRow)
    .onConflict((oc) => oc.column('id').doNothing()),
);

export async function findCommand(db: Executor, id: string): Promise<CommandRow | undefined> {
  return db.selectFrom('locker_commands').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Unfinished commands due for an attempt now and not expired (locker_commands_due_idx). */
function due(db: Executor, nowIso: string) {
  return db
    .selectFrom('locker_commands')
    .where('status', 'in', ['pending', 'sent'])
    .where('next_attempt_at', '<=', nowIso)
    .where('expires_at', '>', nowIso);
}

/**
 * Claim due commands: unfinished, due now, not expired. On PostgreSQL the rows are
 * locked with SKIP LOCKED so several nodes never send the same attempt; the caller
 * updates them in the same transaction.
 */
export async function claimDueCommands(
  db: Executor,
  nowIso: string,
  limit: number,
): Promise<CommandRow[]> {
  let q = due(db, nowIso).selectAll().orderBy('next_attempt_at').limit(limit);
  if (isPostgres(db)) q = q.forUpdate().skipLocked();
  return q.execute();
}

/**
 * Whether any command is due (as claimDueCommands would find one), read without a lock or a
 * transaction: a poll that finds none opens no transaction (an empty claim was a commit that
 * wrote nothing, about once a second on an idle node).
 */
export async function anyDueCommand(db: Executor, nowIso: string): Promise<boolean> {
  return (await due(db, nowIso).select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Record one delivery attempt and when to try again. */
export async function markAttempt(
  db: Executor,
  row: CommandRow,
  nextAttemptIso: string,
): Promise<void> {
  await db
    .updateTable('locker_commands')
    .set({ status: 'sent', attempts: row.attempts + 1, next_attempt_at: nextAttemptIso })
    .where('id', '=', row.id)
    .where('status', 'in', ['pending', 'sent'])
    .execute();
}

/** Expire unanswered commands whose time ran out; returns them. */
export async function expireCommands(
  db: Executor,
  nowIso: string,
  limit = 500,
): Promise<CommandRow[]> {
  const due = await db
    .selectFrom('locker_commands')
    .selectAll()
    .where('status', 'in', ['pending', 'sent'])
    .where('expires_at', '<=', nowIso)
    .limit(limit)
    .execute();
  for (const c of due) {
    await db
      .updateTable('locker_commands')
      .set({ status: 'expired' })
      .where('id', '=', c.id)
      .where('status', 'in', ['pending', 'sent'])
      .execute();
  }
  return due;
}

/** Expire every unanswered command of a locker (it was retired: nobody will answer); how many. */
export async function expireLockerCommands(db: Executor, lockerId: string): Promise<number> {
  const r = await db
    .updateTable('locker_commands')
    .set({ status: 'expired' })
    .where('locker_id', '=', lockerId)
    .where('status', 'in', ['pending', 'sent'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Store the device's answer once: the first response for a command wins, later copies
 * (redeliveries, resends after reconnect) change nothing. An answer to a command we had
 * already expired is still recorded: the door may really have opened.
 */
export async function recordResponse(
  db: Executor,
  id: string,
  lockerId: string,
  status: string,
  response: string,
  nowIso: string,
  type?: string,
): Promise<CommandRow | undefined> {
  const params = { id, lockerId, status, response, nowIso };
  // An answer carried by a fact answers only its own kind of command.
  return type ? answerOfType.first(db, { ...params, type }) : answer.first(db, params);
}

interface AnswerParams {
  id: string;
  lockerId: string;
  status: string;
  response: string;
  nowIso: string;
  type: string;
}
/** The first answer of a command, recorded (and, when `ofType`, only for that kind of command). */
const answerQuery = (db: Executor, p: Param<AnswerParams>, ofType: boolean) => {
  const q = db
    .updateTable('locker_commands')
    .set({
      status: 'answered',
      response_status: p('status'),
      response: p('response'),
      answered_at: p('nowIso'),
    })
    .where('id', '=', p('id'))
    .where('locker_id', '=', p('lockerId'))
    .where('response_status', 'is', null);
  return (ofType ? q.where('type', '=', p('type') as CommandRow['type']) : q).returningAll();
};
const answer = prepare<Omit<AnswerParams, 'type'>, CommandRow>((db, p) =>
  answerQuery(db, p as Param<AnswerParams>, false),
);
const answerOfType = prepare<AnswerParams, CommandRow>((db, p) => answerQuery(db, p, true));

/** Recent commands of a locker, newest first. */
export async function listCommands(
  db: Executor,
  lockerId: string,
  limit: number,
): Promise<CommandRow[]> {
  return db
    .selectFrom('locker_commands')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
