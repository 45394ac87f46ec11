/** The staff worklist: list and read requests in one's places, and act on them. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES, STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { InstitutionGateway } from './institution.adapter.ts';
import * as life from './lifecycle.service.ts';
import { presentForStaff } from './need.presenter.ts';
import { contextOf, placesOf } from './need.query.service.ts';
import * as repo from './need.repository.ts';
import * as s from './need.schemas.ts';
import type { NeedRow, Party } from './need.types.ts';

const security = [{ bearer: [] }];
const tags = ['needs'];
const need = (req: FastifyRequest) => ({
  kind: 'need',
  id: (req.params as { needId: string }).needId,
});
const onNeed = { roles: STAFF_ROLES, object: need };

/** Staff routes over requests. */
export async function workRoutes(
  root: FastifyInstance,
  { deps, gateway }: { deps: AppDeps; gateway: InstitutionGateway },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const now = () => deps.clock.now();
  const view = async (n: NeedRow) =>
    presentForStaff(n, (await contextOf(deps.db, [n], true)).get(n.id)!, deps.vault, now());
  const actor = (req: FastifyRequest): life.StaffActor => ({
    userId: principalOf(req).userId,
    office: req.allowed.some((g) => (ADMIN_ROLES as readonly string[]).includes(g.role)),
  });
  const out = { 200: s.StaffNeedView, ...errorResponses };

  app.get('/needs', {
    config: { access: { roles: STAFF_ROLES } },
    schema: {
      tags,
      security,
      summary:
        'Requests in your places (a grid worker: their grid and what is assigned to them), with filters',
      querystring: s.WorkQuery,
      response: { 200: s.StaffNeedList, ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      const me = principalOf(req).userId;
      const places = await placesOf(deps.db, req.allowed);
      const rows = await repo.listNeeds(deps.db, {
        ...(places ? { places } : {}),
        ...(q.communityId ? { communityId: q.communityId } : {}),
        ...(q.gridId ? { gridId: q.gridId } : {}),
        ...(q.mine ? { assigneeId: me } : {}),
        ...(q.status ? { statuses: q.status } : {}),
        ...(q.serviceCode ? { serviceCodes: [q.serviceCode] } : {}),
        ...(q.overdue ? { overdueAt: new Date(now()).toISOString() } : {}),
        ...(q.from ? { receivedFrom: new Date(q.from).toISOString() } : {}),
        ...(q.to ? { receivedTo: new Date(q.to).toISOString() } : {}),
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
        order: 'due_asc',
      });
      const ctx = await contextOf(deps.db, rows, false);
      return { items: rows.map((r) => presentForStaff(r, ctx.get(r.id)!, deps.vault, now())) };
    },
  });

  app.get('/needs/:needId', {
    config: { access: onNeed },
    schema: {
      tags,
      security,
      summary: 'One request with its full history',
      params: s.NeedParams,
      response: out,
    },
    handler: async (req) => view((await repo.findNeed(deps.db, req.params.needId))!),
  });

  const act = <B>(
    path: string,
    summary: string,
    body: unknown,
    run: (req: FastifyRequest<{ Params: { needId: string }; Body: B }>) => Promise<NeedRow>,
  ) =>
    app.post(`/needs/:needId/${path}`, {
      config: { access: onNeed },
      schema: {
        tags,
        security,
        summary,
        params: s.NeedParams,
        ...(body ? { body } : {}),
        response: out,
      } as never,
      handler: async (req: FastifyRequest<{ Params: { needId: string }; Body: B }>) =>
        view(await run(req)),
    });

  act<undefined>('accept', 'Take the request on (in progress)', null, (r) =>
    life.accept(deps, r.params.needId, actor(r)),
  );
  act<{ party: Party; assigneeId?: string; gridId?: string; reason?: string }>(
    'forward',
    'Forward to another grid worker, the office or an outside party (reason required)',
    s.TargetBody,
    (r) => life.forward(deps, gateway, r.params.needId, actor(r), r.body, r.body.reason),
  );
  act<{ party: Party; assigneeId?: string; gridId?: string }>(
    'dispatch',
    'The community office dispatches a received or returned request',
    s.TargetBody,
    (r) => life.dispatch(deps, gateway, r.params.needId, actor(r), r.body),
  );
  act<{ reason: string }>(
    'return',
    'Give the request back to the office (not yours), with a reason',
    s.ReasonBody,
    (r) => life.giveBack(deps, r.params.needId, actor(r), r.body.reason),
  );
  act<{ reply: string }>('reply', 'Answer the resident', s.ReplyBody, (r) =>
    life.reply(deps, r.params.needId, actor(r), r.body.reply),
  );
  act<{ note?: string }>('close', 'Close a replied request', s.CloseBody, (r) =>
    life.close(deps, r.params.needId, actor(r), r.body?.note),
  );
  act<{ reason: string }>(
    'decline',
    'Decline (not for the community), with the reason the resident sees',
    s.ReasonBody,
    (r) => life.decline(deps, r.params.needId, actor(r), r.body.reason),
  );
  act<{ note: string; rating?: number; comment?: string }>(
    'visit',
    'Record the return visit (回访), with the rating given by phone',
    s.VisitBody,
    (r) => life.visit(deps, r.params.needId, actor(r), r.body),
  );
}
