/**
 * A one-compartment locker in service at site A whose device messages the test writes itself:
 * `send` ingests a message as the cloud receives it (with the parcel hooks), `fact` sends the
 * next fact in sequence. For tests of what the cloud does with a door's facts.
 */
import { lockerTopic, type TopicKind } from '../src/contract/index.ts';
import { createLocker, ingest, updateLocker } from '../src/modules/lockers/index.ts';
import { parcelHooks } from '../src/modules/parcels/index.ts';
import { cryptoRandom, iso, newId } from '../src/platform/clock.ts';
import type { World } from './factories.ts';
import type { TestApp } from './harness.ts';

export async function oneCompartmentLocker(t: TestApp, w: World, id: string, name: string) {
  await createLocker(t.deps, null, w.siteA, {
    id,
    name,
    compartments: [{ number: 1, size: 'M', kind: 'normal' }],
  });
  await updateLocker(t.database.db, id, { status: 'active' });
  let seq = 0;
  const hooks = parcelHooks(t.deps, () => {});
  const send = (kind: TopicKind, msg: object) =>
    ingest(
      t.deps,
      hooks,
      lockerTopic(id, kind),
      Buffer.from(
        JSON.stringify({
          messageId: newId(t.clock, cryptoRandom),
          lockerId: id,
          sentAt: iso(t.clock.now()),
          ...msg,
        }),
      ),
    );
  const fact = (type: string, props: object) => send('evt', { seq: ++seq, type, ...props });
  return { L: id, send, fact };
}
