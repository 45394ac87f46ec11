/** `antnest ledger verify`: the command line of the ledger. */
import type { Config } from '../../config.ts';
import { type Executor, openDatabase } from '../../db/database.ts';
import { verifyLedger } from './verify.service.ts';

/** Run a ledger subcommand; returns the exit code (1 when verification finds a problem). */
export async function runLedgerCommand(
  db: Executor,
  args: readonly string[],
  out: (line: string) => void,
): Promise<number> {
  if (args[0] !== 'verify') {
    out('Usage: antnest ledger verify   (recompute balances and check the hash chain)');
    return 2;
  }
  const r = await verifyLedger(db);
  for (const p of r.problems) out(`PROBLEM ${p}`);
  out(
    `antnest ledger verify: ${r.ok ? 'OK' : `${r.problems.length} problem(s)`} — ${r.entries} entries, ${r.accounts} accounts`,
  );
  return r.ok ? 0 : 1;
}

/** `antnest ledger …` from main.ts: open the configured database, run, close. */
export async function ledgerCli(config: Config, args: readonly string[]): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    return await runLedgerCommand(database.db, args, (l) => process.stdout.write(`${l}\n`));
  } finally {
    await database.destroy();
  }
}
