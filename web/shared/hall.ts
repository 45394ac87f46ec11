/** The hall API's response shapes (derived from the server's schemas in src/web-types.ts) and display helpers. */
import type {
  HallAppointmentDay,
  HallBooking,
  HallCatalogue,
  HallGroupBuy,
  HallGroupJoin,
  HallInfo,
  HallItem,
  HallOrder,
  HallServiceSlots,
  HallSpaceDay,
} from '../../src/web-types.ts';

export type Hall = HallInfo;
export type Item = HallItem;
export type Catalogue = HallCatalogue;
export type Order = HallOrder;
export type GroupBuy = HallGroupBuy;
export type GroupJoin = HallGroupJoin;
export type SpaceDay = HallSpaceDay;
export type Booking = HallBooking;
export type ServiceSlots = HallServiceSlots;
export type AppointmentDay = HallAppointmentDay;

const slotFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const hm = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  hour: '2-digit',
  minute: '2-digit',
});

/** "12/6 10:00–11:00" in Beijing time: an appointment's slot. */
export const slotText = (start: string, end: string) =>
  `${slotFmt.format(new Date(start))}–${hm.format(new Date(end))}`;

/** ¥12.30 */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** The colour of a category's badge when an item has no photo. */
export const CATEGORY_COLOR: Record<string, string> = {
  fruit: '#f08c00',
  produce: '#2f9e44',
  grocery: '#1971c2',
  snacks: '#e8590c',
  medical: '#c92a2a',
  housekeeping: '#5f3dc4',
  laundry: '#1098ad',
  repair: '#495057',
  meals: '#d6336c',
  printing: '#364fc7',
  bills: '#0b7285',
  parcels: '#8d6e63',
};

export const ORDER_STATUS: Record<Order['status'], string> = {
  awaiting_payment: '待支付',
  paid: '已支付，备货中',
  ready: '已备好，请到馆自取',
  in_locker: '已存入楼下智能柜',
  completed: '已完成',
  cancelled: '已取消',
};

/** One character standing for a category on its badge. */
export const CATEGORY_GLYPH: Record<string, string> = {
  fruit: '果',
  produce: '菜',
  grocery: '货',
  snacks: '饮',
  medical: '医',
  housekeeping: '洁',
  laundry: '衣',
  repair: '修',
  meals: '餐',
  printing: '印',
  bills: '费',
  parcels: '递',
};
