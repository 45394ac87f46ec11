/**
 * The one way money moves: a transfer is a journal entry of postings that sum to zero,
 * identified by the client's transfer id (TigerBeetle/Stripe style): a retry with the
 * same content returns the original entry, the same id with other content is refused
 * (409). Protected accounts cannot be overdrawn. Runs inside the caller's transaction so
 * the business change and its postings commit or roll back together.
 */
import type { Executor } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { iso } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { AccountSpec } from './accounts.ts';
import { createHash } from 'node:crypto';
import { type EntryContent, entryHash, fingerprint } from './chain.ts';
import * as repo from './ledger.repository.ts';
import { emitEntryPosted } from './ledger.events.ts';

/** The largest amount one posting may carry (100 million yuan); keeps every sum exact in a double. */
export const MAX_FEN = 10_000_000_000;

/** One line of a transfer: credit (positive) or debit (negative) an account, in fen. */
export interface Posting {
  account: AccountSpec;
  amount: number;
}

/** A transfer request. */
export interface TransferInput {
  /** The client's id for this transfer; retries reuse it. 1–120 characters. */
  transferId: string;
  kind: string;
  /** Business time, ISO-8601. */
  at: string;
  memo: string;
  communityId?: string | null;
  hallId?: string | null;
  ref?: { kind: string; id: string } | null;
  postings: readonly Posting[];
  /**
   * For postings derived from a business request (a sale split by today's rules): the
   * request itself, which is what a retry must repeat; the derived lines may differ later.
   */
  request?: unknown;
}

/** A posted (or replayed) entry. */
export interface Entry {
  id: string;
  seq: number;
  kind: string;
  at: string;
  hash: string;
  lines: { accountId: string; amount: number }[];
  /** True when this call found the transfer already posted and changed nothing. */
  replayed: boolean;
}

function bad(message: string): AppError {
  return new AppError('bad_request', message);
}

function validate(input: TransferInput): void {
  if (!/^[\x21-\x7e]{1,120}$/.test(input.transferId))
    throw bad(
      '转账编号须为1–120个可见ASCII字符。 The transfer id must be 1–120 visible ASCII characters.',
    );
  if (Number.isNaN(Date.parse(input.at)))
    throw bad('入账时间格式不对。 The transfer time is not an ISO-8601 instant.');
  if (input.postings.length < 2)
    throw bad('一笔转账至少要有两条分录。 A transfer needs at least two postings.');
  let sum = 0;
  for (const p of input.postings) {
    if (!Number.isSafeInteger(p.amount) || Math.abs(p.amount) > MAX_FEN)
      throw bad(`金额须为整数分且不超过${MAX_FEN}分。 Amounts are whole fen up to ${MAX_FEN}.`);
    sum += p.amount;
  }
  if (sum !== 0)
    throw bad(`借贷不平（相差${sum}分）。 The postings do not sum to zero (off by ${sum} fen).`);
}

/** The content an input stands for (hashing and replays compare it). */
function contentOf(input: TransferInput, at: string): EntryContent {
  return {
    id: input.transferId,
    kind: input.kind,
    at,
    memo: input.memo,
    communityId: input.communityId ?? null,
    hallId: input.hallId ?? null,
    refKind: input.ref?.kind ?? null,
    refId: input.ref?.id ?? null,
    lines: input.postings.filter((p) => p.amount !== 0).map((p) => [p.account.id, p.amount]),
  };
}

/** Post a transfer in the caller's transaction (or return the original on a retry). */
export async function transfer(trx: Executor, clock: Clock, input: TransferInput): Promise<Entry> {
  validate(input);
  const at = new Date(input.at).toISOString();
  const content = contentOf(input, at);
  const print =
    input.request === undefined ? fingerprint(content) : requestPrint(input.kind, input.request);
  const head = await repo.lockHead(trx);
  const again = await replayOf(trx, input.transferId, print);
  if (again) return again;
  const now = iso(clock.now());
  await repo.ensureAccounts(
    trx,
    input.postings.map((p) => p.account),
    now,
  );
  const deltas = new Map<string, { spec: AccountSpec; delta: number }>();
  for (const p of input.postings) {
    const d = deltas.get(p.account.id) ?? { spec: p.account, delta: 0 };
    d.delta += p.amount;
    deltas.set(p.account.id, d);
  }
  // In account-id order, one conditional update per account (the no-negative check).
  const ordered = [...deltas.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [id, { spec, delta }] of ordered) {
    if (delta === 0) continue;
    if (!(await repo.applyDelta(trx, id, delta)))
      throw new AppError(
        'conflict',
        `${spec.name}余额不足，这笔转账未入账。 The balance of ${spec.name} (${id}) is too low; nothing was posted.`,
      );
  }
  const seq = head.seq + 1;
  const hash = entryHash(head.hash, seq, content);
  await repo.insertEntry(
    trx,
    {
      id: content.id,
      seq,
      kind: content.kind,
      community_id: content.communityId,
      hall_id: content.hallId,
      ref_kind: content.refKind,
      ref_id: content.refId,
      memo: content.memo,
      at,
      fingerprint: print,
      prev_hash: head.hash,
      hash,
      created_at: now,
    },
    content.lines,
  );
  await repo.advanceHead(trx, seq, hash);
  await emitEntryPosted(trx, {
    id: content.id,
    kind: content.kind,
    at,
    lines: content.lines.map(([accountId, amount]) => ({ accountId, amount })),
  });
  return {
    id: content.id,
    seq,
    kind: content.kind,
    at,
    hash,
    lines: content.lines.map(([accountId, amount]) => ({ accountId, amount })),
    replayed: false,
  };
}

/** The fingerprint of a business request (see TransferInput.request). */
export function requestPrint(kind: string, request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([kind, request]))
    .digest('hex');
}

/**
 * Take the journal lock and look the transfer id up: the original entry when it was
 * posted with the same fingerprint, null when new, 409 when used for something else.
 * Every append holds the chain head: transfers are serialised, so the replay check, the
 * balance checks and the sequence number see one consistent order.
 */
export async function replayOf(
  trx: Executor,
  transferId: string,
  print: string,
): Promise<Entry | null> {
  await repo.lockHead(trx);
  const existing = await repo.findEntry(trx, transferId);
  if (!existing) return null;
  if (existing.fingerprint !== print)
    throw new AppError(
      'conflict',
      `转账编号 ${transferId} 已用于另一笔内容不同的转账；请换一个新编号。 Transfer id ${transferId} was already used for a different transfer; use a new id.`,
    );
  const lines = await repo.postingsOf(trx, [existing.id]);
  return {
    id: existing.id,
    seq: existing.seq,
    kind: existing.kind,
    at: existing.at,
    hash: existing.hash,
    lines: lines.map((l) => ({ accountId: l.account_id, amount: l.amount })),
    replayed: true,
  };
}

/** Take the journal lock for the rest of the transaction (period closes check their row under it). */
export async function lockJournal(trx: Executor): Promise<void> {
  await repo.lockHead(trx);
}
