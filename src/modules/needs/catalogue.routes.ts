/** The catalogue (services, deadline classes, working-day calendar): read by everyone, changed by subdistrict and platform staff. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as repo from './catalogue.repository.ts';
import * as c from './catalogue.schemas.ts';
import { listServices, toService } from './catalogue.service.ts';
import { iso } from '../../platform/clock.ts';

const security = [{ bearer: [] }];
const tags = ['needs'];
/** The catalogue is shared by the whole platform: only those above a community change it. */
const editors = { roles: ['subdistrict_officer', 'operator_admin'] as const };

const presentClass = (r: repo.DeadlineClassRow) => ({
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  unit: r.unit,
  amount: r.amount,
  respondHours: r.respond_hours,
  warnHours: r.warn_hours,
});

/** Catalogue routes. */
export async function catalogueRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/needs/services', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'The request types residents can choose, with their forms',
      response: { 200: c.Catalogue, ...errorResponses },
    },
    handler: async () => ({
      services: await listServices(deps.db),
      classes: (await repo.listClasses(deps.db)).map(presentClass),
    }),
  });

  app.get('/needs/catalogue', {
    config: { access: { roles: STAFF_ROLES } },
    schema: {
      tags,
      security,
      summary: 'Every request type, active or not, and the deadline classes',
      response: { 200: c.Catalogue, ...errorResponses },
    },
    handler: async () => ({
      services: await listServices(deps.db, false),
      classes: (await repo.listClasses(deps.db)).map(presentClass),
    }),
  });

  app.put('/needs/services/:code', {
    config: { access: editors },
    schema: {
      tags,
      security,
      summary: 'Create or change a request type',
      params: c.ServiceParams,
      body: c.ServiceInput,
      response: { 200: c.ServiceView, ...errorResponses },
    },
    handler: async (req) => {
      const b = req.body;
      if (!(await repo.findClass(deps.db, b.deadlineClass)))
        throw new AppError('bad_request', `No deadline class "${b.deadlineClass}".`);
      for (const a of b.attributes)
        if (a.datatype.endsWith('valuelist') && !a.values?.length)
          throw new AppError('bad_request', `Attribute "${a.code}" is a list and needs values.`);
      const row: repo.ServiceRow = {
        code: req.params.code,
        name: b.name,
        name_en: b.nameEn,
        description: b.description,
        group_name: b.group,
        responsible: b.responsible,
        deadline_class: b.deadlineClass,
        attributes: JSON.stringify(b.attributes),
        keywords: b.keywords,
        active: b.active ? 1 : 0,
        sort: b.sort,
        updated_at: iso(deps.clock.now()),
      };
      await repo.upsertService(deps.db, row);
      return toService(row);
    },
  });

  app.put('/needs/deadline-classes/:code', {
    config: { access: editors },
    schema: {
      tags,
      security,
      summary: 'Change a deadline class (applies to requests filed from now on)',
      params: c.ServiceParams,
      body: c.ClassInput,
      response: { 200: c.ClassView, ...errorResponses },
    },
    handler: async (req) => {
      if (!(await repo.findClass(deps.db, req.params.code))) throw notFound('That deadline class');
      const b = req.body;
      await repo.updateClass(deps.db, req.params.code, {
        unit: b.unit,
        amount: b.amount,
        respond_hours: b.respondHours,
        warn_hours: b.warnHours,
      });
      return presentClass((await repo.findClass(deps.db, req.params.code))!);
    },
  });

  app.get('/needs/calendar', {
    config: { access: { roles: STAFF_ROLES } },
    schema: {
      tags,
      security,
      summary: 'Holidays and make-up working days between two dates',
      querystring: c.CalendarQuery,
      response: { 200: c.CalendarList, ...errorResponses },
    },
    handler: async (req) => ({
      days: await repo.calendarBetween(deps.db, req.query.from, req.query.to),
    }),
  });

  app.put('/needs/calendar/:day', {
    config: { access: editors },
    schema: {
      tags,
      security,
      summary: 'Mark a day as a holiday or a make-up working day (kind null clears it)',
      params: c.DayParams,
      body: c.CalendarInput,
      response: { 200: c.CalendarList, ...errorResponses },
    },
    handler: async (req) => {
      const day = req.params.day;
      if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
        throw new AppError('bad_request', `"${day}" is not a date.`);
      const b = req.body;
      if (b.kind && !b.name)
        throw new AppError('bad_request', 'Name the holiday or make-up day (name).');
      await repo.setCalendarDay(deps.db, day, b.kind ? { kind: b.kind, name: b.name! } : null);
      return { days: await repo.calendarBetween(deps.db, day, day) };
    },
  });
}
