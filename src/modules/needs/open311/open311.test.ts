/**
 * Open311 GeoReport v2 contract: JSON validated against schemas written from the spec, XML
 * well-formed with the spec's element names, a client that knows only the spec files and
 * reads back a request, the spec's errors for bad input, and no personal data in public lists.
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auth, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import * as spec from './georeport-spec.testkit.ts';
import { elementNames, find, parseXml } from './xml-check.testkit.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const check = (schema: object, data: unknown) => {
  const v = ajv.compile(schema);
  expect(v(data), JSON.stringify(v.errors)).toBe(true);
};

describeEachDialect('Open311 GeoReport v2', (dialect) => {
  let t: TestApp;
  let w: World;
  let apiKey = '';
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    const k = await t.app.inject({
      method: 'POST',
      url: '/api/v1/open311-clients',
      headers: auth(w, 'admin'),
      payload: { name: '市民随手拍' },
    });
    expect(k.statusCode, k.body).toBe(201);
    apiKey = k.json().apiKey;
  });
  afterAll(async () => t?.close());

  const get = (path: string) => t.app.inject({ method: 'GET', url: `/open311/v2/${path}` });
  const post = (path: string, form: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/open311/v2/${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  const count = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('needs')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('discovery, services and a definition: JSON valid against the spec, XML well-formed with its names', async () => {
    check(spec.discoverySchema, (await get('discovery.json')).json());
    const services = (await get('services.json')).json();
    check(spec.servicesSchema, services);
    expect(services.map((s: { service_code: string }) => s.service_code)).toContain('repair');
    const def = await get('services/repair.json');
    check(spec.serviceDefinitionSchema, def.json());
    for (const [path, names] of [
      ['discovery.xml', spec.XML_NAMES.discovery],
      ['services.xml', spec.XML_NAMES.services],
      ['services/repair.xml', spec.XML_NAMES.definition],
    ] as const) {
      const r = await get(path);
      expect(r.headers['content-type']).toMatch(/^text\/xml/);
      const root = parseXml(r.body);
      expect(root.name).toBe(names[0]);
      for (const n of names) expect(elementNames(root), `${path} lacks <${n}>`).toContain(n);
    }
    const svc = find(parseXml((await get('services.xml')).body), 'service')!;
    expect(svc.children.map((c) => c.name)).toEqual([
      'service_code',
      'service_name',
      'description',
      'metadata',
      'type',
      'keywords',
      'group',
    ]);
  });

  it('a client that knows only the spec files a request and reads it back by token and by id', async () => {
    const disc = (await get('discovery.json')).json();
    expect(disc.endpoints[0].url).toMatch(/\/open311\/v2$/);
    const services = (await get('services.json')).json() as {
      service_code: string;
      metadata: boolean;
    }[];
    const withForm = services.find((s) => s.metadata)!;
    const def = (await get(`services/${withForm.service_code}.json`)).json();
    const form: Record<string, string> = {
      api_key: apiKey,
      service_code: withForm.service_code,
      address_string: '清淳家园 1栋1单元',
      lat: '30.6985',
      long: '104.0312',
      description: '随手拍：单元门口的路灯不亮了',
      first_name: '明',
      last_name: '李',
    };
    for (const a of def.attributes)
      if (a.required) form[`attribute[${a.code}]`] = a.values?.[0]?.key ?? '1';
    const created = await post('requests.json', form);
    expect(created.statusCode, created.body).toBe(201);
    check(spec.postResponseSchema, created.json());
    const { token, service_request_id: id } = created.json()[0];
    const byToken = (await get(`tokens/${token}.json`)).json();
    check(spec.tokenSchema, byToken);
    expect(byToken[0].service_request_id).toBe(id);
    const one = (await get(`requests/${id}.json`)).json();
    check(spec.requestsSchema, one);
    expect(one[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: withForm.service_code,
      description: form['description'],
    });
    expect(one[0].expected_datetime).toMatch(/\+08:00$/);
    expect(one[0].agency_responsible).toContain('清水河社区');
    const list = (await get(`requests.json?service_request_id=${id}`)).json();
    check(spec.requestsSchema, list);
    expect(list).toHaveLength(1);
    const xml = parseXml((await get(`requests/${id}.xml`)).body);
    expect(xml.name).toBe('service_requests');
    expect(find(xml, 'request')!.children.map((c) => c.name)).toContain('expected_datetime');
    expect(find(xml, 'service_request_id')!.text).toBe(id);
    // The POST in XML answers in XML.
    const x = await post('requests.xml', { ...form, description: '另一处：二单元门口的灯也不亮' });
    expect(x.statusCode, x.body).toBe(201);
    expect(elementNames(parseXml(x.body))).toContain('token');

    // The community answers: the request shows closed with its notes.
    const staff = auth(w, 'communityWorker1');
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/needs/${id}/reply`,
      headers: staff,
      payload: { reply: '已通知物业更换灯泡。' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/needs/${id}/close`,
      headers: staff,
      payload: {},
    });
    const closed = (await get(`requests/${id}.json`)).json()[0];
    expect(closed.status).toBe('closed');
    expect(closed.status_notes).toBe('已通知物业更换灯泡。');
    const onlyClosed = (await get('requests.json?status=closed')).json();
    expect(onlyClosed.map((r: { service_request_id: string }) => r.service_request_id)).toContain(
      id,
    );
    expect(
      (await get('requests.json?status=open'))
        .json()
        .map((r: { service_request_id: string }) => r.service_request_id),
    ).not.toContain(id);
  });

  it('public lists carry no personal data from app, desk or kiosk requests', async () => {
    const desc = '我家老人独居，电话13800000001，住1栋1单元302';
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/needs',
      headers: auth(w, 'residentA'),
      payload: {
        serviceCode: 'elderly_help',
        description: desc,
        attributes: { help_kind: 'visit' },
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const list = await get('requests.json');
    check(spec.requestsSchema, list.json());
    const mine = list
      .json()
      .find((x: { service_request_id: string }) => x.service_request_id === r.json().id);
    expect(mine).toMatchObject({
      description: null,
      address: '清水河社区',
      address_id: null,
      lat: null,
      long: null,
    });
    for (const leak of ['13800000001', '单元302', '独居', w.unitA, w.users.residentA.id, '张'])
      expect(list.body).not.toContain(leak);
    expect((await get('requests.xml')).body).not.toContain('13800000001');
  });

  it('bad input answers the spec errors (400, 403, 404) with a message, and writes nothing', async () => {
    const before = await count();
    const base = {
      api_key: apiKey,
      service_code: 'policy',
      address_string: '清淳家园 1栋1单元',
      description: '咨询',
    };
    const cases: [string, Record<string, string>, number, RegExp][] = [
      ['requests.json', { ...base, api_key: 'wrong' }, 403, /api_key/],
      ['requests.json', { ...base, api_key: '' }, 403, /api_key/],
      ['requests.json', { ...base, service_code: 'nope' }, 400, /nope/],
      [
        'requests.json',
        { api_key: apiKey, service_code: 'policy', description: '没有地点' },
        400,
        /location/,
      ],
      ['requests.json', { ...base, description: '长'.repeat(4001) }, 400, /4000/],
      ['requests.json', { ...base, lat: 'north', long: '104' }, 400, /lat/],
      ['requests.json', { ...base, service_code: 'repair' }, 400, /facility/],
    ];
    for (const [path, form, status, msg] of cases) {
      const res = await post(path, form);
      expect(res.statusCode, res.body).toBe(status);
      check(spec.errorsSchema, res.json());
      expect(res.json()[0].code).toBe(status);
      expect(res.json()[0].description).toMatch(msg);
    }
    const xmlErr = await post('requests.xml', { ...base, api_key: 'wrong' });
    expect(xmlErr.statusCode).toBe(403);
    const root = parseXml(xmlErr.body);
    expect(root.name).toBe('errors');
    expect(find(root, 'code')!.text).toBe('403');
    for (const path of [
      'services/nope.json',
      'requests/00000000-0000-7000-8000-000000000000.json',
      'tokens/nope.json',
    ]) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(404);
      check(spec.errorsSchema, res.json());
    }
    expect(parseXml((await get('services/nope.xml')).body).name).toBe('errors');
    expect((await get('requests.json?status=pending')).statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('a revoked key stops working; keys are stored only as hashes', async () => {
    const k = await t.app.inject({
      method: 'POST',
      url: '/api/v1/open311-clients',
      headers: auth(w, 'admin'),
      payload: { name: 'temp', contact: '热线办 王科长' },
    });
    expect(k.statusCode, k.body).toBe(201);
    const { apiKey: key, client } = k.json();
    expect(client.contact).toBe('热线办 王科长');
    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/open311-clients',
      headers: auth(w, 'admin'),
    });
    expect(listed.json().clients.find((c: { id: string }) => c.id === client.id)).toMatchObject({
      name: 'temp',
      contact: '热线办 王科长',
      revokedAt: null,
    });
    expect(JSON.stringify(listed.json())).not.toContain(key);
    const blank = await t.app.inject({
      method: 'POST',
      url: '/api/v1/open311-clients',
      headers: auth(w, 'admin'),
      payload: { name: '   ' },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.message).toMatch(/请填写接入方名称/);
    const rows = await t.database.db.selectFrom('open311_clients').select(['key_hash']).execute();
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/open311-clients',
          headers: auth(w, 'communityWorker1'),
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    const revoke = () =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/v1/open311-clients/${client.id}`,
        headers: auth(w, 'admin'),
      });
    expect((await revoke()).statusCode).toBe(204);
    // A second revoke finds no live client; issue and revoke are both audited.
    expect((await revoke()).statusCode).toBe(404);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'detail'])
      .where('target_id', '=', client.id)
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['open311_client.issued', 'open311_client.revoked']);
    expect(audit.every((a) => a.actor_id === w.users.admin.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(key);
    const r = await post('requests.json', {
      api_key: key,
      service_code: 'policy',
      address_string: '清淳家园 1栋1单元',
      description: '撤销后',
    });
    expect(r.statusCode).toBe(403);
  });
  it('filing is limited per network address and per api_key', async () => {
    await t.database.db.deleteFrom('rate_counters').execute();
    const form = (i: number) => ({
      api_key: apiKey,
      service_code: 'suggestion',
      address_string: '清淳家园 1栋1单元',
      description: Array.from({ length: 12 }, (_, k) =>
        String.fromCharCode(0x5000 + i * 89 + k * 5),
      ).join(''),
    });
    const from = (ip: string, i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form(i)).toString(),
      });
    for (let i = 0; i < 10; i++) expect((await from('10.7.7.7', i)).statusCode).toBe(201);
    const over = await from('10.7.7.7', 10);
    expect(over.statusCode).toBe(429);
    check(spec.errorsSchema, over.json());
    expect(over.headers['retry-after']).toBeDefined();
    // The key's own allowance: primed to its maximum, the next call from a fresh address is refused.
    const client = await t.database.db
      .selectFrom('open311_clients')
      .select('id')
      .where('name', '=', '市民随手拍')
      .executeTakeFirstOrThrow();
    await t.database.db.deleteFrom('rate_counters').execute();
    await t.database.db
      .insertInto('rate_counters')
      .values({
        key: `public-api:key:${client.id}`,
        window_start: new Date(t.clock.now()).toISOString(),
        count: 1000,
      })
      .execute();
    const keyed = await from('10.8.8.8', 11);
    expect(keyed.statusCode).toBe(429);
    expect(keyed.json()[0].description).toMatch(/API key/);
  });
});
