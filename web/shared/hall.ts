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

/** A picture for a category when an item has no photo. */
export const CATEGORY_ICON: Record<string, string> = {
  fruit: '🍊',
  produce: '🥬',
  grocery: '🧴',
  snacks: '🥛',
  medical: '🩺',
  housekeeping: '🧹',
  laundry: '👕',
  repair: '🔧',
  meals: '🍱',
  printing: '🖨️',
  bills: '💡',
  parcels: '📦',
};

export const ORDER_STATUS: Record<Order['status'], string> = {
  awaiting_payment: '待支付',
  paid: '已支付，备货中',
  ready: '已备好，请到馆自取',
  in_locker: '已存入楼下智能柜',
  completed: '已完成',
  cancelled: '已取消',
};
