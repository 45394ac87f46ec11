/** The hall's objects of the victim community for the abuse suites: an order, a group buy and a join of it, a space and a booking of sx5. */
import { dayStart } from '../../src/modules/hall/booking.policy.ts';
import { shanghaiDay } from '../../src/platform/clock.ts';
import type { AbuseWorld } from './world.ts';

/** Make them through the API as the victim resident; their ids by path parameter name. */
export async function hallVictims(
  api: AbuseWorld['api'],
  hallId: string,
): Promise<Record<string, string>> {
  const cat = (await api('sx5', 'GET', `/api/v1/me/halls/${hallId}/catalogue`)).json() as {
    items: { id: string; kind: string; stock: number | null; priceFen: number }[];
  };
  const item = cat.items.find((i) => i.kind === 'product' && (i.stock ?? 0) > 0)!;
  const order = await api('sx5', 'POST', `/api/v1/me/halls/${hallId}/orders`, {
    fulfilment: 'pickup',
    lines: [{ itemId: item.id, quantity: 1, priceFen: item.priceFen }],
  });
  if (order.statusCode !== 201) throw new Error(`hall order: ${order.body}`);
  const buys = (await api('sx5', 'GET', `/api/v1/me/halls/${hallId}/group-buys`)).json();
  // The victim's join of the demo group buy (paid at once by the local provider).
  const joined = await api('sx5', 'POST', `/api/v1/me/group-buys/${buys[0].id}/join`, {
    quantity: 1,
    fulfilment: 'pickup',
  });
  if (joined.statusCode >= 300) throw new Error(`group-buy join: ${joined.body}`);
  const joinId = (joined.json() as { mine: { id: string }[] }).mine[0]!.id;
  const spaces = (await api('sx5', 'GET', `/api/v1/me/halls/${hallId}/spaces`)).json();
  const start = new Date(dayStart(shanghaiDay(Date.now() + 2 * 86_400_000)) + 11 * 3_600_000);
  const booking = await api('sx5', 'POST', `/api/v1/me/hall-spaces/${spaces[0].id}/bookings`, {
    start: start.toISOString(),
    partySize: 2,
    purpose: '下棋',
  });
  if (booking.statusCode !== 201) throw new Error(`hall booking: ${booking.body}`);
  return {
    catalogueItemId: item.id,
    orderId: order.json().id,
    groupBuyId: buys[0].id,
    joinId,
    spaceId: spaces[0].id,
    bookingId: booking.json().id,
  };
}
