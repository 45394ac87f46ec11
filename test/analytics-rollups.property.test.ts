/**
 * Issue 18 check, as a property: under any sequence of parcel steps, request steps, device
 * facts, outages, consent answers, activity sign-ups, fund donations and folds of the area rollups — some of them crashing between the event and its
 * rollup — the incrementally kept rollups equal a rebuild from the event histories, and
 * the deposit counters equal a plain count of the raw events (an oracle that shares no
 * code with the rules).
 *
 * A "crash" throws inside the transaction after the event row was written (once from a
 * subscriber that runs after the rollup, once from the caller after the step returned):
 * both must leave neither the event nor its counts behind.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDialect } from './harness.ts';
import { useWorld } from './world.ts';
import { activeLocker } from './factories.ts';
import type { Executor } from '../src/db/database.ts';
import { iso, newId } from '../src/platform/clock.ts';
import { withAnalytics } from '../src/modules/analytics/index.ts';
import { rebuildRollups } from '../src/modules/analytics/rebuild.service.ts';
import {
  allAreaCounters,
  areaSumByDim,
  areaSumBySlot,
  foldPending,
} from '../src/modules/analytics/area.repository.ts';
import { METRICS, SLOT_METRICS } from '../src/modules/analytics/rollup-rules.ts';
import { insertEventOnce } from '../src/modules/lockers/event.repository.ts';
import { accounts, transfer } from '../src/modules/ledger/index.ts';
import { recordEvent } from '../src/modules/needs/need.events.ts';
import { insertNeed } from '../src/modules/needs/need.repository.ts';
import { onParcelStep } from '../src/modules/parcels/index.ts';
import { recordParcelEvent } from '../src/modules/parcels/core/parcel.events.ts';
import {
  findParcel,
  insertParcel,
  transition,
} from '../src/modules/parcels/core/parcel.repository.ts';
import { emitConsentDeclined } from '../src/modules/parcels/consent/consent.events.ts';
import {
  decideConsentRequest,
  insertConsentRequest,
} from '../src/modules/parcels/consent/consent.repository.ts';
import { emitActivitySignup } from '../src/modules/notices/activity.events.ts';
import { insertActivity, insertSignup } from '../src/modules/notices/index.ts';

class Crash extends Error {}
let crashInSubscriber = false;
// Runs after analytics' subscriber (buildApp subscribed it first): the crash lands after the rollup.
onParcelStep(async () => {
  if (crashInSubscriber) throw new Crash('crash after the rollup, before the commit');
});

type Action =
  | { k: 'deposit'; locker: number; carrier: boolean; crash: 0 | 1 | 2 }
  | { k: 'pickup'; pick: number; crash: 0 | 1 | 2 }
  | { k: 'overdue'; pick: number }
  | { k: 'need'; type: number; action: number; rating: number }
  | { k: 'fact'; locker: number; fact: number }
  | { k: 'outage'; locker: number; minutes: number }
  | { k: 'donate'; fen: number }
  | { k: 'consent'; locker: number; accept: boolean; crash: 0 | 2 }
  | { k: 'signup'; crash: 0 | 2 }
  | { k: 'fold'; crash: boolean; limit: number | null }
  | { k: 'wait'; minutes: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    k: fc.constant('deposit' as const),
    locker: fc.nat(1),
    carrier: fc.boolean(),
    crash: fc.constantFrom(0, 0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
  }),
  fc.record({
    k: fc.constant('pickup' as const),
    pick: fc.nat(50),
    crash: fc.constantFrom(0, 0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
  }),
  fc.record({ k: fc.constant('overdue' as const), pick: fc.nat(50) }),
  fc.record({
    k: fc.constant('need' as const),
    type: fc.nat(1),
    action: fc.nat(6),
    rating: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ k: fc.constant('fact' as const), locker: fc.nat(1), fact: fc.nat(4) }),
  fc.record({ k: fc.constant('outage' as const), locker: fc.nat(1), minutes: fc.nat(200) }),
  fc.record({ k: fc.constant('donate' as const), fen: fc.integer({ min: 1, max: 10_000 }) }),
  fc.record({
    k: fc.constant('consent' as const),
    locker: fc.nat(1),
    accept: fc.boolean(),
    crash: fc.constantFrom(0, 0, 2) as fc.Arbitrary<0 | 2>,
  }),
  fc.record({
    k: fc.constant('signup' as const),
    crash: fc.constantFrom(0, 0, 2) as fc.Arbitrary<0 | 2>,
  }),
  // The job folds in chunks (fold.service.ts): a few rows at a time here, or all of them.
  fc.record({
    k: fc.constant('fold' as const),
    crash: fc.boolean(),
    limit: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
  }),
  fc.record({ k: fc.constant('wait' as const), minutes: fc.nat(300) }),
);

const NEED_STEPS = [
  ['received', null, 'received', null],
  ['accepted', 'dispatched', 'in_progress', null],
  ['replied', 'dispatched', 'replied', null],
  ['replied', 'in_progress', 'replied', null],
  ['closed', 'replied', 'closed', null],
  ['escalated', 'in_progress', 'in_progress', 'overdue'],
  ['rated', 'closed', 'closed', 'RATING'],
] as const;

const FACTS = [
  { type: 'open_outcome', compartment: 1, commandId: 'c', outcome: 'door_jammed' },
  { type: 'open_outcome', compartment: 1, commandId: 'c', outcome: 'opened' },
  { type: 'uncommanded_open', compartment: 2 },
  { type: 'uv_done', compartment: 3, result: 'aborted', reason: 'lamp_fault', ranSeconds: 3 },
  { type: 'fault', code: 'sensor', message: 'x' },
];

describeEachDialect('analytics rollups (property)', (dialect) => {
  const { t, w } = useWorld(dialect);

  it('incremental rollups equal a rebuild and a raw count, crashes included', async () => {
    const lockers = ['AN-P1', 'AN-P2'];
    for (const [i, id] of lockers.entries()) await activeLocker(t, w, id, `分析柜${i + 1}`, 6);
    const services = await t.database.db
      .selectFrom('need_services')
      .select(['code', 'deadline_class'])
      .orderBy('code')
      .limit(2)
      .execute();
    const db = t.database.db;
    const deps = t.deps;
    const hooks = withAnalytics(deps, {});
    const stored: string[] = [];
    let seq = 0;
    let pn = 1000;

    const newParcel = async (trx: Executor, locker: string, carrier: boolean) => {
      const id = newId(deps.clock, deps.random);
      const now = iso(deps.clock.now());
      await insertParcel(trx, {
        id,
        community_id: w.community1,
        locker_id: locker,
        compartment: ++pn,
        kind: carrier ? 'delivery' : 'neighbour',
        size: 'S',
        status: 'stored',
        carrier_id: carrier ? w.carrier : null,
        depositor_id: w.users.courier.id,
        waybill: null,
        recipient_phone_hash: null,
        recipient_phone_cipher: null,
        recipient_phone_tail: null,
        recipient_user_id: null,
        code_hash: null,
        code_cipher: null,
        code_verifier: null,
        code_expires_at: null,
        reserved_until: null,
        stored_at: now,
        free_until: now,
        picked_up_at: null,
        pickup_command_id: null,
        deidentified_at: null,
        together_with: null,
        note: null,
        created_at: now,
        updated_at: now,
      });
      return id;
    };
    const step = async (crash: 0 | 1 | 2, body: (trx: Executor) => Promise<void>) => {
      crashInSubscriber = crash === 1;
      try {
        await db.transaction().execute(async (trx) => {
          await body(trx);
          if (crash === 2) throw new Crash('crash after the step, before the commit');
        });
        return true;
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
        return false;
      } finally {
        crashInSubscriber = false;
      }
    };
    const newNeed = async (trx: Executor, type: number) => {
      const { code, deadline_class } = services[type % services.length]!;
      const now = iso(deps.clock.now());
      const id = newId(deps.clock, deps.random);
      await insertNeed(trx, {
        id,
        token: id,
        community_id: w.community1,
        grid_id: null,
        // Type 1 requests name a unit: counted in its compound's area too.
        unit_id: type % 2 === 1 ? w.unitA : null,
        hall_id: null,
        address: null,
        lat: null,
        long: null,
        service_code: code,
        attributes: '{}',
        description: 'x',
        channel: 'desk',
        status: 'dispatched',
        requester_id: null,
        contact_name: null,
        phone_hash: null,
        phone_cipher: null,
        entered_by: null,
        open311_client: null,
        party: 'community_office',
        assignee_id: null,
        deadline_class,
        received_at: now,
        due_at: now,
        warn_at: now,
        respond_by: now,
        responded_at: null,
        replied_at: null,
        reply: null,
        closed_at: null,
        declined_at: null,
        escalated_at: null,
        reopen_count: 0,
        visited_at: null,
        visit_note: null,
        rating: null,
        rating_comment: null,
        rated_at: null,
        updated_at: now,
      });
      return id;
    };

    const run = async (a: Action) => {
      const now = iso(deps.clock.now());
      switch (a.k) {
        case 'deposit':
          return step(a.crash, async (trx) => {
            const id = await newParcel(trx, lockers[a.locker]!, a.carrier);
            await recordParcelEvent(trx, deps, (await findParcel(trx, id))!, {
              type: 'stored',
              actorId: null,
              source: 'device',
            });
            if (a.crash === 0) stored.push(id);
          });
        case 'pickup': {
          if (!stored.length) return;
          const id = stored[a.pick % stored.length]!;
          if (
            await step(a.crash, async (trx) => {
              await transition(trx, id, 'stored', { status: 'picked_up', picked_up_at: now });
              await recordParcelEvent(trx, deps, (await findParcel(trx, id))!, {
                type: 'picked_up',
                actorId: null,
                source: 'device',
              });
            })
          )
            stored.splice(stored.indexOf(id), 1);
          return;
        }
        case 'overdue': {
          if (!stored.length) return;
          const id = stored[a.pick % stored.length]!;
          return step(0, async (trx) =>
            recordParcelEvent(trx, deps, (await findParcel(trx, id))!, {
              type: 'overdue',
              actorId: null,
              source: 'system',
            }),
          );
        }
        case 'need': {
          const [act, from, to, note] = NEED_STEPS[a.action]!;
          const n = note === 'RATING' ? String(a.rating) : note;
          return step(0, async (trx) => {
            const need = { id: await newNeed(trx, a.type), community_id: w.community1 };
            await recordEvent(trx, deps, need, { userId: null, kind: 'staff' }, act, from, to, n);
          });
        }
        case 'fact': {
          const locker = { id: lockers[a.locker]!, community_id: w.community1 };
          const fact = { ...FACTS[a.fact]!, seq: ++seq, messageId: `m${seq}`, sentAt: now };
          return step(0, async (trx) => {
            await insertEventOnce(trx, {
              locker_id: locker.id,
              seq: fact.seq,
              community_id: locker.community_id,
              type: fact.type,
              compartment: null,
              message_id: fact.messageId,
              payload: JSON.stringify(fact),
              occurred_at: now,
              received_at: now,
            });
            await hooks.onFact!(trx, locker as never, fact as never);
          });
        }
        case 'outage': {
          const from = iso(deps.clock.now() - a.minutes * 60_000);
          const before = {
            id: lockers[a.locker]!,
            community_id: w.community1,
            presence: 'offline' as const,
            presence_changed_at: from,
          };
          return step(0, (trx) => hooks.onOnline!(trx, before as never));
        }
        case 'donate':
          return step(0, async (trx) => {
            await transfer(trx, deps.clock, {
              transferId: newId(deps.clock, deps.random),
              kind: 'donation',
              at: now,
              memo: '捐赠',
              communityId: w.community1,
              postings: [
                { account: accounts.cash(w.community1), amount: -a.fen },
                { account: accounts.communityFund(w.community1), amount: a.fen },
              ],
            });
          });
        case 'consent':
          // As decideConsent does it: the answer and, for a refusal, its event in one transaction.
          return step(a.crash, async (trx) => {
            const id = newId(deps.clock, deps.random);
            const row = {
              id,
              community_id: w.community1,
              recipient_user_id: w.users.residentA.id,
              carrier_id: w.carrier,
              courier_id: w.users.courier.id,
              locker_id: lockers[a.locker]!,
              waybill_tail: '1234',
              status: 'pending' as const,
              created_at: now,
              expires_at: iso(deps.clock.now() + 3_600_000),
              decided_at: null,
            };
            await insertConsentRequest(trx, row);
            const status = a.accept ? 'accepted' : 'declined';
            const ok = await decideConsentRequest(trx, {
              id,
              recipientUserId: row.recipient_user_id,
              status,
              at: now,
            });
            if (ok && !a.accept)
              await emitConsentDeclined(trx, {
                id,
                communityId: row.community_id,
                lockerId: row.locker_id,
                carrierId: row.carrier_id,
                at: now,
              });
          });
        case 'signup':
          // As signUp does it: a new sign-up row and its event in one transaction.
          return step(a.crash, async (trx) => {
            const activityId = newId(deps.clock, deps.random);
            await insertActivity(trx, {
              id: activityId,
              scope_kind: 'community',
              subdistrict_id: w.subdistrict,
              community_id: w.community1,
              compound_id: null,
              hall_id: null,
              title: '活动',
              description: 'x',
              location: '服务馆',
              starts_at: iso(deps.clock.now() + 86_400_000),
              ends_at: iso(deps.clock.now() + 90_000_000),
              signup_closes_at: iso(deps.clock.now() + 80_000_000),
              capacity: 10,
              confirmed_count: 1,
              signup_seq: 1,
              status: 'open',
              created_by: w.users.residentA.id,
              created_at: now,
              updated_at: now,
            });
            const id = newId(deps.clock, deps.random);
            await insertSignup(trx, {
              id,
              activity_id: activityId,
              user_id: w.users.residentA.id,
              community_id: w.community1,
              status: 'confirmed',
              seq: 1,
              created_at: now,
              updated_at: now,
              reminded_at: null,
            });
            await emitActivitySignup(trx, { id, communityId: w.community1, activityId, at: now });
          });
        case 'fold':
          // The fold job, crashing before its commit half the time: pending rows stay pending.
          return step(a.crash ? 2 : 0, async (trx) => {
            await foldPending(trx, a.limit ?? undefined);
          });
        case 'wait':
          t.clock.advance(a.minutes * 60_000 + 1);
      }
    };

    const rebuilt = async () => {
      let areas: string[] = [];
      await db
        .transaction()
        .execute(async (trx) => {
          await rebuildRollups(trx);
          areas = await allAreaCounters(trx);
          throw new Crash('keep the incremental counters for the next run');
        })
        .catch((e) => {
          if (!(e instanceof Crash)) throw e;
        });
      return { areas };
    };
    // What a dashboard reads of the community and subdistrict areas, over windows that cut months.
    const reads = async () => {
      const out: unknown[] = [];
      for (const areas of [
        [`C:${w.community1}`],
        [`S:${w.subdistrict}`],
        [`X:${w.compound1}`],
        lockers.map((l) => `L:${l}`),
      ])
        for (const [fromDay, toDay] of [
          ['2020-01-01', '2030-12-31'],
          ['2026-10-20', '2026-12-03'],
          ['2026-11-27', '2026-11-28'],
        ]) {
          const win = { areas, fromDay: fromDay!, toDay: toDay! };
          const sort = (r: Array<{ metric: string; dim: string }>) =>
            [...r].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
          out.push(sort(await areaSumByDim(db, win, METRICS)));
          out.push(sort(await areaSumBySlot(db, win, SLOT_METRICS)));
        }
      return out;
    };

    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 40 }), async (actions) => {
        for (const a of actions) await run(a);
        // Reads add the pending rows: what a dashboard sees does not change when the fold runs.
        const before = await reads();
        await db.transaction().execute((trx) => foldPending(trx));
        expect(await reads()).toEqual(before);
        const again = await rebuilt();
        expect(await allAreaCounters(db)).toEqual(again.areas);
        const raw = await db
          .selectFrom('parcel_events as e')
          .innerJoin('parcels as p', 'p.id', 'e.parcel_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('e.type', '=', 'stored')
          .where('p.locker_id', 'in', lockers)
          .executeTakeFirstOrThrow();
        // The lockers' areas, summed over all time, against a plain count of the stores.
        const counted = (
          await areaSumByDim(
            db,
            { areas: lockers.map((l) => `L:${l}`), fromDay: '2020-01-01', toDay: '2030-12-31' },
            ['parcel.deposits'],
          )
        ).reduce((s, r) => s + r.value, 0);
        expect(counted).toBe(Number(raw.n));
        // Refusals and sign-ups: the community area's totals against plain counts of the rows.
        const [refused, signed] = await Promise.all([
          db
            .selectFrom('consent_requests')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'declined')
            .executeTakeFirstOrThrow(),
          db
            .selectFrom('activity_signups')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('community_id', '=', w.community1)
            .executeTakeFirstOrThrow(),
        ]);
        const area = await areaSumByDim(
          db,
          { areas: [`C:${w.community1}`], fromDay: '2020-01-01', toDay: '2030-12-31' },
          ['parcel.consent_declined', 'hall.signups'],
        );
        const sum = (m: string) =>
          area.filter((r) => r.metric === m).reduce((a, r) => a + r.value, 0);
        expect(sum('parcel.consent_declined')).toBe(Number(refused.n));
        // Requests naming a unit count in its compound too.
        const [unitNeeds] = await Promise.all([
          db
            .selectFrom('needs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('unit_id', '=', w.unitA)
            .innerJoin('need_events as e', 'e.need_id', 'needs.id')
            .where('e.action', '=', 'received')
            .executeTakeFirstOrThrow(),
        ]);
        const compound = await areaSumByDim(
          db,
          { areas: [`X:${w.compound1}`], fromDay: '2020-01-01', toDay: '2030-12-31' },
          ['needs.opened'],
        );
        expect(compound.reduce((a, r) => a + r.value, 0)).toBe(Number(unitNeeds!.n));
        expect(sum('hall.signups')).toBe(Number(signed.n));
      }),
      { seed: 18, numRuns: 40 },
    );
  });
});
