/**
 * What one TCP connection may cost the embedded broker before and after it logs in.
 * Aedes' parser buffers a packet of whatever length its header declares (up to MQTT's
 * 256 MiB), so one socket declaring a 100 MiB CONNECT grew a node by 100 MB; it also
 * has no cap on sockets that never log in. PacketGuard reads only the fixed headers of
 * the bytes Aedes reads, so an oversized packet is refused on its first chunk.
 */
import { MAX_PAYLOAD_BYTES } from '../../contract/validate.ts';

/** The embedded broker's limits (docs/mqtt-brokers.md and docs/security.md name the same values). */
export interface MqttLimits {
  /** Largest packet an authenticated client may send. */
  readonly maxPacketBytes: number;
  /** Bytes a connection may send in all before it is authenticated (its CONNECT and anything pipelined behind it). */
  readonly maxUnauthenticatedBytes: number;
  /** Connections open at once that have not finished logging in; more are closed on accept. */
  readonly maxPendingConnections: number;
  /** A connection must have sent CONNECT and been authenticated within this, or it is closed. */
  readonly connectTimeoutMs: number;
}

export const MQTT_LIMITS: MqttLimits = Object.freeze({
  // The contract refuses payloads over MAX_PAYLOAD_BYTES (256 KiB; a full sync of 512 verifiers, the
  // largest legitimate message, is ~90 KiB); 64 KiB more holds any topic (≤ 65,535 bytes) and header.
  maxPacketBytes: MAX_PAYLOAD_BYTES + 64 * 1024,
  // A locker's CONNECT (client id, username, 43-character secret, a status will) is ~300 bytes.
  maxUnauthenticatedBytes: 16 * 1024,
  // A 10,000-locker fleet reconnects through this 25 at a time, each login taking milliseconds;
  // 1,000 stalled sockets hold at most ~16 MiB of CONNECT bytes between them.
  maxPendingConnections: 1000,
  connectTimeoutMs: 10_000,
});

/** Why a connection was cut, for the log; null while it keeps to the limits. */
export type GuardVerdict = { reason: string; declaredBytes?: number } | null;

/**
 * Follows MQTT packet boundaries through the bytes of one connection (fixed header:
 * one type byte, then the remaining length in 1–4 bytes of 7 bits each) and says when a
 * packet declares more than it may send. It never copies or keeps the bytes.
 */
export class PacketGuard {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;
  private received = 0;
  authenticated = false;

  constructor(
    private readonly limits: Pick<MqttLimits, 'maxPacketBytes' | 'maxUnauthenticatedBytes'>,
  ) {}

  /** Account for a chunk the broker is about to parse. */
  feed(chunk: Uint8Array): GuardVerdict {
    const packet = this.walk(chunk);
    if (packet || this.authenticated) return packet;
    this.received += chunk.length;
    return this.received > this.limits.maxUnauthenticatedBytes
      ? { reason: `more than ${this.limits.maxUnauthenticatedBytes} bytes before logging in` }
      : null;
  }

  /** Step over the packets in a chunk; the first one declaring too much. */
  private walk(chunk: Uint8Array): GuardVerdict {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const skip = Math.min(this.remaining, chunk.length - i);
        this.remaining -= skip;
        i += skip;
        if (this.remaining === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return { reason: 'malformed remaining length' };
        continue;
      }
      const limit = this.authenticated
        ? this.limits.maxPacketBytes
        : this.limits.maxUnauthenticatedBytes;
      if (this.length > limit)
        return {
          reason: `packet of ${this.length} bytes declared; the limit is ${limit}${this.authenticated ? '' : ' before logging in'}`,
          declaredBytes: this.length,
        };
      this.remaining = this.length;
      this.state = this.remaining > 0 ? 'body' : 'type';
    }
    return null;
  }
}

/**
 * Logs refusals without letting a flood of them flood the log: the first of each reason
 * at once, then at most one line per interval carrying how many were refused meanwhile.
 */
export class RefusalLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly warn: (obj: object, msg: string) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record one refusal of this kind. */
  note(kind: string, detail: object): void {
    const t = this.now();
    const seen = this.last.get(kind);
    if (seen && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    if (this.last.size > 100) this.last.clear();
    this.last.set(kind, { at: t, suppressed: 0 });
    this.warn(
      {
        ...detail,
        kind,
        ...(seen?.suppressed ? { alsoRefusedSinceLastLine: seen.suppressed } : {}),
      },
      'mqtt connection refused before login',
    );
  }
}
