/** The hall module's public entry. */
export { hallRoutes } from './hall.routes.ts';
export { hallStaffRoutes } from './hall.staff.routes.ts';
export { paymentRoutes } from './payment.routes.ts';
export { sweepHall } from './hall.sweep.ts';
/** The two money transitions the ledger posts from (each runs inside the order's transaction). */
export { markOrderPaid, refundOrder } from './order.service.ts';
/** The public part of a hall's catalogue (the hall kiosk's board shows it). */
export { publicServices } from './catalogue.service.ts';
