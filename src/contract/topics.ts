/**
 * Topic layout of the locker contract, the device credential convention, and the
 * per-locker access rule a broker enforces ("a locker may only use its own topics").
 */
import { CONTRACT_VERSION, isLockerId } from './common.ts';

/** Every contract topic starts with this. */
export const TOPIC_ROOT = `antnest/${CONTRACT_VERSION}/lockers`;

/** cmd: cloud → device; res, evt, state, status: device → cloud. */
export const TOPIC_KINDS = ['cmd', 'res', 'evt', 'state', 'status'] as const;
/** One of the five topic kinds. */
export type TopicKind = (typeof TOPIC_KINDS)[number];

/** Topics the device publishes to. */
export const DEVICE_PUBLISHES: readonly TopicKind[] = ['res', 'evt', 'state', 'status'];

/** Topics whose messages are retained by the broker (latest value wins). */
export const RETAINED_KINDS: readonly TopicKind[] = ['state', 'status'];

/** The topic of one locker, e.g. `antnest/v1/lockers/qsh-01-1/cmd`. Throws on a malformed id. */
export function lockerTopic(lockerId: string, kind: TopicKind): string {
  if (!isLockerId(lockerId)) throw new Error(`Malformed locker id "${lockerId}".`);
  return `${TOPIC_ROOT}/${lockerId}/${kind}`;
}

/** Split a contract topic into locker id and kind; null for anything else. */
export function parseLockerTopic(topic: string): { lockerId: string; kind: TopicKind } | null {
  const prefix = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length).split('/');
  if (rest.length !== 2) return null;
  const [lockerId, kind] = rest as [string, string];
  if (!isLockerId(lockerId) || !(TOPIC_KINDS as readonly string[]).includes(kind)) return null;
  return { lockerId, kind: kind as TopicKind };
}

/** The cloud's subscription filter for one kind across all lockers, e.g. `antnest/v1/lockers/+/evt`. */
export function allLockersFilter(kind: TopicKind): string {
  return `${TOPIC_ROOT}/+/${kind}`;
}

/** An MQTT 5 shared subscription so each message is handled by one of several API nodes. */
export function sharedFilter(group: string, kind: TopicKind): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(group)) throw new Error(`Malformed share group "${group}".`);
  return `$share/${group}/${allLockersFilter(kind)}`;
}

/**
 * A locker logs in with its locker id as username and client id, so brokers can write
 * per-locker rules with plain substitution (Mosquitto `pattern … lockers/%u/…`, EMQX
 * `${username}`). Ids starting with `antnest-` are reserved for service accounts.
 */
export const RESERVED_ID_PREFIX = 'antnest-';

/** The MQTT username (and client id) of a locker: its id. */
export function deviceUsername(lockerId: string): string {
  if (!isLockerId(lockerId)) throw new Error(`Malformed locker id "${lockerId}".`);
  return lockerId;
}

/** The locker id behind a device username, or null when the username is not a device's. */
export function lockerIdFromUsername(username: string | undefined | null): string | null {
  return username && isLockerId(username) ? username : null;
}

/** The persistent-session client id a locker uses; equal to its username. */
export const deviceClientId = deviceUsername;

/** Broker rule: may this locker publish to this topic? Only its own res/evt/state/status. */
export function deviceMayPublish(lockerId: string, topic: string): boolean {
  const t = parseLockerTopic(topic);
  return t !== null && t.lockerId === lockerId && DEVICE_PUBLISHES.includes(t.kind);
}

/** Broker rule: may this locker subscribe to this filter? Only exactly its own cmd topic. */
export function deviceMaySubscribe(lockerId: string, filter: string): boolean {
  const t = parseLockerTopic(filter);
  return t !== null && t.lockerId === lockerId && t.kind === 'cmd';
}
