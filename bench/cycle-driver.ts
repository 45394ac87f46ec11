/**
 * Drives full parcel cycles against a running node and its simulated fleet, as people
 * and lockers would: a courier deposits through the HTTP API, the compartment opens on
 * the device, the courier puts the parcel in and shuts the door, the resident reads the
 * code in the SMS, types it on the locker's screen, the door opens, they take the parcel
 * and shut the door. Every step crosses the real MQTT path.
 */
import type { FleetHandle } from '../src/device/fleet.ts';
import { seededRandom } from '../src/device/prng.ts';
import type { BenchNode } from './child.ts';
import { httpJson } from './load.ts';

/** Step latencies of one window (ms). */
export interface StepSamples {
  /** POST deposit → 201 (from the arrival's intended start). */
  deposit: number[];
  /** POST deposit → the door pops open at the device. */
  depositOpen: number[];
  /** Door shut on the parcel → the SMS with the code leaves the node. */
  notice: number[];
  /** Code typed on the screen → the door pops open at the device. */
  pickup: number[];
}

/** Counts of a window. */
export interface CycleTally {
  started: number;
  completed: number;
  failed: number;
  errors: Record<string, number>;
  lastDoneAt: number;
}

const SIZES = ['S', 'S', 'S', 'S', 'M', 'M', 'L'] as const;

/** Keyed one-shot waiters that also keep what arrived before anyone waited. */
class Mailbox<T> {
  private readonly waiting = new Map<string, (v: T) => void>();
  private readonly early = new Map<string, { v: T; at: number }>();
  put(key: string, v: T): void {
    const w = this.waiting.get(key);
    if (w) {
      this.waiting.delete(key);
      w(v);
    } else this.early.set(key, { v, at: performance.now() });
  }
  take(key: string, timeoutMs: number, notBefore: number): Promise<T> {
    const e = this.early.get(key);
    if (e) {
      this.early.delete(key);
      if (e.at >= notBefore) return Promise.resolve(e.v);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`timeout:${key.split(':')[0]}`));
      }, timeoutMs);
      this.waiting.set(key, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
    });
  }
}

/** The cycle driver over one node and one fleet. */
export class CycleDriver {
  private readonly doors = new Mailbox<number>();
  private readonly codes = new Mailbox<{ code: string; at: number }>();
  private readonly lockerIds: string[];
  private phoneSeq = 0;
  private tokens: string[] = [];
  /** Hears SMS that carry no pickup code (sign-in codes). */
  otherSms: ((phone: string, body: string) => void) | undefined;

  constructor(
    private readonly node: BenchNode,
    private readonly httpUrl: string,
    private readonly fleet: FleetHandle,
    private readonly seed: string,
  ) {
    this.lockerIds = [...fleet.members.keys()];
    for (const m of fleet.members.values()) {
      m.bus.subscribe((e) => {
        if (e.type === 'door' && e.open)
          this.doors.put(`door:${m.lockerId}:${e.compartment}`, performance.now());
      });
    }
    node.onSms((phone, body, at) => {
      const code = /取件码\s*(\d+)/.exec(body)?.[1];
      if (code) this.codes.put(`sms:${phone.replace(/\D/g, '').slice(-11)}`, { code, at });
      else this.otherSms?.(phone, body);
    });
  }

  /** Sign the demo's express couriers in (argon2: once per benchmark, not per cycle). */
  async signIn(password: string): Promise<void> {
    for (const c of ['sf', 'zto', 'yto', 'yunda', 'jd', 'ems']) {
      const r = await httpJson(`${this.httpUrl}/api/v1/auth/login`, 'POST', {
        username: `courier.${c}`,
        password,
      });
      if (r.status !== 200)
        throw new Error(`courier.${c} login: ${r.status} ${JSON.stringify(r.body)}`);
      this.tokens.push((r.body as { accessToken: string }).accessToken);
    }
  }

  /** An arrival source for one window: which locker, courier and size each cycle uses. */
  picker(window: string) {
    const rng = seededRandom(`${this.seed}:${window}`);
    return () => ({
      lockerId: this.lockerIds[rng.int(this.lockerIds.length)]!,
      token: this.tokens[rng.int(this.tokens.length)]!,
      size: SIZES[rng.int(SIZES.length)]!,
    });
  }

  /** Deposit one parcel for `phone` and shut it in; resolves once the SMS with its code left the node. */
  async depositAndStore(phone: string): Promise<string> {
    const pick = this.picker(`store-${phone}-${++this.phoneSeq}`)();
    const res = await httpJson(
      `${this.httpUrl}/api/v1/lockers/${pick.lockerId}/deposits`,
      'POST',
      { waybill: `WEB${Date.now()}${this.phoneSeq}`, recipientPhone: phone, size: 'S' },
      { authorization: `Bearer ${pick.token}` },
    );
    if (res.status !== 201) throw new Error(`deposit ${res.status}: ${JSON.stringify(res.body)}`);
    const compartment = (res.body as { compartment: number }).compartment;
    const t = performance.now();
    await this.doors.take(`door:${pick.lockerId}:${compartment}`, 20_000, t - 1000);
    const member = this.fleet.members.get(pick.lockerId)!;
    member.bus.setOccupied(compartment, true);
    member.bus.closeDoor(compartment);
    return (await this.codes.take(`sms:${phone}`, 60_000, t)).code;
  }

  /** One full cycle; pushes its step latencies and counts it. `prefix` marks the waybills of this window. */
  async cycle(
    pick: { lockerId: string; token: string; size: string },
    intendedAt: number,
    prefix: string,
    s: StepSamples,
    tally: CycleTally,
  ): Promise<void> {
    tally.started++;
    const phone = `136${String(++this.phoneSeq % 1e8).padStart(8, '0')}`; // not the demo residents (138…): recipients without an account, like most parcels
    const member = this.fleet.members.get(pick.lockerId)!;
    try {
      const res = await httpJson(
        `${this.httpUrl}/api/v1/lockers/${pick.lockerId}/deposits`,
        'POST',
        { waybill: `${prefix}${phone}`, recipientPhone: phone, size: pick.size },
        { authorization: `Bearer ${pick.token}` },
      );
      if (res.status !== 201)
        throw new Error(
          `deposit:${res.status}:${(res.body as { error?: { code?: string } })?.error?.code ?? ''}`,
        );
      s.deposit.push(performance.now() - intendedAt);
      const compartment = (res.body as { compartment: number }).compartment;
      const doorKey = `door:${pick.lockerId}:${compartment}`;
      const opened = await this.doors.take(doorKey, 20_000, intendedAt);
      s.depositOpen.push(opened - intendedAt);
      member.bus.setOccupied(compartment, true);
      member.bus.closeDoor(compartment);
      const shut = performance.now();
      const sms = await this.codes.take(`sms:${phone}`, 60_000, intendedAt);
      s.notice.push(sms.at - performance.timeOrigin - shut);
      const typed = performance.now();
      const reply = await member.agent.enterCode(sms.code);
      if (reply.result !== 'sent' && reply.result !== 'opened')
        throw new Error(`screen:${reply.result}`);
      const open2 = await this.doors.take(doorKey, 20_000, typed);
      s.pickup.push(open2 - typed);
      member.bus.setOccupied(compartment, false);
      member.bus.closeDoor(compartment);
      tally.completed++;
      tally.lastDoneAt = performance.now();
    } catch (e) {
      tally.failed++;
      // "deposit:409:compartment_taken": the step, the status and the API's error code.
      const k = (e as Error).message.split(':').slice(0, 3).join(':');
      tally.errors[k] = (tally.errors[k] ?? 0) + 1;
    }
  }
}
