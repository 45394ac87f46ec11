/**
 * The API's response shapes as the web apps read them, derived from the routes' TypeBox
 * response schemas with `Static<typeof X>`: change a schema and `npx tsc -p web` (CI's
 * typecheck:web) shows every screen that reads a field no longer sent. Types only: the
 * browser bundle never carries these imports (web/shared/types.ts re-exports them under the
 * names the apps use).
 *
 * The web's type check compiles this file's whole import closure under the web tsconfig, so
 * it must stay schema files only: import `*.schemas.ts` files here, and a `*.schemas.ts` file
 * imports only typebox, `platform/http/schemas.ts`, the contract and other `*.schemas.ts`
 * files — never a route, service or module index.ts (those pull in Fastify and the database,
 * which the web's check neither needs nor compiles cleanly).
 */
import type { Static } from 'typebox';
import type {
  EmployeeReport,
  FinanceView,
  LedgerView,
  StatementView,
} from './modules/ledger/ledger.schemas.ts';
import type {
  HouseholdActsView,
  PublicFundView,
  RoundView,
  SpendView,
} from './modules/fund/fund.schemas.ts';
import type { AppointmentDayView, ServiceSlotsView } from './modules/hall/appointment.schemas.ts';
import type { BookingView, SpaceDay } from './modules/hall/booking.schemas.ts';
import type { CatalogueView, HallView, ItemView } from './modules/hall/catalogue.schemas.ts';
import type { GroupBuyView, HallJoinView } from './modules/hall/groupbuy.schemas.ts';
import type { OrderView } from './modules/hall/order.schemas.ts';
import type { HomesView, RequestView, UnitView } from './modules/identity/household.schemas.ts';
import type { UserView } from './modules/identity/identity.schemas.ts';
import type {
  SubscriptionsView,
  WechatSessionResponse,
  WechatSignedIn,
} from './modules/identity/wechat/wechat.schemas.ts';
import type {
  CourierSendingView,
  OrderView as SendingOrderViewSchema,
  QuoteView,
  TariffsView,
} from './modules/parcels/sending/sending.schemas.ts';
import type { DirectoryEntry } from './modules/lockers/directory.schemas.ts';
import type { AlertView, CompartmentView, LockerView } from './modules/lockers/locker.schemas.ts';
import type { UvCycleView } from './modules/lockers/uv.schemas.ts';
import type {
  AliasView,
  ConsentRequestView,
  PreferencesView,
  RecipientPreferenceView,
} from './modules/parcels/consent/consent.schemas.ts';
import type { FeePaymentView, FeeView } from './modules/parcels/fees/fee.schemas.ts';
import type {
  CourierParcelView,
  DepositView,
  MyParcelView,
  SentParcelView,
} from './modules/parcels/core/parcel.schemas.ts';
import type { StaffParcelView } from './modules/parcels/search/search.schemas.ts';
import type { CarrierView, PlaceLabelView } from './modules/places/places.schemas.ts';
import type { WorkplacesView } from './modules/places/workplace.schemas.ts';
import type {
  ChartTable as ChartTableSchema,
  DashboardView as DashboardViewSchema,
} from './modules/analytics/dashboard.schemas.ts';

/** A resident's own parcel, code included (GET /me/parcels). */
export type MyParcel = Static<typeof MyParcelView>;
/** GET /me/parcels/:parcelId/fee: the overdue fee of a parcel (ADR 0028). */
export type ParcelFee = Static<typeof FeeView>;
/** POST /me/parcels/:parcelId/fee/payments. */
export type ParcelFeePayment = Static<typeof FeePaymentView>;
/** What I deposited for a neighbour or sent with a carrier (GET /me/sent; the phone masked). */
export type SentParcel = Static<typeof SentParcelView>;
/** A locker in the resident directory, with free compartments by size (GET /lockers/directory). */
export type DirectoryLocker = Static<typeof DirectoryEntry>;
/** A courier's new deposit (POST /lockers/{id}/deposits). */
export type Deposit = Static<typeof DepositView>;
/** A parcel as its courier sees it: masked phone, no flat (GET /courier/parcels). */
export type CourierParcel = Static<typeof CourierParcelView>;
/** The signed-in user with their grants (GET /me). */
export type Me = Static<typeof UserView>;
/** Where a locker stands, in words. */
export type PlaceLabel = Static<typeof PlaceLabelView>;
/** My staff and partner roles with places named, and the communities I may pick (GET /me/workplaces). */
export type Workplaces = Static<typeof WorkplacesView>;
/** A parcel as the staff search returns it: masked phone, named place (GET /parcels/search). */
export type StaffParcel = Static<typeof StaffParcelView>;
/** A locker alert (GET /communities/{id}/alerts). */
export type Alert = Static<typeof AlertView>;
/** One compartment of a locker (GET /lockers/{id}). */
export type Compartment = Static<typeof CompartmentView>;
/** One UV cycle of a compartment. */
export type UvCycle = Static<typeof UvCycleView>;
/** A locker in a staff list (GET /communities/{id}/lockers). */
export type LockerSummary = Static<typeof LockerView>;
/** A request to bind a home; `asker` (masked phone) only in the community's queue. */
export type HouseholdRequest = Static<typeof RequestView>;
/** My homes and my requests to bind one (GET /me/homes). */
export type MyHomes = Static<typeof HomesView>;
/** A unit I may bind, or am bound to (GET /me/homes/units, POST /me/homes/join). */
export type HomeUnit = Static<typeof UnitView>;
/** My delivery preferences: the default and one exception per carrier (GET/PUT /me/delivery-preferences). */
export type DeliveryPreferences = Static<typeof PreferencesView>;
/** A carrier or takeout platform (GET /carriers). */
export type Carrier = Static<typeof CarrierView>;
/** The address I give senders instead of my flat (GET/PUT /me/address-alias). */
export type AddressAlias = Static<typeof AliasView>;
/** A recipient's delivery preference as the courier sees it before a deposit (POST /couriers/recipient-preference). */
export type RecipientPreference = Static<typeof RecipientPreferenceView>;
/** A courier's request to use the locker (GET /me/consent-requests). */
export type ConsentRequest = Static<typeof ConsentRequestView>;

// Notices, activities and the hall kiosk (src/modules/notices).
export type {
  ActivitySignups,
  ActivityView,
  NoticeView,
  SignupResult,
} from './modules/notices/notice.schemas.ts';
export type {
  ContactsView,
  HallCard,
  KioskBoard,
  KioskSession,
  SocialSecurityView,
} from './modules/notices/kiosk-views.schemas.ts';
/** A request to the community as its resident sees it (GET /me/needs/{id}). */
export type { NeedView } from './modules/needs/need.schemas.ts';
/** A request as staff see it: routing, deadlines, masked contact (GET /needs/{id}). */
export type { StaffNeedView } from './modules/needs/need.schemas.ts';
/** A request type with its form (GET /needs/services). */
export type { ServiceView } from './modules/needs/catalogue.schemas.ts';
/** An Open311 API client as the console lists it; the key is shown once on creation (GET/POST /open311-clients). */
export type { Open311ClientCreated, Open311ClientView } from './modules/needs/catalogue.schemas.ts';
/** A service hall with its counter phone (GET /me/halls). */
export type HallInfo = Static<typeof HallView>;
/** A catalogue item (product or service). */
export type HallItem = Static<typeof ItemView>;
/** A hall and what it offers (GET /me/halls/{hallId}/catalogue). */
export type HallCatalogue = Static<typeof CatalogueView>;
/** A hall order with its lines and parcel (GET /me/hall-orders). */
export type HallOrder = Static<typeof OrderView>;
/** A group buy with counts and the caller's own joins. */
export type HallGroupBuy = Static<typeof GroupBuyView>;
/** A join of a group buy as the hall console hands it out (unit, never who). */
export type HallGroupJoin = Static<typeof HallJoinView>;
/** A bookable space with its slots on a day. */
export type HallSpaceDay = Static<typeof SpaceDay>;
/** A booking (the check-in code only for its owner). */
export type HallBooking = Static<typeof BookingView>;
/** A service's appointment slots on a day (GET /me/halls/{hallId}/services/{itemId}/slots). */
export type HallServiceSlots = Static<typeof ServiceSlotsView>;
/** The console's service appointments of a day (GET /halls/{hallId}/appointments). */
export type HallAppointmentDay = Static<typeof AppointmentDayView>;

// Ledger and fund (issue 17).
/** A partner's statement (GET /me/partner). */
export type PartnerStatement = Static<typeof StatementView>;
/** A hall's distribution rules and terms (GET /halls/{id}/finance). */
export type HallFinance = Static<typeof FinanceView>;
/** A hall's balances and journal (GET /halls/{id}/ledger). */
export type HallLedger = Static<typeof LedgerView>;
/** A hall's employees and how many are local residents (GET /halls/{id}/employees). */
export type HallEmployees = Static<typeof EmployeeReport>;
/** A community's fund in the open (GET /public/communities/{id}/fund). */
export type PublicFund = Static<typeof PublicFundView>;
/** A voting round with its proposals. */
export type FundRound = Static<typeof RoundView>;
/** The caller's households in a community's fund (GET /me/communities/{id}/fund-households). */
export type FundHouseholds = Static<typeof HouseholdActsView>;
/** A fund payment request. */
export type FundSpend = Static<typeof SpendView>;

// The 5-minute life circle and monthly reports (src/modules/analytics/lifecircle, report).
/** A community's or subdistrict's life circle: walks, shares, places (GET /analytics/lifecircle/…). */
export type {
  LifeCircleView,
  PlanView,
} from './modules/analytics/lifecircle/lifecircle.schemas.ts';
/** A stored monthly report (GET /analytics/reports/communities/{id}). */
export type { ReportMetaView } from './modules/analytics/report/report.schemas.ts';
/** A place's dashboard: every chart as a table (GET /analytics/{scope}/{id}). */
export type DashboardView = Static<typeof DashboardViewSchema>;
/** One dashboard chart as a table (GET /analytics/{scope}/{id}/charts/{chart}). */
export type ChartTable = Static<typeof ChartTableSchema>;

/** POST /auth/wechat/session: signed in, or a bind token for the phone check (ADR 0033). */
export type WechatSession = Static<typeof WechatSessionResponse>;
/** POST /auth/wechat/bind. */
export type WechatSignIn = Static<typeof WechatSignedIn>;
/** GET|POST /me/wechat/subscriptions: the templates and the one-time grants left. */
export type WechatSubscriptions = Static<typeof SubscriptionsView>;
/** GET /me/sending/tariffs and the operator's /sending/tariffs. */
export type SendingTariffs = Static<typeof TariffsView>;
/** POST /me/sending/quotes. */
export type SendingQuote = Static<typeof QuoteView>;
/** A sending order as its sender sees it (POST|GET /me/sending/orders…). */
export type SendingOrder = Static<typeof SendingOrderViewSchema>;
/** A paid parcel to collect as the carrier's courier sees it (GET /courier/sending/orders). */
export type CourierSending = Static<typeof CourierSendingView>;
