/**
 * Partners (社区合伙人) of a hall: their agreements (shares, amount invested, start date),
 * statements (dividends posted to their account, the hall's closes) and the hall's
 * employees with how many are local residents.
 */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findGrantByScope } from '../identity/index.ts';
import { placePath } from '../places/index.ts';
import { accounts } from './accounts.ts';
import * as repo from './partner.repository.ts';
import { termsOf } from './rules.repository.ts';

type Deps = Pick<AppDeps, 'clock' | 'random'>;

/** A new partner agreement. */
export interface AgreementInput {
  userId: string;
  shares: number;
  investedFen: number;
  startedOn: string;
}

const DAY_SHAPE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A calendar day that exists (2026-02-31 has the shape but is no day). */
const DAY = {
  test: (d: string) =>
    DAY_SHAPE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d,
};

/** Record a partner agreement on a hall; the person must hold the partner role there. */
export async function createAgreement(
  trx: Executor,
  deps: Deps,
  hallId: string,
  input: AgreementInput,
  actorId: string,
) {
  if (!DAY.test(input.startedOn))
    throw new AppError(
      'bad_request',
      '开始日期须写成 YYYY-MM-DD。 Write the start date as YYYY-MM-DD.',
    );
  if (!(await findGrantByScope(trx, input.userId, 'partner', 'hall', hallId)))
    throw new AppError(
      'bad_request',
      '此人还不是本服务馆的合伙人：请先在人员管理中授予“合伙人”角色。 Give this person the partner role on this hall first.',
    );
  const terms = await termsOf(trx, hallId);
  if (!terms)
    throw new AppError(
      'bad_request',
      '请先设置本服务馆的总股数。 Set the hall’s total shares first.',
    );
  const held = (await repo.agreementsOfHall(trx, hallId)).reduce((s, a) => s + a.shares, 0);
  if (held + input.shares > terms.total_shares)
    throw new AppError(
      'conflict',
      `合伙人股份合计将超过总股数 ${terms.total_shares}（已分配 ${held}）。 Partner shares would exceed the ${terms.total_shares} total (${held} held).`,
    );
  const communityId = (await placePath(trx, 'hall', hallId))!.community!;
  const row = {
    id: newId(deps.clock, deps.random),
    hall_id: hallId,
    community_id: communityId,
    user_id: input.userId,
    shares: input.shares,
    invested_fen: input.investedFen,
    started_on: input.startedOn,
    created_by: actorId,
    created_at: iso(deps.clock.now()),
  };
  await repo.insertAgreement(trx, row);
  return row;
}

/** One line of a statement. */
export interface StatementLine {
  entryId: string;
  at: string;
  kind: string;
  memo: string;
  amountFen: number;
  balanceFen: number;
}

/** A partner's statement for one agreement. */
export interface Statement {
  agreementId: string;
  hallId: string;
  hallName: string;
  partnerName: string;
  shares: number;
  totalShares: number;
  investedFen: number;
  startedOn: string;
  balanceFen: number;
  dividendsFen: number;
  lines: StatementLine[];
}

/** The statement of an agreement (callers check who may see it). */
export async function statementOf(db: Executor, agreementId: string): Promise<Statement> {
  const a = await repo.findAgreement(db, agreementId);
  if (!a) throw notFound('That partner agreement');
  const terms = await termsOf(db, a.hall_id);
  const acct = accounts.partner(a.id, a.hall_id, a.community_id);
  let running = 0;
  let dividends = 0;
  const lines = (await repo.accountLines(db, acct.id)).map((l) => {
    running += l.amount;
    if (l.kind === 'dividend') dividends += l.amount;
    return {
      entryId: l.id,
      at: l.at,
      kind: l.kind,
      memo: l.memo,
      amountFen: l.amount,
      balanceFen: running,
    };
  });
  return {
    agreementId: a.id,
    hallId: a.hall_id,
    hallName: a.hall_name,
    partnerName: a.display_name,
    shares: a.shares,
    totalShares: terms?.total_shares ?? 0,
    investedFen: a.invested_fen,
    startedOn: a.started_on,
    balanceFen: running,
    dividendsFen: dividends,
    lines,
  };
}

/** The statements of every agreement the user holds (a partner sees only their own). */
export async function myStatements(db: Executor, userId: string): Promise<Statement[]> {
  const mine = await repo.agreementsOfUser(db, userId);
  return Promise.all(mine.map((a) => statementOf(db, a.id)));
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote everything; a leading = + - @ would be run as a formula by spreadsheets.
  return `"${(/^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s).replaceAll('"', '""')}"`;
};

/** A statement as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese). */
export function statementCsv(s: Statement): string {
  const head = [
    '日期 date',
    '类型 kind',
    '摘要 memo',
    '金额(元) amount',
    '余额(元) balance',
    '凭证 entry',
  ];
  const yuan = (f: number) => (f / 100).toFixed(2);
  const rows = s.lines.map((l) => [
    l.at,
    l.kind,
    l.memo,
    yuan(l.amountFen),
    yuan(l.balanceFen),
    l.entryId,
  ]);
  const meta = [
    ['服务馆 hall', s.hallName],
    ['合伙人 partner', s.partnerName],
    ['股份 shares', `${s.shares}/${s.totalShares}`],
    ['投资额(元) invested', yuan(s.investedFen)],
  ];
  return `\uFEFF${[...meta, [], head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Add an employee to a hall. */
export async function addEmployee(
  trx: Executor,
  deps: Deps,
  hallId: string,
  input: { name: string; job: string; localResident: boolean; startedOn: string },
) {
  if (!DAY.test(input.startedOn))
    throw new AppError(
      'bad_request',
      '入职日期须写成 YYYY-MM-DD。 Write the start date as YYYY-MM-DD.',
    );
  const row = {
    id: newId(deps.clock, deps.random),
    hall_id: hallId,
    name: input.name.trim(),
    job: input.job.trim(),
    local_resident: input.localResident ? 1 : 0,
    started_on: input.startedOn,
    created_at: iso(deps.clock.now()),
  };
  await repo.insertEmployee(trx, row);
  return row;
}

/** A hall's employees and the local-resident report. */
export async function employeeReport(db: Executor, hallId: string) {
  const rows = await repo.employeesOf(db, hallId);
  const local = rows.filter((r) => r.local_resident === 1).length;
  return {
    employees: rows.map((r) => ({
      id: r.id,
      name: r.name,
      job: r.job,
      localResident: r.local_resident === 1,
      startedOn: r.started_on,
    })),
    total: rows.length,
    localResidents: local,
    localShareBp: rows.length ? Math.round((local * 10_000) / rows.length) : 0,
  };
}
