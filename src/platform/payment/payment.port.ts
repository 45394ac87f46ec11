/**
 * The payment seam (ADR 0022), shared by the hall's orders and parcels' locker fees
 * (ADR 0028: it sits in the platform because parcels may not depend on the hall). A provider starts a payment and later tells us its outcome
 * in a callback whose body it signs; we verify the signature over the exact bytes, record
 * each callback event once (replays change nothing) and check the amount against ours.
 *
 * LocalPaymentProvider settles at once: it "sends" the callback a real provider would,
 * signed with HMAC-SHA256 under a key derived from the server's secrets, and that
 * callback goes through the same verification as one arriving over HTTP. A WeChat Pay
 * (API v3: RSA-SHA256 signature headers, AES-GCM resource) or Alipay (RSA2 over the sorted
 * parameters) adapter implements the same interface: `start` calls the provider's
 * prepay/precreate API, `verify` checks the platform certificate's signature and maps the
 * notification to a PaymentCallback, `refund` calls the refund API.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';

/** The signature header of the local provider (a WeChat Pay adapter reads Wechatpay-Signature instead). */
export const SIGNATURE_HEADER = 'x-antnest-signature';

/** What the provider tells us happened to a payment. */
export interface PaymentCallback {
  /** The provider's id of this notification: the replay key. */
  eventId: string;
  paymentId: string;
  providerRef: string;
  amountFen: number;
  status: 'paid' | 'failed';
}

/** A signed callback as it arrives: the raw body and its signature header. */
export interface SignedCallback {
  body: string;
  signature: string;
}

export interface PaymentProvider {
  readonly name: string;
  /** Start paying; a provider that settles at once returns the callback it sends. */
  start(p: {
    paymentId: string;
    amountFen: number;
    description: string;
  }): Promise<{ providerRef: string; callback?: SignedCallback }>;
  /** Refund part or all of a paid payment to where it came from. */
  refund(p: {
    paymentId: string;
    providerRef: string;
    refundId: string;
    amountFen: number;
  }): Promise<void>;
  /** Check a callback's signature and read it; throws on a bad signature or body. */
  verify(cb: SignedCallback): PaymentCallback;
}

const refused = () =>
  new AppError(
    'unauthenticated',
    '支付回调签名无效，已拒绝。The payment callback signature does not match its body; it was refused.',
  );

/** The local provider: settles at once and signs its callbacks with HMAC-SHA256. */
export class LocalPaymentProvider implements PaymentProvider {
  readonly name = 'local';
  private readonly key: Buffer;
  private seq = 0;

  constructor(secret: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'antnest/hall-payments', 32),
    );
  }

  /** The signature of a body (hex HMAC-SHA256). */
  sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('hex');
  }

  async start(p: { paymentId: string; amountFen: number }) {
    const providerRef = `local-${p.paymentId}`;
    const body = JSON.stringify({
      eventId: `local-paid-${p.paymentId}-${++this.seq}`,
      paymentId: p.paymentId,
      providerRef,
      amountFen: p.amountFen,
      status: 'paid',
    } satisfies PaymentCallback);
    return { providerRef, callback: { body, signature: this.sign(body) } };
  }

  async refund(): Promise<void> {
    // The local wallet returns money at once; nothing can fail.
  }

  verify(cb: SignedCallback): PaymentCallback {
    const want = Buffer.from(this.sign(cb.body), 'hex');
    const got = Buffer.from(/^[0-9a-f]{64}$/.test(cb.signature) ? cb.signature : '', 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want)) throw refused();
    let v: Partial<PaymentCallback>;
    try {
      v = JSON.parse(cb.body) as Partial<PaymentCallback>;
    } catch {
      throw new AppError('validation_failed', 'The payment callback body is not JSON.');
    }
    if (
      typeof v.eventId !== 'string' ||
      typeof v.paymentId !== 'string' ||
      typeof v.providerRef !== 'string' ||
      !Number.isSafeInteger(v.amountFen) ||
      (v.status !== 'paid' && v.status !== 'failed')
    )
      throw new AppError('validation_failed', 'The payment callback lacks a required field.');
    return v as PaymentCallback;
  }
}

const providers = new WeakMap<Config, PaymentProvider>();

/** The configured payment provider (the local one until a real adapter is wired here). */
export function paymentProvider(config: Config): PaymentProvider {
  let p = providers.get(config);
  if (!p) {
    p = new LocalPaymentProvider(config.secrets.tokenKey);
    providers.set(config, p);
  }
  return p;
}
