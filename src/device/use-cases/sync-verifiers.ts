/**
 * The cloud's `sync`: replace the offline-pickup verifiers with the given set. Older
 * revisions are ignored (commands can arrive out of order after an outage), and a parcel
 * already opened offline never gets its verifier back: its code is spent.
 */
import type { SyncCommand } from '../../contract/commands.ts';
import type { AgentContext } from '../context.ts';
import type { ResponseDraft } from '../outbox.ts';
import { SCREEN_KEY_META } from './screen-qr.ts';

/** What the store remembers about the last sync. */
export interface SyncInfo {
  revision: number;
  kdf: SyncCommand['kdf'];
}

/** Apply a sync command. */
export function handleSync(ctx: AgentContext, cmd: SyncCommand): ResponseDraft {
  const { store } = ctx;
  const current = store.getMeta<SyncInfo>('sync');
  if (current && cmd.revision < current.revision) {
    return { status: 'ok', details: { applied: false, reason: 'stale_revision', revision: current.revision, count: store.listVerifiers().length } };
  }
  const known = new Set(ctx.bus.compartments);
  const list = cmd.verifiers.filter((v) => known.has(v.compartment) && !store.parcelOpenedLocally(v.parcelId));
  store.atomically(() => {
    store.replaceVerifiers(list);
    store.setMeta('sync', { revision: cmd.revision, kdf: cmd.kdf } satisfies SyncInfo);
    if (cmd.screenKey) store.setMeta(SCREEN_KEY_META, cmd.screenKey);
  });
  ctx.stateChanged();
  return { status: 'ok', details: { applied: true, revision: cmd.revision, count: list.length } };
}
