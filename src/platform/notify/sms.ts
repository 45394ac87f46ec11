/**
 * SMS goes through this port. The local adapter (the default, and the only one until a
 * provider is configured) writes a redacted line to the log and, in demo mode, keeps the
 * full text in a dev inbox that /api/v1/dev/sms shows. A real provider (Aliyun, Tencent
 * Cloud SMS…) implements SmsSender and is chosen in buildApp.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import { maskPhone, type Phone } from '../crypto/phone.ts';

export interface SmsSender {
  /** Deliver one text message; resolves once the provider accepted it. */
  send(to: Phone, text: string): Promise<void>;
}

export interface InboxMessage {
  to: Phone;
  text: string;
  sentAt: string;
}

/** The last messages sent, newest last, for demo sign-in without a phone. */
export class DevInbox {
  private readonly messages: InboxMessage[] = [];
  constructor(private readonly capacity = 500) {}
  add(m: InboxMessage): void {
    this.messages.push(m);
    if (this.messages.length > this.capacity) this.messages.shift();
  }
  /** Messages to one phone (or all), newest first. */
  list(to?: Phone): InboxMessage[] {
    return this.messages.filter((m) => !to || m.to === to).reverse();
  }
}

/** Codes (4+ digit runs) never reach the log, only the dev inbox. */
export function redactDigits(text: string): string {
  return text.replace(/\d{4,}/g, (d) => '*'.repeat(d.length));
}

export class LocalSmsSender implements SmsSender {
  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly clock: Clock,
    private readonly inbox: DevInbox | null,
  ) {}

  async send(to: Phone, text: string): Promise<void> {
    this.log.info(
      { sms: { to: maskPhone(to), text: redactDigits(text) } },
      'sms sent (local adapter)',
    );
    this.inbox?.add({ to, text, sentAt: new Date(this.clock.now()).toISOString() });
  }
}
