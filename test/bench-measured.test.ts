import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unmeasured } from '../bench/measured.ts';

/**
 * The benchmark's "measured something" checks (bench/measured.ts), on the records committed in
 * bench/results: each full record passes, and the same record with one figure lost fails and
 * names it. The fleet case is the one that happened: every remote open timed out, the record
 * said `p50: null`, and CI's short run passed on valid JSON.
 */
const dir = path.join(import.meta.dirname, '..', 'bench', 'results');
const read = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Record<string, any>;
const SCENARIOS = ['floor', 'cycle', 'fleet', 'history', 'web', 'analytics', 'prepared'];

describe('bench records that measured nothing', () => {
  it.each(SCENARIOS)('the committed %s record measured what it should', (name) => {
    expect(unmeasured(read(name))).toEqual([]);
  });

  it('a fleet size whose opens all timed out fails, naming the size and the figure', () => {
    const r = read('fleet');
    r.sizes[0].commandRoundTripMs = { p50: null, p99: null };
    const lines = unmeasured(r);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^fleet at 1000 lockers: commandRoundTripMs\.p50 is null/);
  });

  it('a fleet that stopped with no size at all fails', () => {
    const r = read('fleet');
    r.sizes = [];
    r.lockersHeld = 0;
    expect(unmeasured(r)).toEqual(
      expect.arrayContaining([
        'fleet sizes: no entries',
        expect.stringMatching(/^fleet: lockersHeld is 0/),
      ]),
    );
  });

  it('a cycle variant that held no window but measured one passes (a loaded CI machine)', () => {
    const r = read('cycle');
    r.variants.node.heldAny = false;
    r.variants.node.sustainedCyclesPerSec = 0;
    expect(unmeasured(r)).toEqual([]);
  });

  it('a cycle variant whose windows completed nothing fails', () => {
    const r = read('cycle');
    const v = r.variants.node;
    for (const w of v.runs.flat()) w.completed = 0;
    v.atSustained.stepsMs.pickup.p99 = null;
    v.atSustained.perCycle.commits = null;
    expect(unmeasured(r)).toEqual([
      'cycle node: no window completed a cycle',
      'cycle node: atSustained.perCycle.commits is null, not a positive number',
      'cycle node: atSustained.stepsMs.pickup.p99 is null, not a number',
    ]);
  });

  it('a store replay that diverged from the node, or priced nothing, fails', () => {
    const r = read('cycle');
    r.variants.node.storeReplay = {
      storeCpuPerCycleMs: 0,
      statementsPerCycle: 70,
      divergent: 2,
      firstDivergence: 'insert into "parcels" …: UNIQUE constraint failed',
    };
    expect(unmeasured(r)).toEqual([
      'cycle node: storeReplay.storeCpuPerCycleMs is 0, not a positive number',
      'cycle node: the store replay diverged from the node: insert into "parcels" …: UNIQUE constraint failed',
    ]);
    r.variants.node.storeReplay = null; // a probe that did not ask for it
    expect(unmeasured(r)).toEqual([]);
  });

  it('a history with only its small size fails', () => {
    const r = read('history');
    r.sizes = r.sizes.slice(0, 1);
    expect(unmeasured(r)).toContain('history: needs a small and a large history to compare');
  });

  it('a missing floor figure fails', () => {
    const r = read('floor');
    delete r.medians.sqliteCommitsPerSec;
    expect(unmeasured(r)).toEqual([
      'floor: medians.sqliteCommitsPerSec is missing, not a positive number',
    ]);
  });

  it('a skipped scenario and an unknown one are not checked', () => {
    expect(unmeasured({ scenario: 'web', skipped: 'no web/dist' })).toEqual([]);
    expect(unmeasured({ scenario: 'cycle-probe', variants: {} })).toEqual([]);
  });
});
