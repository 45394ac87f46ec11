/** Small helpers every benchmark shares: percentiles, the machine, and writing results. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The p-th percentile (0–100) of the samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The median of a few run results. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** What the numbers were measured on. */
export function machine() {
  // The load average says how busy the machine was with other work: compare ratios, not absolutes, when it is high.
  return { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100 };
}

/** Write bench/results/<scenario>.json and return its path. */
export function writeResult(scenario: string, result: object): string {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${scenario}.json`);
  fs.writeFileSync(file, JSON.stringify({ scenario, at: new Date().toISOString(), machine: machine(), ...result }, null, 2) + '\n');
  return file;
}

/** Round to 3 decimals for printing. */
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
