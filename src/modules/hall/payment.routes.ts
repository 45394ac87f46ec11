/**
 * Where a payment provider posts its notifications (signed, public; platform/payment/callback.routes.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';
import { signedCallbackRoute } from '../../platform/payment/callback.routes.ts';
import { paymentProvider } from '../../platform/payment/payment.port.ts';
import { deliverCallback } from './payment-callback.service.ts';

/** POST /payments/<provider>/callback, for the configured provider. */
export async function paymentRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  signedCallbackRoute(root, {
    url: `/payments/${paymentProvider(deps.config).name}/callback`,
    tags: ['hall'],
    summary:
      'A payment provider notifies a payment outcome (signed; replays are answered and ignored)',
    deliver: (callback) => deliverCallback(deps, callback),
  });
}
