/** A settled payment as the subject's settlement sees it. */
import type { PaymentRow } from './payment.repository.ts';

export interface PaymentHandle {
  payment: PaymentRow;
  status: 'paid' | 'failed';
}
