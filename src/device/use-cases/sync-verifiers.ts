/**
 * The cloud's `sync`: replace the offline-pickup verifiers with the given set. Older
 * revisions are ignored (commands can arrive out of order after an outage), and a parcel
 * already opened offline never gets its verifier back: its code is spent; nor does one a
 * pickup command opened, from a sync computed before that pickup. Codes that
 * arrive sealed for this locker (ADR 0017) are turned into verifiers here, on the
 * locker's own CPU, and the code is forgotten; an unchanged seal keeps its verifier.
 */
import {
  type CodeVerifier,
  deriveCodeHash,
  sealSalt,
  type SyncCommand,
  unsealCode,
} from '../../contract/index.ts';
import type { AgentContext } from '../context.ts';
import type { ResponseDraft } from '../outbox.ts';
import { PLACE_META, SCREEN_KEY_META } from './screen-qr.ts';

/** What the store remembers about the last sync. */
export interface SyncInfo {
  revision: number;
  kdf: SyncCommand['kdf'];
}

type Entry = SyncCommand['verifiers'][number];

/** Turn one entry into a verifier: as given, reused when the seal is unchanged, or derived from the unsealed code. */
async function verifierOf(
  ctx: AgentContext,
  e: Entry,
  kdf: SyncCommand['kdf'],
  known: Map<string, CodeVerifier>,
): Promise<CodeVerifier | null> {
  if (!('sealed' in e)) return e;
  if (!ctx.sealKey) return null;
  const salt = sealSalt(ctx.sealKey, e.sealed);
  const had = known.get(e.parcelId);
  if (had && had.salt === salt.toString('base64'))
    return { ...had, compartment: e.compartment, expiresAt: e.expiresAt };
  const code = unsealCode(ctx.sealKey, e.parcelId, e.sealed);
  if (code === null) {
    ctx.log.warn(
      { parcelId: e.parcelId },
      'a sealed code did not open with this locker key; skipped',
    );
    return null;
  }
  const hash = await deriveCodeHash(code, salt, kdf);
  return {
    parcelId: e.parcelId,
    compartment: e.compartment,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
    expiresAt: e.expiresAt,
  };
}

/** Apply a sync command. */
export async function handleSync(ctx: AgentContext, cmd: SyncCommand): Promise<ResponseDraft> {
  const { store } = ctx;
  const stale = () => {
    const current = store.getMeta<SyncInfo>('sync');
    return current && cmd.revision < current.revision ? current : null;
  };
  const before = stale();
  if (before)
    return {
      status: 'ok',
      details: {
        applied: false,
        reason: 'stale_revision',
        revision: before.revision,
        count: store.listVerifiers().length,
      },
    };
  const compartments = new Set(ctx.bus.compartments);
  const known = new Map(store.listVerifiers().map((v) => [v.parcelId, v]));
  const list: CodeVerifier[] = [];
  let skipped = 0;
  for (const e of cmd.verifiers) {
    if (!compartments.has(e.compartment)) continue;
    const v = await verifierOf(ctx, e, cmd.kdf, known);
    if (v) list.push(v);
    else skipped++;
  }
  // Deriving took time: a newer sync may have been applied meanwhile, and a parcel may have been opened offline.
  const after = stale();
  if (after)
    return {
      status: 'ok',
      details: {
        applied: false,
        reason: 'stale_revision',
        revision: after.revision,
        count: store.listVerifiers().length,
      },
    };
  // A code opened offline never comes back; one spent by a pickup command stays out of any
  // sync the cloud computed before that pickup (an older sync still in flight).
  const kept = list.filter((v) => {
    if (store.parcelOpenedLocally(v.parcelId)) return false;
    const spentAt = store.codeSpentAt(v.parcelId);
    return spentAt === undefined || cmd.revision > spentAt;
  });
  store.atomically(() => {
    store.replaceVerifiers(kept);
    store.setMeta('sync', { revision: cmd.revision, kdf: cmd.kdf } satisfies SyncInfo);
    if (cmd.screenKey) store.setMeta(SCREEN_KEY_META, cmd.screenKey);
    if (cmd.place) store.setMeta(PLACE_META, cmd.place);
  });
  ctx.stateChanged();
  return {
    status: 'ok',
    details: {
      applied: true,
      revision: cmd.revision,
      count: kept.length,
      ...(skipped ? { skipped } : {}),
    },
  };
}
