/** Small helpers every benchmark shares: percentiles, the machine, CPU clocks, and writing results. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unmeasured } from './measured.ts';

/** The p-th percentile (0–100) of the samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** The median of a few run results. */
export function median(xs: readonly number[]): number {
  return percentile(
    xs.filter((x) => Number.isFinite(x)),
    50,
  );
}

/** p50/p99 of a sample set, rounded for the record. */
export function p50p99(samples: readonly number[]): { p50: number; p99: number; n: number } {
  return { p50: r3(percentile(samples, 50)), p99: r3(percentile(samples, 99)), n: samples.length };
}

/** What the numbers were measured on. */
export function machine() {
  // The load average says how busy the machine was with other work: compare ratios, not absolutes, when it is high.
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/** Where results go: bench/results, or bench/results/short for the CI mode (so CI never overwrites the figures people read). */
export function resultsDir(short: boolean): string {
  const base = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  return short ? path.join(base, 'short') : base;
}

/** Write <dir>/<scenario>.json and return its path. */
export function writeResult(
  scenario: string,
  result: object,
  opts: { short?: boolean; seed?: string } = {},
): string {
  const dir = resultsDir(opts.short ?? false);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${scenario}.json`);
  const record = {
    scenario,
    mode: opts.short ? 'short' : 'full',
    at: new Date().toISOString(),
    machine: machine(),
    seed: opts.seed ?? null,
    ...result,
  };
  fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

/** Read a result back and check the fields every scenario must carry and the figures its scenario must have measured (bench/measured.ts); throws when the file is not what CI expects. */
export function checkResult(file: string): void {
  const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const k of ['scenario', 'mode', 'at', 'machine', 'seed'])
    if (!(k in record)) throw new Error(`${file}: missing "${k}"`);
  const m = record.machine as Record<string, unknown>;
  if (typeof m.cores !== 'number' || typeof m.node !== 'string')
    throw new Error(`${file}: machine needs cores and node`);
  if (!('skipped' in record) && !('runs' in record))
    throw new Error(`${file}: neither "runs" nor "skipped"`);
  const missing = unmeasured(record);
  if (missing.length)
    throw new Error(
      `${file}: the run measured nothing where it should:\n  ${missing.join('\n  ')}`,
    );
}

/** Round to 3 decimals for printing. */
export const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** CPU seconds (user + system) this process has used so far, threads included. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Sleep. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const wallMs = () => performance.timeOrigin + performance.now();
