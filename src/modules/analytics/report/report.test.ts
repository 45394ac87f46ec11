/**
 * Monthly reports on a real database: the month-start job writes each community's report
 * once, on demand regenerates, HTML and PDF carry the figures, bad months and strangers
 * are refused.
 */
import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../../test/factories.ts';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import { moveM } from '../lifecircle/geo.ts';
import { drawnText, xrefProblems } from './pdf-check.ts';
import {
  buildReportData,
  type FiguresSource,
  generateDueReports,
  noFigures,
} from './report.service.ts';

const ORIGIN = { lat: 30.69, lng: 104.03 };

describeEachDialect('monthly reports', (dialect) => {
  const { t, w } = useWorld(dialect);

  const call = (who: WorldUser, method: InjectOptions['method'], url: string) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: auth(w, who) });
  const base = () => `/analytics/reports/communities/${w.community1}`;

  it('writes every community’s report of the month just ended once (the month-start job)', async () => {
    // Building A beside hall 1, building B 600 m away: half the households within 5 minutes.
    for (const [url, east] of [
      [`/buildings/${w.buildingA}/location`, 0],
      [`/buildings/${w.buildingB}/location`, 600],
      [`/halls/${w.hall1}/location`, 50],
    ] as const) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/v1${url}`,
        headers: auth(w, 'communityWorker1'),
        payload: moveM(ORIGIN, east, 0),
      });
      expect(res.statusCode).toBe(200);
    }
    // The test clock stands in November 2026 (CST): the month just ended is October.
    expect(await generateDueReports(t.deps)).toBe(2);
    expect(await generateDueReports(t.deps)).toBe(0);
    const list = await call('communityWorker1', 'GET', base());
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      expect.objectContaining({
        month: '2026-10',
        trigger: 'schedule',
        pdfPath: `/api/v1${base()}/months/2026-10/report.pdf`,
      }),
    ]);
  });

  it('renders the stored report as printable HTML and as a PDF with the figures', async () => {
    const html = await call('communityWorker1', 'GET', `${base()}/months/2026-10/report.html`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('清水河社区 2026-10 月报');
    expect(html.body).toMatch(/data-key="households".*?>72</);
    expect(html.body).toMatch(/data-key="shareNearHall".*?>50\.0 %</);
    // The activity figures come from the analytics rollups (none happened in this world).
    expect(html.body).toContain('智能柜与包裹');
    expect(html.body).toMatch(/data-key="deposits".*?>0</);
    expect(html.body).not.toContain('Activity figures were not available');

    const pdf = await call('communityWorker1', 'GET', `${base()}/months/2026-10/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(xrefProblems(bytes)).toEqual([]);
    const text = drawnText(bytes);
    expect(text).toContain('72');
    expect(text).toContain('50.0 %');
    expect(text).toContain('清水河社区 2026-10 月报');
  });

  it('generates on demand (again replaces), and refuses a month not begun or malformed', async () => {
    const now = await call('communityWorker1', 'POST', `${base()}/months/2026-11`);
    expect(now.statusCode).toBe(201);
    expect(now.json()).toMatchObject({ month: '2026-11', trigger: 'demand' });
    const again = await call('officer', 'POST', `${base()}/months/2026-10`);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ month: '2026-10', trigger: 'demand' });
    const months = (await call('communityWorker1', 'GET', base())).json();
    expect(months.map((m: { month: string }) => m.month)).toEqual(['2026-11', '2026-10']);

    const future = await call('communityWorker1', 'POST', `${base()}/months/2026-12`);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toContain('has not begun');
    for (const m of ['2026-13', '26-11', '2019-12', 'latest']) {
      const res = await call('communityWorker1', 'POST', `${base()}/months/${m}`);
      expect(res.statusCode, m).toBe(400);
    }
    const none = await call('communityWorker1', 'GET', `${base()}/months/2025-01/report.pdf`);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toContain('POST');
  });

  it('renders whatever figures the source gives (the renderer does not know the source)', async () => {
    const source: FiguresSource = async (_db, communityId, month) => ({
      sections: [
        {
          key: 'lockers',
          title: '智能柜',
          titleEn: 'Lockers',
          figures: [
            { key: 'deposits', label: '投递', labelEn: 'Deposits', value: 4321, unit: 'count' },
          ],
        },
      ],
      charts: [
        {
          key: 'daily',
          title: '每日投递',
          titleEn: 'Daily',
          unit: 'count',
          points: [{ label: month, value: communityId.length }],
        },
      ],
    });
    const data = await buildReportData(t.deps, w.community1, '2026-11', source);
    expect(data.figuresSource).toBe('rollups');
    expect(data.sections.map((s) => s.key)).toEqual(['lockers', 'lifecircle']);
    expect(data.charts[0]!.points).toEqual([{ label: '2026-11', value: 36 }]);
    const none = await buildReportData(t.deps, w.community1, '2026-11', noFigures);
    expect(none.figuresSource).toBe('unavailable');
    expect(none.sections.map((s) => s.key)).toEqual(['lifecircle']);
  });

  it('keeps reports to the community office and the subdistrict', async () => {
    const urls = [
      base(),
      `${base()}/months/2026-10/report.html`,
      `${base()}/months/2026-10/report.pdf`,
    ];
    for (const who of ['residentA', 'courier', 'partner1', 'hallStaff1', 'gridWorker1'] as const) {
      for (const url of urls)
        expect((await call(who, 'GET', url)).statusCode, `${who} ${url}`).toBe(403);
      expect((await call(who, 'POST', `${base()}/months/2026-10`)).statusCode).toBe(403);
    }
    for (const url of urls)
      expect((await call('communityWorker2', 'GET', url)).statusCode).toBe(404);
    expect((await call('communityWorker2', 'POST', `${base()}/months/2026-10`)).statusCode).toBe(
      404,
    );
    expect((await call('admin', 'GET', urls[2]!)).statusCode).toBe(200);
  });
});
