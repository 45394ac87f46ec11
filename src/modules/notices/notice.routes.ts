/**
 * Notices and activities over HTTP. Staff (community workers, officers, operator admins,
 * hall staff) write for the places they serve; residents read what covers their units and
 * sign up. Routes stay thin: schema → access → one service call.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { objectParam, principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as activities from './activity.service.ts';
import { AUTHOR_ROLES } from './audience.ts';
import * as notices from './notice.service.ts';
import * as s from './notice.schemas.ts';

const tags = ['notices'];
const security = [{ bearer: [] }];
const authors = { roles: AUTHOR_ROLES };
const noticeAuthors = { roles: AUTHOR_ROLES, object: objectParam('notice', 'noticeId') };
const activityAuthors = { roles: AUTHOR_ROLES, object: objectParam('activity', 'activityId') };
const residents = { roles: ['resident' as const] };
const who = (req: FastifyRequest) => ({ userId: principalOf(req).userId, grants: req.allowed });

/** Register the notice and activity routes. */
export async function noticeRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/notices', {
    config: { access: authors },
    schema: {
      tags,
      security,
      summary: 'Publish a notice to a subdistrict, community or compound you serve',
      body: s.CreateNotice,
      response: { 201: s.NoticeView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await notices.createNotice(deps, who(req), req.body)),
  });

  app.get('/notices', {
    config: { access: authors },
    schema: {
      tags,
      security,
      summary: 'Notices I manage, expired ones included (newest first)',
      querystring: s.ListQuery,
      response: { 200: Type.Array(s.NoticeView), ...errorResponses },
    },
    handler: async (req) => notices.managedNotices(deps, req.allowed, req.query),
  });

  app.patch('/notices/:noticeId', {
    config: { access: noticeAuthors },
    schema: {
      tags,
      security,
      summary: 'Edit a notice: text, urgency, pin and expiry',
      params: s.NoticeParams,
      body: s.UpdateNotice,
      response: { 200: s.NoticeView, ...errorResponses },
    },
    handler: async (req) => notices.updateNotice(deps, req.params.noticeId, req.body),
  });

  app.post('/notices/:noticeId/expire', {
    config: { access: noticeAuthors },
    schema: {
      tags,
      security,
      summary: 'Take a notice down now (下架)',
      params: s.NoticeParams,
      response: { 200: s.NoticeView, ...errorResponses },
    },
    handler: async (req) => notices.expireNotice(deps, req.params.noticeId),
  });

  app.post('/activities', {
    config: { access: authors },
    schema: {
      tags,
      security,
      summary: 'Create a public-welfare activity with a capacity for a place you serve',
      body: s.CreateActivity,
      response: { 201: s.ActivityView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await activities.createActivity(deps, who(req), req.body)),
  });

  app.get('/activities', {
    config: { access: authors },
    schema: {
      tags,
      security,
      summary: 'Activities I manage with their sign-up counts',
      querystring: s.ListQuery,
      response: { 200: Type.Array(s.ActivityView), ...errorResponses },
    },
    handler: async (req) => activities.managedActivities(deps, req.allowed, req.query),
  });

  app.get('/activities/:activityId/signups', {
    config: { access: activityAuthors },
    schema: {
      tags,
      security,
      summary: 'Who signed up and who waits, in order (names and masked phones)',
      params: s.ActivityParams,
      response: { 200: s.ActivitySignups, ...errorResponses },
    },
    handler: async (req) => activities.activitySignups(deps, req.params.activityId),
  });

  app.post('/activities/:activityId/cancel', {
    config: { access: activityAuthors },
    schema: {
      tags,
      security,
      summary: 'Cancel an activity (sign-up closes; residents see it cancelled)',
      params: s.ActivityParams,
      response: { 200: s.ActivityView, ...errorResponses },
    },
    handler: async (req) => activities.cancelActivity(deps, req.params.activityId),
  });

  app.get('/me/notices', {
    config: { access: residents },
    schema: {
      tags,
      security,
      summary: 'Notices standing over my units: urgent first, then pinned, then newest',
      response: { 200: Type.Array(s.NoticeView), ...errorResponses },
    },
    handler: async (req) => notices.myNotices(deps, req.allowed),
  });

  app.get('/me/activities', {
    config: { access: residents },
    schema: {
      tags,
      security,
      summary: 'Activities over my units that have not ended, with my sign-up on each',
      response: { 200: Type.Array(s.ActivityView), ...errorResponses },
    },
    handler: async (req) => activities.myActivities(deps, who(req)),
  });

  app.get('/me/activity-signups', {
    config: { access: residents },
    schema: {
      tags,
      security,
      summary: 'My sign-ups (confirmed and waiting) for activities not yet ended',
      response: { 200: Type.Array(s.ActivityView), ...errorResponses },
    },
    handler: async (req) => activities.mySignups(deps, principalOf(req).userId),
  });

  app.post('/me/activities/:activityId/signup', {
    config: { access: residents },
    schema: {
      tags,
      security,
      summary: 'Sign me up: a seat while there is one, otherwise the waiting list',
      params: s.ActivityParams,
      response: { 200: s.SignupResult, ...errorResponses },
    },
    handler: async (req) => activities.signUp(deps, who(req), req.params.activityId),
  });

  app.delete('/me/activities/:activityId/signup', {
    config: { access: residents },
    schema: {
      tags,
      security,
      summary: 'Cancel my sign-up (my seat goes to the first resident waiting)',
      params: s.ActivityParams,
      response: {
        200: Type.Object({ promoted: Type.Boolean() }, { additionalProperties: false }),
        ...errorResponses,
      },
    },
    handler: async (req) => activities.cancelSignup(deps, who(req), req.params.activityId),
  });
}
