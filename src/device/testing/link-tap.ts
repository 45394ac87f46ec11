/**
 * A Link wrapper for fault-injection tests: inject a message as if the broker had
 * delivered it, or hold back publishes to one topic kind (they never reach the broker).
 */
import { parseLockerTopic, type TopicKind } from '../../contract/topics.ts';
import type { Link, LinkHandlers } from '../ports/link.ts';

/** The tap and the wrapped link. */
export interface LinkTap {
  readonly link: Link;
  /** Deliver a message to the agent as if it came from the broker. */
  inject(topic: string, payload: Buffer | string): void;
  /** Publishes to these kinds hang forever (as if the connection died mid-publish). */
  hold: Set<TopicKind>;
}

/** Wrap a link. */
export function tapLink(inner: Link): LinkTap {
  let handlers: LinkHandlers | undefined;
  const hold = new Set<TopicKind>();
  const link: Link = {
    start: (h) => {
      handlers = h;
      inner.start(h);
    },
    connected: () => inner.connected(),
    publish: (topic, payload, opts) => {
      const kind = parseLockerTopic(topic)?.kind;
      if (kind && hold.has(kind)) return new Promise<void>(() => {});
      return inner.publish(topic, payload, opts);
    },
    drop: () => inner.drop(),
    stop: (farewell) => inner.stop(farewell),
    kill: () => inner.kill(),
  };
  return {
    link,
    hold,
    inject: (topic, payload) => handlers?.onMessage(topic, Buffer.from(payload)),
  };
}
