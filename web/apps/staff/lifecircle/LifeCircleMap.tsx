/**
 * The life circle drawn from coordinates alone (no online tiles can be reached): an SVG
 * in local metres around the places' centre. Buildings are coloured by the walk to their
 * nearest hall, halls and lockers are markers, each hall has its target-walk circle, and
 * the planner's proposed sites are numbered with their circles dashed.
 */
import { useMemo } from 'react';
import { useT } from '../../../shared/i18n.ts';
import type { LifeCircleView, PlanView } from '../../../../src/web-types.ts';

const W = 900;
const H = 620;
const PAD = 24;
/** The legend's band at the top. */
const TOP = 64;
const M_PER_DEG = 111_320;

/** Walk minutes → colour (within target green, a little over amber, far red, unknown grey). */
export function walkColour(minutes: number | null | undefined, target: number): string {
  if (minutes === null || minutes === undefined) return '#b8c2bf';
  if (minutes <= target * 0.6) return '#1a9850';
  if (minutes <= target) return '#91cf60';
  if (minutes <= target * 1.6) return '#fdae61';
  return '#d73027';
}

interface Pt {
  lat: number;
  lng: number;
}

/** The map of one life-circle answer and, when given, a plan's proposals. */
export function LifeCircleMap({ data, plan }: { data: LifeCircleView; plan: PlanView | null }) {
  const { t } = useT();
  const hallMinutes = data.settings.hallMinutes;
  const located = <T extends { lat: number | null; lng: number | null }>(xs: T[]) =>
    xs.filter((x): x is T & Pt => x.lat !== null && x.lng !== null);
  const buildings = located(data.buildings);
  const halls = located(data.halls);
  const lockers = located(data.lockerSites);

  const proj = useMemo(() => {
    // Each point with the margin it needs: a hall or proposed site its whole circle.
    const r = data.settings.hallRadiusM;
    const pts: [Pt, number][] = [
      ...buildings.map((b): [Pt, number] => [b, 30]),
      ...halls.map((h): [Pt, number] => [h, r]),
      ...(plan?.proposals ?? []).map((p): [Pt, number] => [p, plan!.radiusM]),
    ];
    if (pts.length === 0) return null;
    const lat0 = pts.reduce((a, [p]) => a + p.lat, 0) / pts.length;
    const cos = Math.cos((lat0 * Math.PI) / 180);
    const xy = (p: Pt) => ({ x: p.lng * cos * M_PER_DEG, y: -p.lat * M_PER_DEG });
    const all = pts.map(([p, m]) => ({ ...xy(p), m }));
    const minX = Math.min(...all.map((p) => p.x - p.m));
    const maxX = Math.max(...all.map((p) => p.x + p.m));
    const minY = Math.min(...all.map((p) => p.y - p.m));
    const maxY = Math.max(...all.map((p) => p.y + p.m));
    const scale = Math.min(
      (W - 2 * PAD) / (maxX - minX || 1),
      (H - TOP - PAD) / (maxY - minY || 1),
    );
    // Centre the drawing in the free area.
    const ox = PAD + (W - 2 * PAD - (maxX - minX) * scale) / 2;
    const oy = TOP + (H - TOP - PAD - (maxY - minY) * scale) / 2;
    return {
      scale,
      at: (p: Pt) => {
        const q = xy(p);
        return { x: ox + (q.x - minX) * scale, y: oy + (q.y - minY) * scale };
      },
    };
  }, [buildings, halls, plan, data.settings.hallRadiusM]);

  if (!proj)
    return (
      <div data-testid="lifecircle-map-empty">
        {t('这里的楼栋还没有坐标，设置坐标后即可绘制地图')}
      </div>
    );
  const r = data.settings.hallRadiusM * proj.scale;
  const bar = 100 * proj.scale;
  return (
    <svg
      data-testid="lifecircle-map"
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      style={{ maxWidth: W, background: '#f6f8f7', border: '1px solid #d9e2df', borderRadius: 6 }}
      role="img"
      aria-label={t('5 分钟生活圈地图')}
    >
      {halls.map((h) => {
        const p = proj.at(h);
        return (
          <circle
            key={`r-${h.id}`}
            cx={p.x}
            cy={p.y}
            r={r}
            fill="#1f8a70"
            fillOpacity={0.08}
            stroke="#1f8a70"
            strokeWidth={1.5}
          />
        );
      })}
      {plan?.proposals.map((s) => {
        const p = proj.at(s);
        return (
          <circle
            key={`pr-${s.rank}`}
            cx={p.x}
            cy={p.y}
            r={plan.radiusM * proj.scale}
            fill="#7b3294"
            fillOpacity={0.06}
            stroke="#7b3294"
            strokeWidth={1.5}
            strokeDasharray="6 4"
          />
        );
      })}
      {buildings.map((b) => {
        const p = proj.at(b);
        const m = b.nearestHall?.minutes;
        return (
          <rect
            key={b.id}
            data-testid="map-building"
            x={p.x - 7}
            y={p.y - 5}
            width={14}
            height={10}
            rx={2}
            fill={walkColour(m, hallMinutes)}
            stroke="#4d5a57"
            strokeWidth={0.5}
          >
            <title>
              {`${b.compoundName}${b.name} · ${b.households} ${t('户')} · ${m === undefined ? t('无服务馆') : t('步行 {{m}} 分钟到服务馆', { m: m.toFixed(1) })}`}
            </title>
          </rect>
        );
      })}
      {lockers.map((l) => {
        const p = proj.at(l);
        return (
          <circle key={l.id} cx={p.x} cy={p.y + 8} r={2} fill="#264653">
            <title>{`${t('智能柜')} · ${l.name}`}</title>
          </circle>
        );
      })}
      {halls.map((h) => {
        const p = proj.at(h);
        return (
          <g key={h.id} data-testid="map-hall">
            <path
              d={`M ${p.x} ${p.y - 12} L ${p.x + 11} ${p.y + 8} L ${p.x - 11} ${p.y + 8} Z`}
              fill="#0a3d30"
              stroke="#fff"
              strokeWidth={1.5}
            />
            <title>{`${t('服务馆')} · ${h.name}`}</title>
          </g>
        );
      })}
      {plan?.proposals.map((s) => {
        const p = proj.at(s);
        return (
          <g key={`p-${s.rank}`} data-testid="map-proposal">
            <circle cx={p.x} cy={p.y} r={11} fill="#7b3294" stroke="#fff" strokeWidth={1.5} />
            <text
              x={p.x}
              y={p.y + 4}
              fontSize={12}
              fill="#fff"
              textAnchor="middle"
              fontWeight={700}
            >
              {s.rank}
            </text>
            <title>{`${t('建议选址')} ${s.rank} · ${s.label} · +${s.gainHouseholds} ${t('户')}`}</title>
          </g>
        );
      })}
      <g transform={`translate(${PAD}, ${H - 16})`}>
        <line x1={0} y1={0} x2={bar} y2={0} stroke="#333" strokeWidth={2} />
        <text x={bar + 6} y={4} fontSize={11}>
          100 m
        </text>
      </g>
      <g transform="translate(16, 14)" fontSize={11}>
        {[
          [walkColour(0, hallMinutes), t('≤ {{m}} 分钟', { m: (hallMinutes * 0.6).toFixed(0) })],
          [walkColour(hallMinutes, hallMinutes), t('≤ {{m}} 分钟', { m: hallMinutes })],
          [
            walkColour(hallMinutes * 1.5, hallMinutes),
            t('≤ {{m}} 分钟', { m: (hallMinutes * 1.6).toFixed(0) }),
          ],
          [walkColour(hallMinutes * 3, hallMinutes), t('更远')],
        ].map(([c, label], i) => (
          <g key={label} transform={`translate(${(i % 2) * 80}, ${Math.floor(i / 2) * 16})`}>
            <rect width={14} height={10} fill={c} rx={2} />
            <text x={20} y={9}>
              {label}
            </text>
          </g>
        ))}
        <text x={190} y={9}>
          ▲ {t('服务馆')}
        </text>
        <text x={190} y={25}>
          ● {t('智能柜')}
        </text>
        <text x={300} y={9} fill="#7b3294">
          ◉ {t('建议选址')}
        </text>
        <text x={300} y={25} fill="#1f8a70">
          ○{' '}
          {t('{{r}} 米直线 ≈ {{m}} 分钟步行', {
            r: Math.round(data.settings.hallRadiusM),
            m: hallMinutes,
          })}
        </text>
      </g>
    </svg>
  );
}
