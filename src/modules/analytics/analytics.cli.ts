/** `antnest analytics rebuild`: the command line of the dashboards' rollups. */
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { rebuildAll } from './rebuild.service.ts';

/** Run an analytics subcommand; returns the exit code. */
export async function runAnalyticsCommand(
  db: Kysely<DB>,
  args: readonly string[],
  out: (line: string) => void,
): Promise<number> {
  if (args[0] !== 'rebuild') {
    out(
      'Usage: antnest analytics rebuild   (recompute every dashboard rollup from the event histories)',
    );
    return 2;
  }
  const started = Date.now();
  const r = await rebuildAll(db);
  out(
    `antnest analytics rebuild: OK — ${r.counters} counters from ${r.parcelSteps} parcel steps, ${r.needSteps} request steps, ${r.deviceFacts} device facts, ${r.offlineSpans} outages, ${r.hallFacts} hall happenings, ${r.consentRefusals} consent refusals, ${r.signups} activity sign-ups, ${r.fundEntries} fund movements in ${Date.now() - started} ms`,
  );
  return 0;
}

/** `antnest analytics …` from main.ts: open the configured database, run, close. */
export async function analyticsCli(config: Config, args: readonly string[]): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    return await runAnalyticsCommand(database.db, args, (l) => process.stdout.write(`${l}\n`));
  } finally {
    await database.destroy();
  }
}
