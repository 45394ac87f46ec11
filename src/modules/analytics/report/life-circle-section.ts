/** The life circle as a report section: households within the target walks, and how that is measured. */
import type { ReportSection } from './monthly-report.ts';

interface CircleFigures {
  households: number;
  householdsNearHall: number;
  shareNearHall: number;
  shareNearLocker: number;
  medianHallMinutes: number | null;
  unlocatedBuildings: number;
}

interface Walk {
  detourFactor: number;
  speedMPerMin: number;
  hallMinutes: number;
  lockerMinutes: number;
}

/** The section, with a note stating the walking model (households are the weight). */
export function lifeCircleSection(x: CircleFigures, w: Walk): ReportSection {
  const radius = Math.round((w.hallMinutes * w.speedMPerMin) / w.detourFactor);
  return {
    key: 'lifecircle',
    title: `${w.hallMinutes} 分钟生活圈`,
    titleEn: `${w.hallMinutes}-minute life circle`,
    figures: [
      {
        key: 'households',
        label: '已定位住户',
        labelEn: 'Households located',
        value: x.households,
        unit: 'count',
      },
      {
        key: 'householdsNearHall',
        label: `步行 ${w.hallMinutes} 分钟内有服务馆的住户`,
        labelEn: 'Households near a hall',
        value: x.householdsNearHall,
        unit: 'count',
      },
      {
        key: 'shareNearHall',
        label: '服务馆覆盖率',
        labelEn: 'Share near a hall',
        value: x.shareNearHall,
        unit: 'share',
      },
      {
        key: 'shareNearLocker',
        label: `步行 ${w.lockerMinutes} 分钟内有智能柜的住户占比`,
        labelEn: 'Share near a locker',
        value: x.shareNearLocker,
        unit: 'share',
      },
      {
        key: 'medianHallMinutes',
        label: '到最近服务馆的步行时间（中位数）',
        labelEn: 'Median walk to a hall',
        value: x.medianHallMinutes,
        unit: 'minutes',
      },
    ],
    note:
      `按住户（单元登记户数）加权；步行距离 = 直线距离 × ${w.detourFactor}，步速 ${w.speedMPerMin} 米/分钟，` +
      `${w.hallMinutes} 分钟 ≈ 直线 ${radius} 米。按生成时的位置计算` +
      (x.unlocatedBuildings ? `；${x.unlocatedBuildings} 栋楼尚无坐标，未计入。` : '。'),
  };
}
