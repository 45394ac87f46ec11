/**
 * The fault suites' share of the privacy scan: every line a node wrote during the run
 * must be free of full phone numbers, the pickup codes the run sent by SMS and flats.
 */
import fs from 'node:fs';
import { scan } from '../privacy/scan.ts';

/** Findings in a node's log file, one line each. */
export function scanLogFile(file: string, codes: Iterable<string>): string[] {
  if (!fs.existsSync(file)) return [];
  const out: string[] = [];
  const list = [...codes];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.includes('"antnestChildReady"')) continue;
    for (const f of scan(line, line.slice(0, 160), list)) out.push(`${f.what} in: ${f.where}`);
  }
  return out;
}
