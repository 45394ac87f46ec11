/** The hall API's response shapes the apps read (mirrors src/modules/hall/*.schemas.ts). */
export interface Hall {
  id: string;
  communityId: string;
  name: string;
  address: string;
  openingHours: string;
  phone: string | null;
  intro: string;
}
export interface Item {
  id: string;
  kind: 'product' | 'service';
  category: string;
  name: string;
  description: string;
  priceFen: number;
  unit: string;
  stock: number | null;
  lowStock: number;
  photos: string[];
  active: boolean;
}
export interface Catalogue {
  hall: Hall;
  categories: { code: string; zh: string; en: string }[];
  items: Item[];
}
export interface Order {
  id: string;
  code: string;
  hallId: string;
  status: 'awaiting_payment' | 'paid' | 'ready' | 'in_locker' | 'completed' | 'cancelled';
  fulfilment: 'pickup' | 'locker';
  totalFen: number;
  refundedFen: number;
  note: string | null;
  createdAt: string;
  paidAt: string | null;
  lines: { itemId: string; name: string; priceFen: number; quantity: number }[];
  parcel: { id: string; status: string; lockerId: string; compartment: number } | null;
}
export interface GroupBuy {
  id: string;
  title: string;
  description: string;
  category: string;
  priceFen: number;
  unit: string;
  targetQty: number;
  joinedQty: number;
  buyers: number;
  deadline: string;
  status: 'open' | 'confirmed' | 'failed';
  proposedByHall: boolean;
  mine: { id: string; quantity: number; fulfilment: string; status: string }[];
}
export interface SpaceDay {
  id: string;
  name: string;
  kind: 'table' | 'meeting_room';
  capacity: number;
  seats: number;
  approvalOver: number | null;
  slotMinutes: number;
  slots: { start: string; free: number }[];
}
export interface Booking {
  id: string;
  spaceId: string;
  spaceName: string;
  start: string;
  end: string;
  partySize: number;
  purpose: string;
  status: 'confirmed' | 'pending_approval' | 'checked_in' | 'cancelled' | 'rejected';
  checkinCode: string | null;
}

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
