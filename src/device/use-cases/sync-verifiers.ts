/**
 * The cloud's `sync`: replace the offline-pickup verifiers with the given set. Older
 * revisions are ignored (commands can arrive out of order after an outage; a revision is
 * the cloud's per-locker counter, never compared with this device's clock), and a parcel
 * already opened offline never gets its verifier back: its code is spent; nor does a code
 * a pickup command spent (a per-parcel tombstone). Codes that
 * arrive sealed for this locker (ADR 0017) are turned into verifiers here, on the
 * locker's own CPU, and the code is forgotten; an unchanged seal keeps its verifier.
 */
import {
  type CodeVerifier,
  DEFAULT_KDF,
  deriveCodeHash,
  type SealedCode,
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
  const hash = await (ctx.deriveCodeHash ?? deriveCodeHash)(code, salt, kdf);
  return {
    parcelId: e.parcelId,
    compartment: e.compartment,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
    expiresAt: e.expiresAt,
  };
}

/** Codes carried by opens, added one after another per agent (so revisions advance in order). */
const carriedChains = new WeakMap<AgentContext, Promise<unknown>>();

/**
 * Settles once every carried code handed over so far is added (or refused). A heartbeat
 * reads its `syncRevision` after this: the open that carried a code is answered when the
 * door opens, before the verifier's key derivation ends, and a heartbeat composed in between
 * would report the old revision and cost a needless full sync.
 */
export function carriedCodesSettled(ctx: AgentContext): Promise<void> {
  return (carriedChains.get(ctx) ?? Promise.resolve()).then(
    () => {},
    () => {},
  );
}

/**
 * v2: add the code a deposit's open carried (a sealed code) to the offline set, as the
 * open's `revision` says: at revision − 1 the locker takes the revision; below it the code is
 * added but the revision kept (a change was missed: the heartbeat shows the gap and the
 * cloud sends a full sync); at the revision or above it the code is ignored (a full sync
 * built after this open already said whether the parcel is there). A spent or locally
 * opened code is never added.
 */
export function addCarriedCode(
  ctx: AgentContext,
  code: SealedCode,
  revision: number,
): Promise<boolean> {
  const prev = carriedChains.get(ctx) ?? Promise.resolve();
  const next = prev
    .catch(() => {})
    .then(async () => {
      const { store } = ctx;
      const info = store.getMeta<SyncInfo>('sync');
      if (!ctx.bus.compartments.includes(code.compartment)) return false;
      if ((info?.revision ?? 0) >= revision) return false;
      const kdf = info?.kdf ?? DEFAULT_KDF;
      const known = new Map(store.listVerifiers().map((v) => [v.parcelId, v]));
      const v = await verifierOf(ctx, code, kdf, known);
      if (!v) return false;
      const spent = store.spentCode(v.parcelId);
      if (store.parcelOpenedLocally(v.parcelId) || (spent && spent.salt === v.salt)) return false;
      const added = store.atomically(() => {
        const now = store.getMeta<SyncInfo>('sync');
        const have = now?.revision ?? 0;
        if (have >= revision) return false; // a full sync overtook the derivation
        store.replaceVerifiers([
          ...store.listVerifiers().filter((x) => x.parcelId !== v.parcelId),
          v,
        ]);
        if (have === revision - 1) store.setMeta('sync', { revision, kdf } satisfies SyncInfo);
        return true;
      });
      if (added) ctx.stateChanged();
      return added;
    });
  carriedChains.set(ctx, next);
  return next;
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
  // A code opened offline never comes back, nor does one a pickup command spent: its
  // tombstone names the spent code by its verifier's salt, so the same code is kept out of
  // any sync, whenever the cloud built it (ADR 0017, amended: no clock is compared). A new
  // code for the same parcel (a new seal, so a new salt) is a new grant and is kept.
  const kept = list.filter((v) => {
    if (store.parcelOpenedLocally(v.parcelId)) return false;
    const spent = store.spentCode(v.parcelId);
    return spent === undefined || (spent.salt !== null && spent.salt !== v.salt);
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
