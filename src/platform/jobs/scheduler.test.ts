/** Scheduled jobs run once per period across nodes, and a dead holder is replaced. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { ManualClock } from '../clock.ts';
import { listJobs } from './job.repository.ts';
import { JobScheduler, type JobSpec } from './scheduler.ts';

const quiet = { warn: () => {}, error: () => {}, debug: () => {} };

describeEachDialect('job scheduler', (dialect) => {
  let h: DatabaseHandle;
  const clock = new ManualClock();
  beforeAll(async () => {
    h = await openTestDatabase(dialect);
  });
  afterAll(async () => h?.destroy());

  const nodes = (n: number) =>
    Array.from({ length: n }, (_, i) => new JobScheduler(h.db, clock, `node-${i}`, quiet));

  it('runs a due job on exactly one of several nodes polling at once, then not again until the next period', async () => {
    const runs: string[] = [];
    const cluster = nodes(3);
    const spec = (node: string): JobSpec => ({
      name: 'test.once',
      everyMs: 60_000,
      run: async () => void runs.push(node),
    });
    const specs = cluster.map((s) => spec(s.nodeId));
    for (let round = 0; round < 3; round++) {
      const won = await Promise.all(
        cluster.flatMap((s, i) => [s.tick(specs[i]!), s.tick(specs[i]!)]),
      );
      expect(won.filter(Boolean)).toHaveLength(round === 0 ? 1 : 0);
      clock.advance(10_000);
    }
    expect(runs).toHaveLength(1);
    clock.advance(30_000); // 60 s after the first run: due again
    await Promise.all(cluster.map((s, i) => s.tick(specs[i]!)));
    expect(runs).toHaveLength(2);
    const [row] = await listJobs(h.db);
    expect(row).toMatchObject({ name: 'test.once', runs: 2, lease_until: null, last_error: null });
  });

  it('never overlaps a run in progress, and lets another node take over when the holder died mid-run', async () => {
    const [a, b] = nodes(2) as [JobScheduler, JobScheduler];
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const slow: JobSpec = {
      name: 'test.slow',
      everyMs: 1_000,
      maxRunMs: 5_000,
      run: async () => (started.push('a'), hang),
    };
    const fast: JobSpec = {
      name: 'test.slow',
      everyMs: 1_000,
      maxRunMs: 5_000,
      run: async () => void started.push('b'),
    };
    const running = a.tick(slow); // a claims and "dies" mid-run (never finishes while we look)
    await new Promise((r) => setTimeout(r, 50));
    clock.advance(2_000); // due again, but a's lease holds
    expect(await b.tick(fast)).toBe(false);
    clock.advance(4_000); // a's lease (5 s) ran out
    expect(await b.tick(fast)).toBe(true);
    expect(started).toEqual(['a', 'b']);
    release();
    await running;
  });

  it('asks the database nothing while a job is not due, on the node that ran it and on one that lost it', async () => {
    const [a, b] = nodes(2) as [JobScheduler, JobScheduler];
    const runs: string[] = [];
    const spec = (node: string): JobSpec => ({
      name: 'test.quiet',
      everyMs: 20_000,
      run: async () => void runs.push(node),
    });
    const statements = () => h.counts?.statements ?? 0;
    expect(await a.tick(spec('a'))).toBe(true);
    expect(await b.tick(spec('b'))).toBe(false); // lost: b reads when the job is next due
    const before = statements();
    for (let i = 0; i < 3; i++) {
      clock.advance(5_000);
      expect(await a.tick(spec('a'))).toBe(false);
      expect(await b.tick(spec('b'))).toBe(false);
    }
    if (h.counts) expect(statements()).toBe(before); // SQLite counts what it ran
    clock.advance(5_000); // 20 s after a's run: due, and the first node to poll takes it
    expect(await b.tick(spec('b'))).toBe(true);
    expect(await a.tick(spec('a'))).toBe(false);
    expect(runs).toEqual(['a', 'b']);
    const row = (await listJobs(h.db)).find((r) => r.name === 'test.quiet');
    expect(row).toMatchObject({ runs: 2, holder: 'node-1', lease_until: null });
  });

  it('makes a job row again when an operator deleted it, and runs the job on', async () => {
    const [a] = nodes(1) as [JobScheduler];
    const runs: number[] = [];
    const spec: JobSpec = {
      name: 'test.reset',
      everyMs: 1_000,
      run: async () => void runs.push(1),
    };
    expect(await a.tick(spec)).toBe(true);
    await h.db.deleteFrom('job_leases').where('name', '=', 'test.reset').execute();
    clock.advance(1_000);
    expect(await a.tick(spec)).toBe(false); // the claim found no row
    expect(await a.tick(spec)).toBe(true); // made again, due at once
    expect(runs).toHaveLength(2);
  });

  it('records a failed run and releases the lease so the next period runs', async () => {
    const [a] = nodes(1) as [JobScheduler];
    const spec: JobSpec = {
      name: 'test.fails',
      everyMs: 1_000,
      run: async () => {
        throw new Error('boom');
      },
    };
    expect(await a.tick(spec)).toBe(true);
    const row = (await listJobs(h.db)).find((r) => r.name === 'test.fails');
    expect(row).toMatchObject({ last_error: 'boom', lease_until: null, holder: 'node-0' });
    clock.advance(1_000);
    expect(await a.tick(spec)).toBe(true);
  });
});
