/**
 * The contract's access rule for MQTT clients — a locker uses only its own topics, the
 * cloud's service account anything under `antnest/` — and who may use which client id.
 * The embedded broker (broker.ts) and the EMQX hooks (modules/lockers/mqtt-auth.routes.ts)
 * both answer with it, so both brokers behave alike.
 */
import {
  deviceMayPublish,
  deviceMaySubscribe,
  lockerIdFromUsername,
} from '../../contract/topics.ts';

/** Who an authenticated MQTT client is. */
export type MqttRole = 'device' | 'service';

/** What a login was granted. */
export interface MqttGrant {
  readonly role: MqttRole;
  /** Which credential was accepted (a locker: its secret's hash), so a revocation can find the sessions it opened. */
  readonly credential?: string;
}

/** Checks a client's credentials; what it may act as, or null to refuse. */
export type MqttAuthenticate = (
  username: string,
  password: Buffer,
  clientId: string,
) => Promise<MqttGrant | null>;

/** An authenticated client as the access rule sees it. */
export interface MqttPrincipal {
  readonly role: MqttRole;
  readonly username: string;
  readonly credential?: string;
}

/** Everything the cloud's service account may touch starts with this. */
export const SERVICE_TOPIC_PREFIX = 'antnest/';

/** The access rule: may this principal publish to (or subscribe to) this topic or filter? */
export function mqttAclAllows(
  who: MqttPrincipal,
  action: 'publish' | 'subscribe',
  topic: string,
): boolean {
  if (who.role === 'service') {
    // Scale-out nodes share subscriptions ($share/<group>/<filter>); the filter decides.
    const filter = action === 'subscribe' ? topic.replace(/^\$share\/[^/#+]+\//, '') : topic;
    return filter.startsWith(SERVICE_TOPIC_PREFIX);
  }
  const lockerId = lockerIdFromUsername(who.username);
  if (lockerId === null) return false;
  return action === 'publish'
    ? deviceMayPublish(lockerId, topic)
    : deviceMaySubscribe(lockerId, topic);
}

/**
 * Why an authenticated client may not use this client id, or null when it may. A device's
 * client id must equal its username, so it cannot take over another locker's persistent
 * session; nobody else may use a device's client id.
 */
export function identityProblem(role: MqttRole, username: string, clientId: string): string | null {
  if (role === 'device') {
    if (lockerIdFromUsername(username) === null) return 'a device username must be its locker id';
    if (clientId !== username) return 'a device must use its username as client id';
    return null;
  }
  if (lockerIdFromUsername(clientId) !== null)
    return 'only the locker itself may use a locker client id';
  return null;
}
