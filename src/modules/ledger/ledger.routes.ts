/**
 * Finance routes of a hall: distribution rules and terms (community office edits, hall
 * staff read), balances and the journal (JSON and CSV), partner agreements, period
 * closes, statements, employees; and a partner's own statements under /me/partner.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { closePeriod } from './close.service.ts';
import { hallBalances, hallJournal, journalCsv } from './journal.service.ts';
import * as s from './ledger.schemas.ts';
import { agreementsOfHall, closesOf } from './partner.repository.ts';
import * as partners from './partner.service.ts';
import { hallFinance, saveHallFinance } from './rules.service.ts';

const security = [{ bearer: [] }];
const tags = ['ledger'];
const viewers = ['hall_staff', ...ADMIN_ROLES] as const;
const hall = (req: { params: unknown }) => ({
  kind: 'hall',
  id: (req.params as { hallId: string }).hallId,
});
const closeView = (c: {
  period: string;
  profit_fen: number;
  dividends_fen: number;
  entry_id: string | null;
  closed_at: string;
}) => ({
  period: c.period,
  profitFen: c.profit_fen,
  dividendsFen: c.dividends_fen,
  entryId: c.entry_id,
  closedAt: c.closed_at,
});

/** Register the ledger routes. */
export async function ledgerRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const manage = { roles: ADMIN_ROLES, object: hall };
  const view = { roles: viewers, object: hall };

  app.get('/halls/:hallId/finance', {
    config: { access: view },
    schema: {
      tags,
      security,
      summary: "A hall's distribution rules, total shares and payout",
      params: s.HallParams,
      response: { 200: s.FinanceView, ...errorResponses },
    },
    handler: async (req) => hallFinance(deps.db, req.params.hallId),
  });

  app.put('/halls/:hallId/finance', {
    config: { access: manage },
    schema: {
      tags,
      security,
      summary: "Replace a hall's distribution rules and terms",
      params: s.HallParams,
      body: s.FinanceInput,
      response: { 200: s.FinanceView, ...errorResponses },
    },
    handler: async (req) =>
      saveHallFinance(deps, req.params.hallId, req.body, principalOf(req).userId),
  });

  app.get('/halls/:hallId/ledger', {
    config: { access: view },
    schema: {
      tags,
      security,
      summary: "Balances of the hall's accounts and its journal (filters: kind, from, to)",
      params: s.HallParams,
      querystring: s.JournalQuery,
      response: { 200: s.LedgerView, ...errorResponses },
    },
    handler: async (req) => ({
      balances: await hallBalances(deps.db, req.params.hallId),
      entries: await hallJournal(deps.db, req.params.hallId, {
        ...req.query,
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
      }),
    }),
  });

  app.get('/halls/:hallId/ledger/journal.csv', {
    config: { access: view },
    schema: {
      tags,
      security,
      summary: "The hall's journal as CSV (one row per posting)",
      params: s.HallParams,
      querystring: s.JournalQuery,
      response: { 200: Type.String(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const rows = await hallJournal(deps.db, req.params.hallId, {
        ...req.query,
        limit: req.query.limit ?? 500,
        offset: req.query.offset ?? 0,
      });
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="journal.csv"');
      return journalCsv(rows);
    },
  });

  app.get('/halls/:hallId/partners', {
    config: { access: view },
    schema: {
      tags,
      security,
      summary: "A hall's partner agreements",
      params: s.HallParams,
      response: { 200: Type.Array(s.AgreementView), ...errorResponses },
    },
    handler: async (req) =>
      (await agreementsOfHall(deps.db, req.params.hallId)).map((a) => ({
        agreementId: a.id,
        userId: a.user_id,
        partnerName: a.display_name,
        shares: a.shares,
        investedFen: a.invested_fen,
        startedOn: a.started_on,
      })),
  });

  app.post('/halls/:hallId/partners', {
    config: { access: manage },
    schema: {
      tags,
      security,
      summary: 'Record a partner agreement (the person must hold the partner role on the hall)',
      params: s.HallParams,
      body: s.AgreementInput,
      response: { 201: s.AgreementView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const a = await deps.db
        .transaction()
        .execute((trx) =>
          partners.createAgreement(trx, deps, req.params.hallId, req.body, principalOf(req).userId),
        );
      const mine = (await agreementsOfHall(deps.db, req.params.hallId)).find((x) => x.id === a.id)!;
      reply.code(201);
      return {
        agreementId: a.id,
        userId: a.user_id,
        partnerName: mine.display_name,
        shares: a.shares,
        investedFen: a.invested_fen,
        startedOn: a.started_on,
      };
    },
  });

  app.get('/halls/:hallId/partners/:agreementId/statement', {
    config: { access: manage },
    schema: {
      tags,
      security,
      summary: "A partner's statement, for the community office",
      params: s.AgreementParams,
      response: { 200: s.StatementView, ...errorResponses },
    },
    handler: async (req) => {
      const st = await partners.statementOf(deps.db, req.params.agreementId);
      if (st.hallId !== req.params.hallId) throw notFound('That partner agreement');
      return st;
    },
  });

  app.get('/halls/:hallId/closes', {
    config: { access: view },
    schema: {
      tags,
      security,
      summary: "A hall's period closes, newest first",
      params: s.HallParams,
      response: { 200: Type.Array(s.CloseView), ...errorResponses },
    },
    handler: async (req) => (await closesOf(deps.db, req.params.hallId)).map(closeView),
  });

  app.post('/halls/:hallId/closes', {
    config: { access: manage },
    schema: {
      tags,
      security,
      summary:
        'Close a month: compute the profit and post the partners’ dividends (once per month, months in order: 409 names the month to close next)',
      params: s.HallParams,
      body: s.CloseInput,
      response: { 201: s.CloseResultView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const r = await closePeriod(
        deps,
        req.params.hallId,
        req.body.period,
        principalOf(req).userId,
      );
      reply.code(201);
      return r;
    },
  });

  app.get('/halls/:hallId/employees', {
    config: { access: view },
    schema: {
      tags,
      security,
      summary: "A hall's employees and how many are local residents",
      params: s.HallParams,
      response: { 200: s.EmployeeReport, ...errorResponses },
    },
    handler: async (req) => partners.employeeReport(deps.db, req.params.hallId),
  });

  app.post('/halls/:hallId/employees', {
    config: { access: view },
    schema: {
      tags,
      security,
      summary: 'Add an employee to a hall',
      params: s.HallParams,
      body: s.EmployeeInput,
      response: { 201: s.EmployeeReport, ...errorResponses },
    },
    handler: async (req, reply) => {
      await partners.addEmployee(deps.db, deps, req.params.hallId, req.body);
      reply.code(201);
      return partners.employeeReport(deps.db, req.params.hallId);
    },
  });

  app.get('/me/partner', {
    config: { access: { roles: ['partner'] } },
    schema: {
      tags,
      security,
      summary: 'My partner statements (only my own agreements)',
      response: { 200: Type.Array(s.StatementView), ...errorResponses },
    },
    handler: async (req) => partners.myStatements(deps.db, principalOf(req).userId),
  });

  app.get('/me/partner/statement.csv', {
    config: { access: { roles: ['partner'] } },
    schema: {
      tags,
      security,
      summary: 'One of my partner statements as CSV',
      querystring: s.MyStatementQuery,
      response: { 200: Type.String(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const mine = (await partners.myStatements(deps.db, principalOf(req).userId)).find(
        (x) => x.agreementId === req.query.agreementId,
      );
      if (!mine) throw notFound('That partner agreement');
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="partner-statement-${mine.agreementId}.csv"`,
        );
      return partners.statementCsv(mine);
    },
  });
}
