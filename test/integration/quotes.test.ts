/**
 * Quote use cases on a real DynamoDB Local with the local adapters (documents folder, outbox):
 * drafting rules, gapless numbering under concurrency and failures, revisions, the client's
 * acceptance with its evidence and event, expiry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalTables } from '../support/local-tables.ts';
import { useAdapters, adapters } from '../../functions/shared/adapters.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../functions/shared/errors.ts';
import * as directory from '../../functions/onboarding/service.ts';
import { CreateQuoteBody } from '../../functions/quotes/schemas.ts';
import * as quotes from '../../functions/quotes/service.ts';
import { sendQuote } from '../../functions/quotes/send.ts';
import { effectiveState } from '../../functions/quotes/domain/quote.ts';
import { getItem, keys, queryPage } from '../../functions/quotes/store.ts';
import { sha256 } from '../../functions/shared/hash.ts';
import { formatEuros } from '../../functions/shared/french.ts';
import { localAdapters, readOutbox } from '../../infra/local/adapters.ts';
import { seedDemo } from '../../infra/local/seed.ts';
import { renewCaeInsurance } from '../support/cae-legal.ts';
import { handler as quotePage } from '../../functions/quotes/handlers/quote-page.ts';

useLocalTables();
const dataDir = mkdtempSync(join(tmpdir(), 'oui-quotes-'));
const now = new Date('2026-11-25T10:00:00Z');
const manager44: Principal = { sub: 'mgr-44', role: 'manager', etd: '44' };
const manager85: Principal = { sub: 'mgr-85', role: 'manager', etd: '85' };
let author: string; // Sophie Garnier, MSG, renovation
let client: string; // Jean Moreau, has an e-mail
let partner: string; // Isolation Bocage Rénovation (RGE)

const body = (overrides: Record<string, unknown> = {}) =>
  CreateQuoteBody().parse({
    etd: '44',
    cae: 'MSG',
    entrepreneurId: author,
    clientId: client,
    siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
    title: 'Isolation des combles et remplacement de la fenêtre de la cuisine',
    housingOver2Years: true,
    worksStartWithinDays: 30,
    depositPercent: 30,
    partnerId: partner,
    lines: [
      {
        section: 'Isolation',
        description: 'Isolation des combles perdus, laine soufflée 32 cm (R = 7)',
        kind: 'material',
        quantity: 45.5,
        unit: 'm2',
        unitPriceCents: 2_850,
        vatRate: '5.5',
        energyRenovation: true,
      },
      {
        section: 'Isolation',
        description: 'Pose',
        kind: 'labour',
        quantity: 6,
        unit: 'h',
        unitPriceCents: 4_500,
        vatRate: '5.5',
        energyRenovation: true,
      },
      {
        section: 'Menuiserie',
        description: 'Fenêtre PVC double vitrage 100 × 120 cm',
        kind: 'material',
        quantity: 1,
        unit: 'u',
        unitPriceCents: 68_000,
        vatRate: '10',
      },
      { description: 'Déplacement', kind: 'travel', quantity: 1, unit: 'lump-sum', unitPriceCents: 3_500, vatRate: '10' },
    ],
    ...overrides,
  });

beforeAll(async () => {
  useAdapters(localAdapters({ dataDir, publicBaseUrl: 'http://127.0.0.1:9999', env: { LINK_SIGNING_KEY: 'test-link-key-0123456789' } }));
  await seedDemo(now);
  const operator: Principal = { sub: 'op', role: 'operator' };
  const es = await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 });
  author = es.items.find((e) => e.lastName === 'Garnier')!.id;
  const clients = await directory.listClients(manager44, { entrepreneurId: author, limit: 10 });
  client = clients.items.find((c) => c.kind === 'individual')!.id;
  partner = (await directory.listPartners(operator, { trade: 'insulation', limit: 10 })).items[0]!.id;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('drafting', () => {
  it('computes the totals the PDF will show', async () => {
    const quote = await quotes.createQuote(manager44, body(), now);
    expect(quote).toMatchObject({ state: 'draft', number: null, revision: 1, entrepreneurId: author, version: 1 });
    // 45.5 m² × 28.50 = 1 296.75 €; 6 h × 45 = 270 €; 5.5 % on 1 566.75 € = 86.17 €; 10 % on 715 € = 71.50 €
    expect(quote.totals).toEqual({
      netCents: 228_175,
      vat: [
        { rate: '10', baseCents: 71_500, vatCents: 7_150 },
        { rate: '5.5', baseCents: 156_675, vatCents: 8_617 },
      ],
      grossCents: 243_942,
      depositCents: 73_183,
    });
    expect(quote.lines[0]!.totalCents).toBe(129_675);
  });

  it('issues an entrepreneur’s quotes from its own CAE', async () => {
    const error = (await quotes.createQuote(manager44, body({ cae: 'SAMAD' }), now).catch((e) => e)) as ValidationError;
    expect(error.errors).toEqual([{ path: 'cae', message: 'the entrepreneur belongs to CAE MSG, which issues its quotes' }]);
  });

  it('refuses parties outside the caller’s reach, naming the field', async () => {
    const refused = async (principal: Principal, overrides: Record<string, unknown>) =>
      (await quotes.createQuote(principal, body(overrides), now).catch((e) => e)) as ValidationError;
    expect((await refused(manager44, { entrepreneurId: undefined })).errors[0]!.path).toBe('entrepreneurId');
    expect((await refused(manager85, {})).errors[0]!.path).toBe('etd');
    expect((await refused(manager44, { clientId: 'cli_00000000000000000000000000' })).errors[0]!.path).toBe('clientId');
    expect((await refused(manager44, { partnerId: 'par_00000000000000000000000000' })).errors[0]!.path).toBe('partnerId');
    const colleague = (await directory.listEntrepreneurs(manager44, { state: 'active', limit: 10 })).items.find(
      (e) => e.lastName === 'Leroux',
    )!.id;
    expect(
      (
        await refused(
          { sub: colleague, entityId: colleague, role: 'entrepreneur', etd: '44' },
          { entrepreneurId: undefined, cae: 'SAMAD', pole: 'autonomy' },
        )
      ).errors[0]!.path,
    ).toBe('clientId');
  });

  it('takes a building-renovation quote only from CAE MSG and an entrepreneur of the renovation pole', async () => {
    const leroux = (await directory.listEntrepreneurs(manager44, { state: 'active', limit: 10 })).items.find(
      (e) => e.lastName === 'Leroux',
    )!;
    const yvette = (await directory.listClients(manager44, { entrepreneurId: leroux.id, limit: 10 })).items[0]!.id;
    // Martine Leroux, CAE SAMAD, autonomy pole: no renovation quote (the default pole).
    const error = (await quotes
      .createQuote(manager44, body({ cae: 'SAMAD', entrepreneurId: leroux.id, clientId: yvette, partnerId: undefined }), now)
      .catch((e) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors).toEqual([
      { path: 'cae', message: 'building-renovation documents are issued by CAE MSG, which runs the renovation pole' },
      { path: 'entrepreneurId', message: 'the entrepreneur does not work in the renovation pole' },
    ]);
    // Sophie Garnier, CAE MSG, renovation pole: the default.
    expect((await quotes.createQuote(manager44, body(), now)).pole).toBe('renovation');
  });

  it('leaves untouched what a patch does not name', async () => {
    const quote = await quotes.createQuote(manager44, body({ validityDays: 45, feeCents: 5_000 }), now);
    const retitled = await quotes.updateQuote(manager44, quote.id, { version: 1, title: 'Isolation des combles' }, now);
    expect(retitled).toMatchObject({
      title: 'Isolation des combles',
      depositPercent: 30,
      validityDays: 45,
      feeCents: 5_000,
      totals: quote.totals,
    });
  });

  it('edits a draft with its current version only, and re-checks reduced VAT', async () => {
    const quote = await quotes.createQuote(manager44, body(), now);
    await expect(quotes.updateQuote(manager44, quote.id, { version: 1, housingOver2Years: false }, now)).rejects.toBeInstanceOf(
      ValidationError,
    );
    const edited = await quotes.updateQuote(manager44, quote.id, { version: 1, depositPercent: 0 }, now);
    expect(edited).toMatchObject({ version: 2, totals: { depositCents: 0 } });
    await expect(quotes.updateQuote(manager44, quote.id, { version: 1, title: 'x' }, now)).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(quotes.getQuote(manager85, quote.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('sending', () => {
  it('numbers, renders, stores and e-mails; then the quote never changes', async () => {
    const draft = await quotes.createQuote(manager44, body(), now);
    const sent = await sendQuote(adapters(), manager44, draft.id, now);
    expect(sent).toMatchObject({
      state: 'sent',
      number: expect.stringMatching(/^D-MSG44-2026-\d{6}$/),
      issueDate: '2026-11-25',
      validUntil: '2026-12-25',
      delivery: { email: 'sent' },
    });
    const pdf = await adapters().documents.get(sent.documentKey!);
    expect(sha256(pdf)).toBe(sent.document!.sha256);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const view = await quotes.present(adapters(), sent);
    const mail = readOutbox(dataDir).find((m) => m.text.includes(view.links.accept!));
    expect(mail?.subject).toContain(sent.number!);
    expect(mail?.text).toContain(formatEuros(243_942)); // 2 439,42 € with French spaces

    await expect(quotes.updateQuote(manager44, sent.id, { version: sent.version, title: 'x' }, now)).rejects.toBeInstanceOf(ConflictError);
    await expect(sendQuote(adapters(), manager44, sent.id, now)).rejects.toBeInstanceOf(ConflictError);
    expect((await quotes.pdfLink(adapters(), manager44, sent.id)).url).toContain('/_local/documents/quotes/44/');
    const otherDraft = await quotes.createQuote(manager44, body(), now);
    await expect(quotes.pdfLink(adapters(), manager44, otherDraft.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('numbers each CAE’s series 1..n without gap or duplicate, under concurrency and with failed sends', async () => {
    const year = 2031; // a series of its own
    const at = new Date(`${year}-03-01T10:00:00Z`);
    await renewCaeInsurance('44', 'MSG', year); // the works quotes print a policy valid on their date
    // Each CAE's series, each with one of its own entrepreneurs (Leroux is SAMAD, Garnier MSG).
    const leroux = (await directory.listEntrepreneurs(manager44, { state: 'active', limit: 10 })).items.find(
      (e) => e.lastName === 'Leroux',
    )!.id;
    const yvette = (await directory.listClients(manager44, { entrepreneurId: leroux, limit: 10 })).items[0]!.id;
    const samad = { cae: 'SAMAD', entrepreneurId: leroux, clientId: yvette, partnerId: undefined, pole: 'autonomy' };
    const drafts = await Promise.all(
      Array.from({ length: 24 }, (_, i) => quotes.createQuote(manager44, body(i % 2 ? samad : { cae: 'MSG' }), at)),
    );
    const real = adapters();
    let calls = 0;
    useAdapters({
      ...real,
      documents: {
        ...real.documents,
        put: async (...args) => (++calls % 5 === 0 ? Promise.reject(new Error('S3 is down')) : real.documents.put(...args)),
      },
    });
    const results = await Promise.allSettled(drafts.map((d) => sendQuote(adapters(), manager44, d.id, at)));
    useAdapters(real);
    const failed = drafts.filter((_, i) => results[i]!.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    // The PDF is stored after the commit: a failed store leaves the quote numbered, its PDF pending, no e-mail sent…
    for (const d of failed) {
      const pending = await quotes.getQuote(manager44, d.id);
      expect(pending).toMatchObject({ state: 'sent', documentPending: true });
      expect(pending.delivery?.email).not.toBe('sent');
      await expect(quotes.pdfLink(adapters(), manager44, d.id)).rejects.toBeInstanceOf(ConflictError);
    }
    // …and sending again stores the very PDF committed, then e-mails it.
    for (const d of failed) {
      const sent = await sendQuote(adapters(), manager44, d.id, at);
      expect(sent.documentPending).toBeUndefined();
      expect(sha256(await adapters().documents.get(sent.documentKey!))).toBe(sent.document!.sha256);
      expect(['sent', 'no-address']).toContain(sent.delivery!.email);
    }
    for (const cae of ['MSG', 'SAMAD']) {
      const numbers = [];
      for (const d of drafts.filter((x) => x.cae === cae)) numbers.push((await quotes.getQuote(manager44, d.id)).number!);
      const sequence = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
      expect(sequence).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(numbers.every((n) => n.startsWith(`D-${cae}44-${year}-`))).toBe(true);
    }
  });

  it('records the e-mail as pending until the mail service took it; a failed e-mail shows failed, never sent, and sending again retries it', async () => {
    const draft = await quotes.createQuote(manager44, body(), now);
    const real = adapters();
    const seenWhileMailing: unknown[] = [];
    useAdapters({
      ...real,
      mailer: {
        send: async () => {
          seenWhileMailing.push((await quotes.getQuote(manager44, draft.id)).delivery);
          throw new Error('SES refused');
        },
      },
    });
    let sent: quotes.QuoteRecord;
    try {
      sent = await sendQuote(adapters(), manager44, draft.id, now);
    } finally {
      useAdapters(real);
    }
    expect(seenWhileMailing).toEqual([{ email: 'pending' }]);
    expect(sent).toMatchObject({ state: 'sent', number: expect.stringMatching(/^D-MSG44-2026-\d{6}$/), delivery: { email: 'failed' } });
    expect(await quotes.getQuote(manager44, draft.id)).toMatchObject({ state: 'sent', number: sent.number, delivery: { email: 'failed' } });

    const retried = await sendQuote(adapters(), manager44, draft.id, now);
    expect(retried).toMatchObject({
      number: sent.number,
      delivery: { email: 'sent', messageId: expect.any(String), at: expect.any(String) },
    });
    expect(readOutbox(dataDir).filter((m) => m.subject.includes(sent.number!))).toHaveLength(1);
    await expect(sendQuote(adapters(), manager44, draft.id, now)).rejects.toBeInstanceOf(ConflictError);
  });

  it('sends without e-mail when the client has none (the author hands the PDF over)', async () => {
    const yvetteOwner = (await directory.listEntrepreneurs(manager44, { state: 'active', limit: 10 })).items.find(
      (e) => e.lastName === 'Leroux',
    )!.id;
    const yvette = (await directory.listClients(manager44, { entrepreneurId: yvetteOwner, limit: 10 })).items[0]!.id;
    const draft = await quotes.createQuote(
      manager44,
      body({ entrepreneurId: yvetteOwner, clientId: yvette, partnerId: undefined, cae: 'SAMAD', pole: 'autonomy' }),
      now,
    );
    expect((await sendQuote(adapters(), manager44, draft.id, now)).delivery).toEqual({ email: 'no-address' });
  });
});

describe('revisions and the client’s answer', () => {
  it('supersedes on sending the revision; the old link offers nothing to sign; acceptance records the evidence once', async () => {
    const first = await sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, body(), now)).id, now);
    await expect(quotes.reviseQuote(manager44, (await quotes.createQuote(manager44, body(), now)).id, now)).rejects.toBeInstanceOf(
      ConflictError,
    );
    const revision = await quotes.reviseQuote(manager44, first.id, now);
    expect(revision).toMatchObject({ state: 'draft', revision: 2, number: null, supersedes: { id: first.id, revision: 1 } });
    await expect(quotes.reviseQuote(manager44, first.id, now)).rejects.toBeInstanceOf(ConflictError);
    const edited = await quotes.updateQuote(manager44, revision.id, { version: 1, depositPercent: 20 }, now);
    const second = await sendQuote(adapters(), manager44, edited.id, now);
    expect(second.number).toBe(first.number);
    expect((await quotes.getQuote(manager44, first.id)).state).toBe('superseded');

    const oldToken = await quotes.linkToken(adapters(), first.id);
    const oldQuote = (await quotes.quoteOfLink(oldToken))!;
    const evidence = {
      signerName: 'Jean Moreau',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      pdfSha256: first.document!.sha256,
      vatCertified: true,
    };
    await expect(quotes.acceptQuote(oldQuote, evidence, now)).rejects.toMatchObject({ state: 'superseded' });

    const token = await quotes.linkToken(adapters(), second.id);
    const current = (await quotes.quoteOfLink(token))!;
    await expect(quotes.acceptQuote(current, evidence, now)).rejects.toBeInstanceOf(quotes.StaleDocumentError);
    const accepted = await quotes.acceptQuote(current, { ...evidence, pdfSha256: second.document!.sha256 }, now);
    expect(accepted.acceptance).toEqual({
      at: now.toISOString(),
      signerName: 'Jean Moreau',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      pdfSha256: second.document!.sha256,
      vatCertified: true,
    });
    await expect(
      quotes.acceptQuote((await quotes.quoteOfLink(token))!, { ...evidence, pdfSha256: second.document!.sha256 }, now),
    ).rejects.toMatchObject({ state: 'accepted' });
    await expect(quotes.reviseQuote(manager44, second.id, now)).rejects.toBeInstanceOf(ConflictError);

    const events = await queryPage<{ type: string; detail: { quoteId: string } }>(undefined, 'EVENT#2026-11-25', { limit: 100 });
    expect(events.items.filter((e) => e.type === 'QuoteAccepted' && e.detail.quoteId === second.id)).toHaveLength(1);
    expect(await getItem(keys.expiry(second.id))).toBeUndefined();
  });

  it('lets exactly one of two concurrent answers win', async () => {
    const sent = await sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, body(), now)).id, now);
    const quote = (await quotes.quoteOfLink(await quotes.linkToken(adapters(), sent.id)))!;
    const evidence = { signerName: 'Jean Moreau', ip: '203.0.113.7', userAgent: 'x', pdfSha256: sent.document!.sha256, vatCertified: true };
    const results = await Promise.allSettled([quotes.acceptQuote(quote, evidence, now), quotes.declineQuote(quote, 'Trop cher', now)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('expires sent quotes past their validity, on the page at once and in the table by the job', async () => {
    const sent = await sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, body({ validityDays: 1 }), now)).id, now);
    const later = new Date('2026-11-27T09:00:00Z');
    expect(effectiveState(sent, later)).toBe('expired');
    const quote = (await quotes.quoteOfLink(await quotes.linkToken(adapters(), sent.id)))!;
    await expect(quotes.declineQuote(quote, undefined, later)).rejects.toMatchObject({ state: 'expired' });
    const result = await quotes.expireDueQuotes(later);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await quotes.getQuote(manager44, sent.id)).state).toBe('expired');
    expect((await quotes.expireDueQuotes(later)).expired).toBe(0);
  });

  it('lists an entrepreneur’s quotes by state', async () => {
    // One accepted quote of its own, whichever test ran before.
    const sent = await sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, body(), now)).id, now);
    const quote = (await quotes.quoteOfLink(await quotes.linkToken(adapters(), sent.id)))!;
    const evidence = { signerName: 'Jean Moreau', ip: '203.0.113.7', userAgent: 'x', pdfSha256: sent.document!.sha256, vatCertified: true };
    await quotes.acceptQuote(quote, evidence, now);
    const self: Principal = { sub: author, entityId: author, role: 'entrepreneur', etd: '44' };
    const accepted = await quotes.listQuotes(self, { state: 'accepted', limit: 100 });
    expect(accepted.items.length).toBeGreaterThanOrEqual(1);
    expect(accepted.items.every((q) => q.state === 'accepted' && q.entrepreneurId === author)).toBe(true);
    expect((await quotes.listQuotes(manager85, { limit: 100 })).items).toEqual([]);
  });
});

describe('the client’s page of a closed quote', () => {
  const context = { awsRequestId: 'r1', functionName: 'QuotePage', getRemainingTimeInMillis: () => 10_000 } as never;
  const open = async (token: string) => {
    const result = await quotePage(
      {
        version: '2.0',
        routeKey: 'GET /q/{token}',
        rawPath: `/q/${token}`,
        rawQueryString: '',
        headers: {},
        pathParameters: { token },
        requestContext: {
          requestId: 'req-page',
          http: { method: 'GET', path: `/q/${token}`, sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' },
        },
        isBase64Encoded: false,
      } as never,
      context,
    );
    return { status: result.statusCode, html: String(result.body), headers: result.headers ?? {} };
  };
  const saved = process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS;
  afterAll(() => {
    if (saved === undefined) delete process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS;
    else process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS = saved;
  });

  it('shows an accepted quote during the retention period, then only that it is no longer available (410, nothing personal)', async () => {
    // Accepted on 25 November 2026 (the tests' clock); the page is opened now, later than that.
    const sent = await sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, body(), now)).id, now);
    const token = await quotes.linkToken(adapters(), sent.id);
    await quotes.acceptQuote(
      (await quotes.quoteOfLink(token))!,
      { signerName: 'Jean Moreau', ip: '203.0.113.7', userAgent: 'x', pdfSha256: sent.document!.sha256, vatCertified: true },
      now,
    );
    const daysSince = Math.floor((Date.now() - now.getTime()) / 86_400_000);

    process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS = String(daysSince + 2);
    const shown = await open(token);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Jean Moreau');
    expect(shown.html).toContain('21 rue du Port');

    process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS = String(Math.max(0, daysSince - 1));
    const retired = await open(token);
    expect(retired.status).toBe(410);
    expect(retired.headers['content-type']).toMatch(/^text\/html/);
    expect(retired.headers['cache-control']).toBe('no-store');
    expect(retired.html).toContain('Ce devis n’est plus consultable en ligne');
    for (const personal of [
      'Jean Moreau',
      'Moreau',
      '21 rue du Port',
      '44200',
      'Nantes',
      sent.number!,
      'Garnier',
      formatEuros(sent.totals.grossCents),
      '/_local/documents/',
    ]) {
      expect(retired.html).not.toContain(personal);
    }
  });

  it('never retires a quote still open for signature', async () => {
    process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS = '0';
    const sent = await sendQuote(
      adapters(),
      manager44,
      (await quotes.createQuote(manager44, body({ validityDays: 365 }), new Date())).id,
      new Date(),
    );
    const { status, html } = await open(await quotes.linkToken(adapters(), sent.id));
    expect(status).toBe(200);
    expect(html).toContain('Bon pour accord');
  });
});
