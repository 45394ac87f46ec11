/**
 * Facts in seq order across nodes (ADR 0016, ADR 0014): a fact over a gap waits for its
 * predecessor (caughtUp), then asks the locker to replay from the gap (askToFillGap). The
 * snapshot path uses the same replay id, so a fact and a snapshot that notice one gap ask once.
 */
import type { Executor } from '../../db/database.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { enqueueCommand, stableCommandId } from './command.service.ts';
import type { IngestResult } from './ingest.types.ts';
import * as lockers from './locker.repository.ts';

const rejected = (reason: string): IngestResult => ({ applied: false, reason });

/** Poll interval while a fact waits for its predecessor. */
const ORDER_POLL_MS = 10;

/** A gap still open this long after its replay was asked for is asked about again. */
export const GAP_REASK_MS = 15_000;

/** One replay per gap and period: asked by whichever of a fact or a snapshot notices the gap first. */
export const gapReplayId = (deps: AppDeps, lockerId: string, fromSeq: number) =>
  stableCommandId(
    'replay-gap',
    lockerId,
    String(fromSeq),
    String(Math.floor(deps.clock.now() / GAP_REASK_MS)),
  );

/**
 * A fact arrived whose predecessors from `fromSeq` were never stored. Ask the locker to
 * replay from there (once per GAP_REASK_MS) and turn the fact away: the replay brings it
 * again, in order. Only when the locker answers that it no longer keeps those facts
 * (its oldest kept fact is newer than the gap) is the fact applied over the gap: null.
 */
export async function askToFillGap(
  trx: Executor,
  deps: AppDeps,
  locker: lockers.LockerRow,
  fromSeq: number,
  seq: number,
): Promise<IngestResult | null> {
  const { command, created } = await enqueueCommand(trx, deps, {
    lockerId: locker.id,
    communityId: locker.community_id,
    body: { type: 'replay', fromSeq },
    commandId: gapReplayId(deps, locker.id, fromSeq),
    reason: `fact #${seq} arrived before #${fromSeq}`,
  });
  if (created)
    return rejected(
      `fact #${seq} arrived before #${fromSeq}; asked the locker to replay from #${fromSeq}`,
    );
  if (command.status === 'answered') {
    const oldest = (JSON.parse(command.response ?? '{}') as { details?: { oldestSeq?: unknown } })
      .details?.oldestSeq;
    if (typeof oldest === 'number' && (oldest === 0 || oldest > fromSeq)) return null;
  }
  return rejected(`fact #${seq} waits for the replay from #${fromSeq}`);
}

/**
 * Wait until the locker's facts up to `seq` are stored or time is up. Polls with a plain
 * read: polling under the row lock would queue behind the very transaction we wait for.
 */
export async function caughtUp(
  deps: AppDeps,
  lockerId: string,
  seq: number,
  giveUpAt: number,
): Promise<void> {
  // Backs off from ORDER_POLL_MS to 250 ms: under a backlog many lockers wait at once, and each poll is a query.
  for (
    let pause = ORDER_POLL_MS;
    Date.now() < giveUpAt && ((await lockers.findLocker(deps.db, lockerId))?.last_seq ?? 0) < seq;
    pause = Math.min(250, pause * 2)
  ) {
    await new Promise((r) => setTimeout(r, pause));
  }
}
