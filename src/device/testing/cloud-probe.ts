/**
 * A stand-in for the cloud in device tests: subscribes to every locker's res, evt, state
 * and status, validates each message against the contract (collecting any that fail),
 * keeps facts deduplicated by (lockerId, seq) as the cloud must, and sends commands.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import type { LockerCommand } from '../../contract/commands.ts';
import { newCommandEnvelope } from '../../contract/envelope.ts';
import type { LockerEvent, LockerFact } from '../../contract/events.ts';
import type { CommandResponse } from '../../contract/responses.ts';
import type { LockerState, LockerStatus } from '../../contract/state.ts';
import { allLockersFilter, lockerTopic, parseLockerTopic } from '../../contract/topics.ts';
import { decodeMessage } from '../../contract/validate.ts';
import { type Clock, type Random, cryptoRandom, systemClock } from '../../kernel/clock.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command body without the envelope. */
export type CommandBody = DistributiveOmit<
  LockerCommand,
  'messageId' | 'commandId' | 'lockerId' | 'sentAt' | 'expiresAt'
>;

/** The probe. */
export class CloudProbe {
  readonly invalid: { topic: string; reason: string }[] = [];
  readonly responses: CommandResponse[] = [];
  /** Every event as it arrived, duplicates included. */
  readonly events: LockerEvent[] = [];
  /** Facts by locker, deduplicated by seq (the cloud's inbox). */
  readonly facts = new Map<string, Map<number, LockerFact>>();
  readonly states: LockerState[] = [];
  readonly statuses: LockerStatus[] = [];
  private waiters = new Set<() => void>();

  private constructor(
    readonly client: MqttClient,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** Connect and subscribe. */
  static async connect(
    url: string,
    opts: { clientId?: string; clock?: Clock; random?: Random } = {},
  ): Promise<CloudProbe> {
    const client = mqtt.connect(url, {
      clientId:
        opts.clientId ?? `antnest-probe-${process.pid}-${Math.random().toString(36).slice(2)}`,
      username: 'antnest-cloud-probe',
      clean: false,
      reconnectPeriod: 100,
    });
    const probe = new CloudProbe(client, opts.clock ?? systemClock, opts.random ?? cryptoRandom);
    client.on('connect', () => (client.stream as Socket).setNoDelay?.(true));
    client.on('message', (topic, payload) => probe.onMessage(topic, payload));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(
      ['res', 'evt', 'state', 'status'].map((k) => allLockersFilter(k as 'res')),
      { qos: 1 },
    );
    return probe;
  }

  /** Publish a command; returns its commandId. Pass commandId to resend the same command. */
  async send(
    lockerId: string,
    body: CommandBody,
    opts: { commandId?: string; ttlSeconds?: number; topicLockerId?: string } = {},
  ): Promise<string> {
    const env = newCommandEnvelope({ lockerId, clock: this.clock, random: this.random, ...opts });
    await this.client.publishAsync(
      lockerTopic(opts.topicLockerId ?? lockerId, 'cmd'),
      JSON.stringify({ ...env, ...body }),
      { qos: 1 },
    );
    return env.commandId;
  }

  /** Publish raw bytes on a locker's cmd topic. */
  async sendRaw(lockerId: string, payload: Buffer | string): Promise<void> {
    await this.client.publishAsync(lockerTopic(lockerId, 'cmd'), payload, { qos: 1 });
  }

  /** All responses seen for a commandId. */
  responsesFor(commandId: string): CommandResponse[] {
    return this.responses.filter((r) => r.commandId === commandId);
  }

  /** Facts of a locker in seq order (deduplicated). */
  factsOf(lockerId: string): LockerFact[] {
    return [...(this.facts.get(lockerId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /** Facts of a locker about one compartment, in seq order. */
  factsAt(lockerId: string, compartment: number): LockerFact[] {
    return this.factsOf(lockerId).filter(
      (f) => 'compartment' in f && f.compartment === compartment,
    );
  }

  /** Resolve once the locker has sent a fact of this type; reject after timeoutMs. */
  waitForFact(lockerId: string, type: LockerFact['type'], timeoutMs = 2000): Promise<void> {
    return this.waitFor(() => this.factsOf(lockerId).some((f) => f.type === type), timeoutMs, type);
  }

  /** Resolve when pred holds (checked on every message); reject after timeoutMs. */
  waitFor(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Wait for the final response to a command. */
  async response(commandId: string, timeoutMs = 5000): Promise<CommandResponse> {
    await this.waitFor(
      () => this.responsesFor(commandId).length > 0,
      timeoutMs,
      `response to ${commandId}`,
    );
    return this.responsesFor(commandId)[0]!;
  }

  /** Disconnect. */
  async close(): Promise<void> {
    await this.client.endAsync(true);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const t = parseLockerTopic(topic);
    if (!t) return;
    const v = decodeMessage(t.kind, payload);
    if (!v.ok) {
      this.invalid.push({ topic, reason: v.reason });
    } else if (t.kind === 'res') {
      this.responses.push(v.value as CommandResponse);
    } else if (t.kind === 'evt') {
      const e = v.value as LockerEvent;
      this.events.push(e);
      if ('seq' in e) {
        const inbox = this.facts.get(e.lockerId) ?? new Map<number, LockerFact>();
        if (!inbox.has(e.seq)) inbox.set(e.seq, e);
        this.facts.set(e.lockerId, inbox);
      }
      // Contract v2 (a fact carrying the answer's details): the open_outcome is the open's answer, as the cloud takes it.
      if (e.type === 'open_outcome' && e.relayFired !== undefined) {
        const details: CommandResponse['details'] = { relayFired: e.relayFired };
        if (e.doorNow) details.doorNow = e.doorNow;
        if (e.detectionMs !== undefined) details.detectionMs = e.detectionMs;
        this.responses.push({
          messageId: e.messageId,
          lockerId: e.lockerId,
          sentAt: e.sentAt,
          commandId: e.commandId,
          commandType: 'open',
          status: e.outcome,
          compartment: e.compartment,
          details,
        });
      }
    } else if (t.kind === 'state') {
      this.states.push(v.value as LockerState);
    } else if (t.kind === 'status') {
      this.statuses.push(v.value as LockerStatus);
    }
    for (const w of [...this.waiters]) w();
  }
}
