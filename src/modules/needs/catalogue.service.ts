/**
 * The service catalogue as the rest of the module uses it: definitions with parsed
 * attributes, attribute validation (Open311 datatypes), and deadlines per service.
 */
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './catalogue.repository.ts';
import { type CalendarDays, calendarWindow, deadlineFor } from './deadline.ts';
import type { Party } from './need.table.ts';

/** One attribute of a service's form, in Open311's terms. */
export interface ServiceAttribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  description: string;
  values?: { key: string; name: string }[];
}

/** A service definition with its attributes parsed. */
export interface Service {
  code: string;
  name: string;
  nameEn: string;
  description: string;
  group: string;
  responsible: Party;
  deadlineClass: string;
  attributes: ServiceAttribute[];
  keywords: string;
  active: boolean;
  sort: number;
}

/** Row → domain. */
export function toService(r: repo.ServiceRow): Service {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    description: r.description,
    group: r.group_name,
    responsible: r.responsible,
    deadlineClass: r.deadline_class,
    attributes: JSON.parse(r.attributes) as ServiceAttribute[],
    keywords: r.keywords,
    active: r.active === 1,
    sort: r.sort,
  };
}

/** The active services (or all, for the console). */
export async function listServices(db: Executor, activeOnly = true): Promise<Service[]> {
  return (await repo.listServices(db, activeOnly)).map(toService);
}

/** An active service, or a 404 naming the code. */
export async function requireService(db: Executor, code: string): Promise<Service> {
  const r = await repo.findService(db, code);
  if (!r || r.active !== 1)
    throw new AppError(
      'not_found',
      `没有这类诉求（${code}）。No service with code "${code}"; list them at /open311/v2/services.json.`,
    );
  return toService(r);
}

const MAX_ATTR_LEN = 500;

/**
 * Check submitted attribute values against the service's form; returns the values kept
 * (known codes only). Multi-value lists take an array of keys.
 */
export function checkAttributes(
  service: Service,
  given: Readonly<Record<string, string | string[]>>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const a of service.attributes) {
    const v = given[a.code];
    const empty = v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === '');
    if (empty) {
      if (a.required)
        throw new AppError(
          'bad_request',
          `请填写“${a.description}”。The attribute "${a.code}" is required for ${service.code}.`,
        );
      continue;
    }
    const values = [v].flat();
    if (values.some((x) => x.length > MAX_ATTR_LEN))
      throw new AppError(
        'bad_request',
        `“${a.description}”太长。Attribute "${a.code}" is too long.`,
      );
    if (a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') {
      const keys = new Set((a.values ?? []).map((x) => x.key));
      const bad = values.find((x) => !keys.has(x));
      if (bad !== undefined || (a.datatype === 'singlevaluelist' && values.length > 1))
        throw new AppError(
          'bad_request',
          `“${a.description}”的选项无效。Attribute "${a.code}" must be one of: ${[...keys].join(', ')}.`,
        );
    }
    if (a.datatype === 'number' && values.some((x) => !Number.isFinite(Number(x))))
      throw new AppError('bad_request', `Attribute "${a.code}" must be a number.`);
    if (a.datatype === 'datetime' && values.some((x) => Number.isNaN(Date.parse(x))))
      throw new AppError('bad_request', `Attribute "${a.code}" must be an ISO-8601 date and time.`);
    out[a.code] = a.datatype === 'multivaluelist' ? values : values[0]!;
  }
  return out;
}

/** The calendar overrides a deadline computed at `receivedMs` may need. */
export async function calendarFor(db: Executor, receivedMs: number): Promise<CalendarDays> {
  const w = calendarWindow(receivedMs);
  const rows = await repo.calendarBetween(db, w.from, w.to);
  return new Map(rows.map((r) => [r.day, r.kind]));
}

/** Due, warning and respond-by instants for a request of a class received at `receivedMs`. */
export async function deadlineOf(
  db: Executor,
  classCode: string,
  receivedMs: number,
): Promise<{ dueMs: number; warnMs: number; respondByMs: number }> {
  const c = await repo.findClass(db, classCode);
  if (!c) throw new Error(`Deadline class ${classCode} is missing.`);
  return deadlineFor(
    receivedMs,
    { unit: c.unit, amount: c.amount, respondHours: c.respond_hours, warnHours: c.warn_hours },
    await calendarFor(db, receivedMs),
  );
}
