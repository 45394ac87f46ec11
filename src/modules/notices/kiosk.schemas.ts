/** Shapes of the hall kiosk's routes (the whitelist of what the kiosk shows). */
import { Type } from 'typebox';
import { PhoneInput } from '../identity/index.ts';
import { Id, Obj } from '../../platform/http/schemas.ts';

export const KioskSignIn = Obj({
  hallId: Id,
  phone: PhoneInput,
  code: Type.String({
    pattern: '^[0-9]{6}$',
    description: 'The 6-digit code sent by POST /auth/otp',
  }),
});

export * from './kiosk-views.schemas.ts';
