/**
 * Privacy scan: crawls every GET route of the OpenAPI document as couriers, hall staff,
 * a partner, a grid worker and residents (including a neighbour of the victim in the same
 * community), with every id the world knows, plus the POST answers couriers get while
 * working; then reads every log line the node wrote. It fails on a full phone number
 * that is not the viewer's own, a pickup code that is not the viewer's own, or anything
 * shaped like a flat number.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiOperations } from '../abuse/openapi.ts';
import { type AbuseWorld, type Actor, buildAbuseWorld, RESIDENTS, settle } from '../abuse/world.ts';
import { describeEachDialect } from '../harness.ts';
import { type Finding, scan } from './scan.ts';

/** Viewers whose answers are scanned (staff with a whole community in view are not: they may see masked phones of many). */
const VIEWERS: Actor[] = [
  'courier.zto',
  'courier.sf',
  'courier.meituan',
  'qsh.hall',
  'sx.hall',
  'qsh.partner',
  'qsh.grid1',
  'qsh1',
  'qsh2',
  'sx6',
];
/** Own phone of each viewer (a courier may see their own number in /me). */
const OWN_PHONE: Partial<Record<Actor, string>> = {
  'courier.zto': '13900000002',
  'courier.sf': '13900000001',
  'courier.meituan': '13900000007',
  // The demo partner signs in to the resident app with her phone (src/demo/finance.ts); GET /me shows it to her.
  'qsh.partner': '13800000007',
  qsh1: RESIDENTS.qsh1,
  qsh2: RESIDENTS.qsh2,
  sx6: RESIDENTS.sx6,
};

describeEachDialect('privacy scan', (dialect) => {
  let w: AbuseWorld;
  beforeAll(async () => {
    w = await buildAbuseWorld(dialect);
  }, 180_000);
  afterAll(async () => w?.close());

  it('the scanner finds what it looks for (so a clean scan means something)', () => {
    const codes = ['48213377'];
    expect(scan('{"phone":"13800000005"}', 'x', codes)).toHaveLength(1);
    expect(scan('{"phone":"138****0005","n":"1-2-1502"}', 'x', codes)).toHaveLength(1);
    expect(scan('{"code":"48213377"}', 'x', codes)).toHaveLength(1);
    expect(scan('{"code":"48213377"}', 'x', codes, { codes })).toHaveLength(0);
    expect(scan('清淳家园 3栋2单元 1502室', 'x', codes)).toHaveLength(1);
    // A UUID whose random hex happens to hold a mobile-like run is an identifier, not a phone.
    expect(scan('{"id":"01a2179b-3c6e-7d2a-8f41-14611701811a"}', 'x', codes)).toHaveLength(0);
    expect(
      scan(
        '{"phone":"138****0005","at":"2026-11-26T08:00:00.000Z","id":"0190f5c2-dead-7000-8000-00000000beef"}',
        'x',
        codes,
      ),
    ).toHaveLength(0);
  }, 120_000);

  it("no courier, hall staff, partner, grid worker or other resident gets a full phone, a flat or another person's code", async () => {
    // A resident sets an address alias the way the product asks (no flat), and couriers look it up.
    expect(
      (await w.api('sx6', 'PUT', '/api/v1/me/address-alias', { text: '两河锦地 1栋1单元 蚁巢柜' }))
        .statusCode,
    ).toBeLessThan(300);
    for (const sneaky of [
      '两河锦地 1栋1单元 1502室',
      '两河锦地 1-1-1502',
      '两河锦地 room 1502',
      '两河锦地１５０２室',
      '两河锦地 一五零二室',
      '两河锦地 1栋1单元 1502',
    ]) {
      expect(
        (await w.api('sx6', 'PUT', '/api/v1/me/address-alias', { text: sneaky })).statusCode,
        sneaky,
      ).toBe(400);
    }
    const carrier = (
      (await w.api('admin', 'GET', '/api/v1/carriers')).json() as { id: string; code: string }[]
    ).find((c) => c.code === 'zto')!.id;
    for (const phone of Object.values(RESIDENTS))
      await w.api('courier.zto', 'POST', '/api/v1/couriers/recipient-preference', {
        recipientPhone: phone,
        carrierId: carrier,
      });

    const ops = apiOperations((await w.api(null, 'GET', '/docs/json')).json()).filter(
      (o) => o.method === 'GET' && !o.streaming,
    );
    expect(ops.length).toBeGreaterThanOrEqual(30);
    let crawled = 0;
    for (const who of VIEWERS) {
      for (const op of ops) {
        // Every combination of known ids for the route's parameters (at most a few dozen).
        let urls = [op.path];
        for (const p of op.params)
          urls = urls.flatMap((u) =>
            (w.pool[p] ?? ['0190f5c2-dead-7000-8000-00000000beef']).map((id) =>
              u.replace(`{${p}}`, id),
            ),
          );
        for (const url of urls.slice(0, 12)) {
          await w.api(who, 'GET', url);
          crawled++;
        }
      }
    }
    expect(crawled).toBeGreaterThan(VIEWERS.length * 20);

    const findings: Finding[] = [];
    for (const r of w.responses) {
      if (!r.who || !VIEWERS.includes(r.who)) continue;
      // A resident's own alias attempts echo their own text (the refusals quote the rule's examples).
      if (r.url.endsWith('/me/address-alias') && r.method === 'PUT') continue;
      const own = { phone: OWN_PHONE[r.who], codes: r.who === 'qsh1' ? [w.secrets.codes[0]!] : [] };
      findings.push(
        ...scan(r.body, `${r.who} ${r.method} ${r.url} → ${r.status}`, w.secrets.codes, own),
      );
    }
    expect(findings, findings.map((f) => `${f.where}: ${f.what}`).join('\n')).toEqual([]);
  }, 120_000);

  // checkAlias (src/modules/parcels/consent/alias.service.ts) also refuses flats written as floor and door.
  it('an address alias cannot carry a flat number written as floor and door', async () => {
    const accepted: string[] = [];
    for (const sneaky of [
      '两河锦地 1栋1单元15楼2号',
      '两河锦地 1栋1单元 15-02',
      '两河锦地 十五层二号',
    ]) {
      if (
        (await w.api('sx6', 'PUT', '/api/v1/me/address-alias', { text: sneaky })).statusCode < 300
      )
        accepted.push(sneaky);
    }
    await w.api('sx6', 'PUT', '/api/v1/me/address-alias', { text: '两河锦地 1栋1单元 蚁巢柜' });
    expect(accepted).toEqual([]);
  }, 120_000);

  it('live streams (text/event-stream) carry no phone, flat or code to anyone watching', async () => {
    const streams = apiOperations((await w.api(null, 'GET', '/docs/json')).json()).filter(
      (o) => o.streaming && o.params.length === 0,
    );
    const watchers: Actor[] = ['courier.sf', 'sx6', 'qsh.hall', 'sx.hall', 'sx5'];
    const ctrl = new AbortController();
    const seen: { who: Actor; path: string; text: string }[] = [];
    const reading = streams.flatMap((op) =>
      watchers.map(async (who) => {
        const entry = { who, path: op.path, text: '' };
        seen.push(entry);
        try {
          const res = await fetch(`${w.server.httpUrl}${op.path}`, {
            headers: { authorization: `Bearer ${w.tokens[who]}` },
            signal: ctrl.signal,
          });
          const reader = res.body!.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            entry.text += Buffer.from(value).toString('utf8');
          }
        } catch {
          /* aborted */
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    // Something happens for the victim while everyone watches: a parcel arrives and is stored.
    const dep = (
      await w.api('courier.zto', 'POST', `/api/v1/lockers/${w.victim['lockerId']}/deposits`, {
        waybill: 'ZTO2000000099',
        recipientPhone: RESIDENTS.sx5,
        size: 'M',
      })
    ).json();
    await new Promise((r) => setTimeout(r, 300));
    w.buses.sx.setOccupied(dep.compartment, true);
    w.buses.sx.closeDoor(dep.compartment);
    await settle(w.server.database.db);
    ctrl.abort();
    await Promise.all(reading);
    const codes = [
      ...w.secrets.codes,
      ...w.sms.map((m) => m.text.match(/取件码 (\d{8})/)?.[1]).filter((c): c is string => !!c),
    ];
    const findings = seen.flatMap((s) =>
      scan(s.text, `${s.who} ${s.path}`, codes, {
        phone: OWN_PHONE[s.who] ?? (s.who === 'sx5' ? RESIDENTS.sx5 : undefined),
      }),
    );
    expect(findings, findings.map((f) => `${f.where}: ${f.what}`).join('\n')).toEqual([]);
    if (streams.length)
      expect(
        seen.some((s) => s.text.length > 0),
        'the streams said something',
      ).toBe(true);
  }, 120_000);

  it('no log line of the node carries a full phone, a pickup code or a token', async () => {
    await settle(w.server.database.db);
    expect(w.logs.length).toBeGreaterThan(50);
    const tokens = Object.values(w.tokens);
    const findings: Finding[] = [];
    for (const line of w.logs) {
      findings.push(...scan(line, `log: ${line.slice(0, 160)}`, w.secrets.codes));
      for (const t of tokens)
        if (line.includes(t.split('.')[2]!))
          findings.push({ where: `log: ${line.slice(0, 160)}`, what: 'an access token' });
    }
    expect(findings, findings.map((f) => `${f.where}: ${f.what}`).join('\n')).toEqual([]);
  }, 120_000);
});
