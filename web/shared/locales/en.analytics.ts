/** English for the dashboards: Chinese source text → English (a missing entry shows the Chinese). */
export const EN_ANALYTICS: Record<string, string> = {
  数据看板: 'Dashboards',
  日期范围: 'Date range',
  投递: 'Deposits',
  取件: 'Pickups',
  超期率: 'Overdue rate',
  新诉求: 'New requests',
  '服务馆营收（元）': 'Hall revenue (yuan)',
  '基金收入（元）': 'Fund income (yuan)',
  '下钻：': 'Drill down:',
  '导出 CSV': 'Export CSV',
  '柜机使用热力图（星期 × 小时）': 'Locker use heatmap (weekday × hour)',
  滞留时长分布与超期率: 'Dwell time and overdue rate',
  各快递公司投递量与超期率: 'Deposits and overdue rate by carrier',
  投递与取件高峰时段: 'Peak hours of deposits and pickups',
  各社区设备健康: 'Device health by community',
  各柜机设备健康: 'Device health by locker',
  '各类诉求：响应、办结、满意度与超期':
    'Requests by type: response, resolution, satisfaction, overdue',
  '服务馆：营收、订单、团购成团、预约与活动报名':
    'Hall: revenue, orders, group buys, bookings, sign-ups',
  '社区发展基金收入（按来源）': 'Community fund income by source',
  下级区域: 'Places below',
};
