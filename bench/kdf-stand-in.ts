/**
 * The fleet's scrypt, off the benchmark machine's CPU. A real locker derives each parcel's
 * offline verifier (scrypt, ADR 0017) on its own board; in the cycle benchmark 1,500 simulated
 * lockers share two cores with the node under test, so their scrypt would be billed to the
 * node's machine (tens of ms of CPU per parcel). The stand-in waits as long as one real
 * derivation takes here (measured at start, median of 5) without using the CPU, and returns
 * a SHA-256 in place of the scrypt hash: such a verifier opens nothing offline, which the
 * benchmark never tries. The fleet's own CPU is reported apart from the node's.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_KDF, deriveCodeHash } from '../src/contract/pickup-code.ts';
import type { DeriveCodeHash } from '../src/device/context.ts';
import { median, r3, sleep } from './stats.ts';

export interface KdfStandIn {
  derive: DeriveCodeHash;
  /** How long one real derivation took here (ms): what each stand-in waits. */
  ms: number;
}

/** Measure one scrypt derivation with the default parameters and make the stand-in. */
export async function kdfStandIn(): Promise<KdfStandIn> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await deriveCodeHash('12345678', Buffer.alloc(16, i), DEFAULT_KDF);
    times.push(performance.now() - t0);
  }
  const ms = r3(median(times));
  return {
    ms,
    derive: async (code, salt) => {
      await sleep(ms);
      return createHash('sha256').update(salt).update(code).digest();
    },
  };
}
