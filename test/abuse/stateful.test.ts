/**
 * Stateful attack suite (issue 13, Deliver 2): attacks are sequences of allowed calls, not
 * single routes. fast-check draws a sequence of calls (look-up, view, list, create or adopt
 * an account, grant, revoke, rename, disable, enable, parcel lists) made by every demo role — resident, courier, grid
 * worker, hall staff, partner, the community worker of each community, the subdistrict
 * officer, the admin — against the demo world, and after every step checks the server
 * against the model (identity.model.ts):
 *
 *   - nothing succeeds that the model forbids (no grant, edit, disable, revoke or full
 *     view outside one's scope and rank), and what it allows is not refused;
 *   - a look-up, list or parcel list shows only users, roles and parcels inside scope,
 *     and no full phone number but the caller's own;
 *   - the database holds exactly the model's roles and statuses (a refusal changed nothing);
 *   - an active platform admin remains.
 *
 * CI runs fixed seeds, short. Replay or explore locally:
 *   STATEFUL_SEED=<seed> STATEFUL_PATH=<path> [STATEFUL_REPLAY=<replayPath>] npx vitest run test/abuse/stateful.test.ts
 * (fast-check prints the seed, the path and the shrunk counterexample with its replayPath on failure)
 *   STATEFUL_SEED=random STATEFUL_RUNS=300 STATEFUL_COMMANDS=60 npx vitest run test/abuse/stateful.test.ts
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../harness.ts';
import { buildDemoWorld, type DemoWorld } from './demo-actors.ts';
import { attackCommands, tally } from './stateful.commands.ts';
import { type AttackReal, buildAttackReal, resetWorld } from './stateful.world.ts';

const env = process.env;
const seed =
  env['STATEFUL_SEED'] === 'random' ? Date.now() % 2 ** 31 : Number(env['STATEFUL_SEED'] ?? 1305);
// SQLite runs are cheap (≈ 20 ms each), PostgreSQL ones ≈ 5× dearer: the rule is the same, so SQLite explores more.
const runsFor = (d: string) => Number(env['STATEFUL_RUNS'] ?? (d === 'sqlite' ? 100 : 25));
const maxCommands = Number(env['STATEFUL_COMMANDS'] ?? 30);

describeEachDialect('abuse: stateful attack sequences by every demo role', (dialect) => {
  let w: DemoWorld;
  let real: AttackReal;
  beforeAll(async () => {
    w = await buildDemoWorld(dialect);
    real = await buildAttackReal(w);
  }, 120_000);
  afterAll(async () => w?.t.close());

  const numRuns = runsFor(dialect);
  it(`no sequence of allowed calls escalates, leaks or changes what the rule forbids (seed ${seed}, ${numRuns} runs × ≤ ${maxCommands} calls)`, async () => {
    for (const k of Object.keys(tally)) delete tally[k];
    const path = env['STATEFUL_PATH'];
    const replayPath = env['STATEFUL_REPLAY'];
    await fc.assert(
      fc.asyncProperty(
        fc.commands(attackCommands(real.places), {
          maxCommands,
          size: 'max',
          ...(replayPath ? { replayPath } : {}),
        }),
        async (cmds) => {
          const model = await resetWorld(real);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        },
      ),
      { seed, numRuns, ...(path ? { path } : {}) },
    );
    console.log(`stateful [${dialect}] seed ${seed}: ${JSON.stringify(tally)}`);
    // Both sides of the rule were exercised: allowed changes happened, and so did refused attacks.
    for (const kind of ['gives', 'revokes', 'edits', 'looks', 'creates']) {
      expect(tally[kind]?.allowed, `allowed ${kind}`).toBeGreaterThan(0);
      expect(tally[kind]!.calls - tally[kind]!.allowed, `refused ${kind}`).toBeGreaterThan(0);
    }
  }, 300_000);
});
