/**
 * The monthly report's activity figures from the analytics rollups: turns
 * `communityMonthFigures` (the dashboards' module, ADR 0029) into report sections and
 * charts. The only place that knows both shapes, so either may change on its own.
 */
import { type CommunityMonthFigures, communityMonthFigures } from '../index.ts';
import type { Figure, FiguresSource, ReportChart, ReportSection } from './monthly-report.ts';

const fig = (
  key: string,
  label: string,
  labelEn: string,
  value: number | null,
  unit: Figure['unit'] = 'count',
): Figure => ({ key, label, labelEn, value, unit });

/** Report sections and charts for one community's month. */
export function sectionsOf(f: CommunityMonthFigures): {
  sections: ReportSection[];
  charts: ReportChart[];
} {
  const p = f.parcels;
  const d = f.devices;
  const n = f.needs;
  const h = f.hall;
  return {
    sections: [
      {
        key: 'lockers',
        title: '智能柜与包裹',
        titleEn: 'Lockers and parcels',
        figures: [
          fig('deposits', '投递件数', 'Deposits', p.deposits),
          fig('pickups', '取件次数', 'Pickups', p.pickups),
          fig('overdue', '逾期件数', 'Overdue', p.overdue),
          fig('overdueRate', '逾期率', 'Overdue rate', p.overdueRate, 'share'),
          fig(
            'inUse',
            '平均在用格口',
            'Compartments in use (avg)',
            p.averageCompartmentsInUse,
            'number',
          ),
          fig('lockers', '智能柜数', 'Lockers', d.lockers),
          fig('onlineRate', '在线率', 'Online', d.onlineRate, 'share'),
          fig('jams', '卡门', 'Jams', d.jams),
          fig('uncommandedOpens', '异常开门', 'Uncommanded opens', d.uncommandedOpens),
          fig('uvFailures', '消毒失败', 'UV failures', d.uvFailures),
        ],
      },
      {
        key: 'needs',
        title: '居民诉求',
        titleEn: "Residents' requests",
        figures: [
          fig('opened', '受理', 'Received', n.opened),
          fig('resolved', '办结', 'Resolved', n.resolved),
          fig('needsOverdue', '超时', 'Overdue', n.overdue),
          fig('responseRate', '响应率', 'Response rate', n.responseRate, 'share'),
          fig('resolutionRate', '解决率', 'Resolution rate', n.resolutionRate, 'share'),
          fig('satisfactionRate', '满意率', 'Satisfaction rate', n.satisfactionRate, 'share'),
          fig('averageRating', '平均评分', 'Average rating', n.averageRating, 'number'),
        ],
      },
      {
        key: 'hall',
        title: '服务馆与社区基金',
        titleEn: 'Service hall and community fund',
        figures: [
          fig('orders', '订单', 'Orders', h.orders),
          fig('revenue', '营收', 'Revenue', h.revenueFen, 'fen'),
          fig('groupBuyRate', '团购成团率', 'Group buys succeeded', h.groupBuySuccessRate, 'share'),
          fig('bookings', '场地预约', 'Bookings', h.bookings),
          fig('signups', '活动报名', 'Activity sign-ups', h.signups),
          fig('fundIncome', '社区发展基金收入', 'Community fund income', f.fund.incomeFen, 'fen'),
        ],
      },
    ],
    charts: [
      {
        key: 'carriers',
        title: '各快递/外卖平台投递件数',
        titleEn: 'Deposits by carrier',
        unit: 'count',
        points: p.byCarrier.map((c) => ({ label: c.label, value: c.deposits })),
      },
      {
        key: 'dwell',
        title: '包裹滞留时长分布',
        titleEn: 'Dwell time',
        unit: 'count',
        points: p.dwell.map((b) => ({ label: b.bucket, value: b.count })),
      },
      {
        key: 'needTypes',
        title: '各类诉求受理数',
        titleEn: 'Requests by type',
        unit: 'count',
        points: n.byType.map((t) => ({ label: t.serviceCode, value: t.opened })),
      },
    ],
  };
}

/** The figures source the job and the endpoint use: the analytics rollups. */
export const rollupFigures: FiguresSource = async (db, communityId, month) =>
  sectionsOf(await communityMonthFigures(db, communityId, month));
