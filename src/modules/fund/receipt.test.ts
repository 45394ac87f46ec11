/**
 * Receipt files of the fund's spending: the office attaches images or PDFs (type decided by
 * the bytes, size capped), the public page lists them with the payment's amount, and anyone
 * fetches them without signing in. Bad files are refused with a 4xx and nothing stored.
 */
import { expect, it } from 'vitest';
import { auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { iso } from '../../platform/clock.ts';
import * as repo from './fund.repository.ts';
import { MAX_RECEIPT_BYTES, MAX_RECEIPTS_PER_SPEND } from './receipt.service.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake image body'),
]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');

describeEachDialect('fund receipt files', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });

  /** A selected project with a pending payment of ¥58 in community 1. */
  async function spend(): Promise<string> {
    const at = iso(t.clock.now());
    await repo.insertProposal(t.database.db, {
      id: '01900000-0000-7000-8000-0000000000a1',
      community_id: w.community1,
      title: '楼前长椅',
      body: '两张长椅',
      budget_fen: 6000,
      proposed_by: w.users.residentA.id,
      proposer_kind: 'resident',
      status: 'selected',
      round_id: null,
      votes: 3,
      supports: 0,
      created_at: at,
    });
    const id = '01900000-0000-7000-8000-0000000000b1';
    await repo.insertSpend(t.database.db, {
      id,
      community_id: w.community1,
      proposal_id: '01900000-0000-7000-8000-0000000000a1',
      amount_fen: 5800,
      payee: '金泉五金店',
      receipt: 'FP-2026-0042',
      status: 'pending',
      requested_by: w.users.communityWorker1.id,
      requested_at: at,
      approved_by: null,
      executed_at: null,
      entry_id: null,
    });
    return id;
  }
  const upload = (
    spendId: string,
    body: Buffer,
    type = 'image/png',
    who: Parameters<typeof auth>[1] = 'communityWorker1',
    community = w.community1,
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/communities/${community}/fund/spends/${spendId}/receipts`,
      headers: { ...auth(w, who), 'content-type': type },
      payload: body,
    });
  const stored = async () =>
    (await t.database.db.selectFrom('fund_receipt_files').select('id').execute()).length;

  it('attaches an image and a PDF; the public page shows them with the amount, no login needed', async () => {
    const id = await spend();
    const png = await upload(id, PNG);
    expect(png.statusCode).toBe(201);
    expect(png.json()).toMatchObject({ contentType: 'image/png', size: PNG.length });
    // The declared type is not trusted: a PDF sent as an image is stored as the PDF it is.
    const pdf = await upload(id, PDF, 'image/jpeg');
    expect(pdf.json().contentType).toBe('application/pdf');

    const page = await t.app.inject({ url: `/api/v1/public/communities/${w.community1}/fund` });
    const [payment] = page.json().projects[0].payments;
    expect(payment).toMatchObject({ amountFen: 5800, receipt: 'FP-2026-0042' });
    expect(payment.files.map((f: { contentType: string }) => f.contentType)).toEqual([
      'image/png',
      'application/pdf',
    ]);
    const file = await t.app.inject({ url: payment.files[0].url });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    const other = await t.app.inject({ url: `/api/v1/public/communities/${w.community2}/fund` });
    expect(JSON.stringify(other.json())).not.toContain(png.json().receiptId);
  });

  it('refuses bad files and the wrong people, storing nothing', async () => {
    const id = await spend();
    const text = await upload(id, Buffer.from('just some text, not an image'));
    expect(text.statusCode).toBe(415);
    expect(text.json().error.message).toContain('PDF');
    expect((await upload(id, Buffer.alloc(0))).statusCode).toBe(400);
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_RECEIPT_BYTES)]);
    expect((await upload(id, big)).statusCode).toBe(413);
    const plain = await upload(id, Buffer.from('FP-2026-0042'), 'text/plain');
    expect(plain.statusCode, plain.body).toBe(415);
    expect((await upload(id, PNG, 'image/png', 'residentA')).statusCode).toBe(403);
    expect((await upload(id, PNG, 'image/png', 'communityWorker2')).statusCode).toBe(404);
    // A payment of another community named under one's own community is not found.
    expect((await upload(id, PNG, 'image/png', 'communityWorker2', w.community2)).statusCode).toBe(
      404,
    );
    expect((await upload('01900000-0000-7000-8000-0000000000ff', PNG)).statusCode).toBe(404);
    expect((await upload('not-an-id', PNG)).statusCode).toBe(400);
    expect(await stored()).toBe(0);
    for (let i = 0; i < MAX_RECEIPTS_PER_SPEND; i++)
      expect((await upload(id, PNG)).statusCode).toBe(201);
    expect((await upload(id, PNG)).statusCode).toBe(409);
    expect(await stored()).toBe(MAX_RECEIPTS_PER_SPEND);
    const missing = await t.app.inject({
      url: '/api/v1/public/fund/receipts/01900000-0000-7000-8000-0000000000ff',
    });
    expect(missing.statusCode).toBe(404);
  });
});
