/** Request shape of a neighbour deposit. */
import { Type } from 'typebox';
import { PhoneInput } from '../../identity/identity.schemas.ts';
import { Obj } from '../../../platform/http/schemas.ts';

const Size = Type.Enum(['S', 'M', 'L', 'XL']);

export const NeighbourDepositRequest = Obj({
  recipientPhone: PhoneInput,
  size: Size,
  note: Type.Optional(
    Type.String({
      maxLength: 60,
      description:
        'A short note for the neighbour, sent with the code (one line; brackets are dropped)',
    }),
  ),
});
