/**
 * The whole database as Kysely sees it: each domain declares its tables in its own
 * `*.table.ts`, and this file only joins them.
 */
import type { AnalyticsTables } from '../modules/analytics/analytics.table.ts';
import type { IdentityTables } from '../modules/identity/identity.table.ts';
import type { WechatTables } from '../modules/identity/wechat/wechat.table.ts';
import type { HouseholdTables } from '../modules/identity/household.table.ts';
import type { LedgerTables } from '../modules/ledger/ledger.table.ts';
import type { FundTables } from '../modules/fund/fund.table.ts';
import type { ReportTables } from '../modules/analytics/report/report.table.ts';
import type { LockerTables } from '../modules/lockers/locker.table.ts';
import type { UvTables } from '../modules/lockers/uv.table.ts';
import type { DirectoryTables } from '../modules/lockers/directory.table.ts';
import type { ConsentTables } from '../modules/parcels/consent/consent.table.ts';
import type { OverdueTables } from '../modules/parcels/overdue/overdue.table.ts';
import type { SendingTables } from '../modules/parcels/sending/sending.table.ts';
import type { FeeTables } from '../modules/parcels/fees/fee.table.ts';
import type { ParcelTables } from '../modules/parcels/core/parcel.table.ts';
import type { ShareTables } from '../modules/parcels/sharing/share.table.ts';
import type { NoticeTables } from '../modules/notices/notice.table.ts';
import type { NeedTables } from '../modules/needs/need.table.ts';
import type { HallTables } from '../modules/hall/hall.table.ts';
import type { PlacesTables } from '../modules/places/places.table.ts';
import type { IdempotencyTables } from '../platform/idempotency/idempotency.table.ts';
import type { JobTables } from '../platform/jobs/job.table.ts';
import type { PlatformTables } from '../platform/platform.table.ts';

export interface DB
  extends
    PlatformTables,
    IdempotencyTables,
    PlacesTables,
    IdentityTables,
    WechatTables,
    LockerTables,
    ParcelTables,
    ConsentTables,
    OverdueTables,
    FeeTables,
    SendingTables,
    ShareTables,
    JobTables,
    HouseholdTables,
    UvTables,
    DirectoryTables,
    NoticeTables,
    NeedTables,
    HallTables,
    LedgerTables,
    FundTables,
    AnalyticsTables,
    ReportTables {}
