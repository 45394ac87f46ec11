/**
 * What the live-hub tests share (the hub's own, notices', needs'): a hub that polls only when
 * the test calls `tick()`, and a subscriber that records every frame it is sent.
 */
import type { Database } from '../../db/database.ts';
import {
  type LiveFrame,
  LiveHub,
  type LiveOptions,
  type LiveSubscriber,
} from './live-hub.runtime.ts';

/** A logger that drops everything. */
const silent = {
  warn() {},
  info() {},
  error() {},
  debug() {},
  trace() {},
  fatal() {},
  child() {
    return silent;
  },
  level: 'silent',
} as never;

/** A hub on `db` whose own timer is an hour away (the test ticks it) and that never checks sessions. */
export function manualHub(db: Database, opts: LiveOptions = {}): LiveHub {
  return new LiveHub(db, silent, { sessionCheckMs: Infinity, intervalMs: 3_600_000, ...opts });
}

/** A subscriber that records what it is sent, and whether the hub ended it. */
export type Recorder = LiveSubscriber & { frames: LiveFrame[]; ended: boolean };

/** A recording subscriber: a user (or a kiosk board, userId ''), its communities and places. */
export function recorder(s: Partial<Omit<LiveSubscriber, 'send' | 'end'>> = {}): Recorder {
  const r: Recorder = {
    userId: '',
    sessionId: 'not-checked-here',
    phoneHash: null,
    communities: new Set<string>(),
    ...s,
    frames: [],
    ended: false,
    send: (f: LiveFrame) => r.frames.push(f),
    end: () => (r.ended = true),
  };
  return r;
}
