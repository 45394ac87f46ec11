/** The hall module's public entry. */
export { appointmentRoutes } from './appointment.routes.ts';
export { groupBuyStaffRoutes } from './groupbuy.staff.routes.ts';
export { hallRoutes } from './hall.routes.ts';
export { hallStaffRoutes } from './hall.staff.routes.ts';
export { paymentRoutes } from './payment.routes.ts';
export { sweepHall } from './hall-sweep.service.ts';
/** The two money transitions the ledger posts from (each runs inside the order's transaction). */
export { markOrderPaid, refundOrder } from './order.service.ts';
/** The public part of a hall's catalogue (the hall kiosk's board shows it). */
export { publicServices } from './catalogue.service.ts';
export { onHallFact, type HallFact, type HallFactHandler } from './hall.events.ts';
export { hallFactsPage } from './hall-facts.repository.ts';
