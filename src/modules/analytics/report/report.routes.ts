import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ADMIN_ROLES } from '../../../platform/auth/roles.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { renderReportHtml } from './report-html.ts';
import { renderReportPdf } from './report-pdf.ts';
import * as s from './report.schemas.ts';
import * as service from './report.service.ts';

const tags = ['analytics'];
const security = [{ bearer: [] }];

/** The community office, the subdistrict and operator admins read and generate a community's reports. */
const office = {
  roles: ADMIN_ROLES,
  object: (req: { params: unknown }) => ({
    kind: 'community',
    id: (req.params as { communityId?: string }).communityId ?? '',
  }),
};

const present = (m: service.ReportMeta): s.ReportMetaView => {
  const base = `/api/v1/analytics/reports/communities/${m.communityId}/months/${m.month}`;
  return { ...m, htmlPath: `${base}/report.html`, pdfPath: `${base}/report.pdf` };
};

/** Monthly community reports: list, generate on demand, read as HTML or PDF. */
export async function reportRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/analytics/reports/communities/:communityId', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: "A community's monthly reports, newest first",
      params: s.CommunityParams,
      response: { 200: Type.Array(s.ReportMetaView), ...errorResponses },
    },
    handler: async (req) => (await service.listReports(deps, req.params.communityId)).map(present),
  });

  app.post('/analytics/reports/communities/:communityId/months/:month', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: "Generate (or regenerate) a community's report of a month now",
      params: s.MonthParams,
      response: { 201: s.ReportMetaView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          present(await service.generateReport(deps, req.params.communityId, req.params.month)),
        ),
  });

  app.get('/analytics/reports/communities/:communityId/months/:month/report.html', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: 'The report as a printable HTML page',
      params: s.MonthParams,
      response: { 200: s.HtmlPage, ...errorResponses },
    },
    handler: async (req, reply) => {
      const data = await service.storedReport(deps, req.params.communityId, req.params.month);
      return reply.type('text/html; charset=utf-8').send(renderReportHtml(data));
    },
  });

  app.get('/analytics/reports/communities/:communityId/months/:month/report.pdf', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: 'The report as a PDF (application/pdf)',
      params: s.MonthParams,
    },
    handler: async (req, reply) => {
      const data = await service.storedReport(deps, req.params.communityId, req.params.month);
      void reply.header('content-type', 'application/pdf');
      void reply.header('content-disposition', `inline; filename="report-${req.params.month}.pdf"`);
      return reply.send(renderReportPdf(data));
    },
  });
}
