/**
 * The client pays an invoice online, in a real headless Chromium (Debian's, driven by
 * playwright-core), through the local server and the embedded Stripe stand-in, all offline:
 *
 * - a manager issues an invoice; the e-mail in the outbox holds the pay link; the client opens it,
 *   downloads the PDF (the very document the invoice's SHA-256 names), pays by card on the
 *   stand-in's checkout page, comes back, and — once the signed webhook is applied — reads
 *   « entièrement réglée »; the API shows `paid`;
 * - a bank debit: « en cours de traitement » and no second payment offered while it processes,
 *   then settled (paid), or failed (due again, payable again);
 * - a card refusal: nothing taken, paid on the second try;
 * - a credit note on a paid invoice: the overpaid part is refunded through Stripe and the
 *   `charge.refunded` webhook lowers what was paid.
 *
 * Screenshots of the pay page go to .local/screenshots/ for a human to look at.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEuros } from '../../functions/shared/french.ts';
import { REPO_ROOT } from '../../infra/local/apigw.ts';
import { demoClients, demoEntrepreneurs, demoEtds } from '../../infra/local/demo-data.ts';
import { apiClient, expectStatus, plain } from '../support/api-client.ts';
import { launchBrowser } from '../support/browser.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

const SCREENSHOTS = join(REPO_ROOT, '.local', 'screenshots');

let server: TestServer;
let browser: Browser;
let manager: string;
let entrepreneurId: string;
let clientId: string;

const api = apiClient(
  () => server.url,
  () => manager,
);
const euros = (cents: number) => plain(formatEuros(cents));

/** Painting: 10 h at 30 € and a travel fee, 20 % VAT → 300 + 12 = 312 € net, 374,40 € gross. */
const painting = [
  { description: 'Peinture de la chambre, deux couches', kind: 'labour', quantity: 10, unit: 'h', unitPriceCents: 3_000, vatRate: '20' },
  { description: 'Frais de déplacement', kind: 'travel', quantity: 1, unit: 'lump-sum', unitPriceCents: 1_200, vatRate: '20' },
] as const;

interface Issued {
  readonly invoice: any;
  readonly link: string;
}

/** Drafts and issues a standard invoice; answers it as issued and the pay link the client received. */
async function issueInvoice(title: string, lines: readonly object[] = painting): Promise<Issued> {
  const draft = await expectStatus(
    api('POST', '/invoices', { etd: '44', cae: 'MSG', clientId, entrepreneurId, kind: 'standard', title, dueDays: 30, lines }),
    201,
  );
  expect(draft).toMatchObject({ state: 'draft', number: null });
  const before = server.outbox().length;
  const issued = await expectStatus(api('POST', `/invoices/${draft.id}/issue`), 200);
  expect(issued.state).toBe('issued');
  expect(issued.number).toMatch(/^F-MSG44-\d{4}-\d{6}$/);
  expect(issued.amountDueCents).toBe(issued.totals.grossCents);
  const link: string = issued.links.pay;
  expect(link).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/pay/[A-Za-z0-9_-]{43}$`));
  const mails = server.outbox().slice(before);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.to).toContain('jean.moreau@example.org');
  expect(mails[0]!.subject).toContain(issued.number);
  expect(mails[0]!.text).toContain(link);
  return { invoice: issued, link };
}

/** A fresh browser context (its own cookies and cache) on a phone-sized screen, French. */
async function phone(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'fr-FR' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // The stand-in's checkout page (Stripe's, in the cloud) is not ours: its favicon 404 is not a problem of the pay page.
    if (page.url().startsWith(server.stripe.url)) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() === 404) problems.push(`404 ${response.url()}`);
  });
  return { context, page, problems };
}

const mainText = async (page: Page) => plain(await page.locator('main').innerText());
const payButton = (page: Page) => page.getByRole('button', { name: /^Payer / });

/**
 * From the pay page: « Payer … » → the stand-in's checkout page (its session id in the URL) →
 * the chosen button. Card and debit come back to the pay page with ?paiement=ok; a refusal stays
 * on the checkout page. Answers the Checkout Session id.
 */
async function checkout(page: Page, link: string, method: 'card' | 'debit' | 'decline'): Promise<string> {
  await Promise.all([page.waitForURL(new RegExp(`^${server.stripe.url}/pay/cs_`)), payButton(page).click()]);
  const session = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(page.url())![1]!;
  const label = { card: 'Payer par carte', debit: 'Payer par prélèvement (en cours de traitement)', decline: 'Simuler un refus' }[method];
  // Fail fast, with what the page says, if the checkout page offers no such button.
  expect(
    await page.getByRole('button', { name: label }).count(),
    `checkout page ${session}: ${plain(await page.locator('body').innerText())}`,
  ).toBe(1);
  if (method === 'decline') {
    await page.getByRole('button', { name: label }).click();
    await page.waitForLoadState();
  } else {
    await Promise.all([page.waitForURL(`${link}?paiement=ok`), page.getByRole('button', { name: label }).click()]);
  }
  return session;
}

/** Waits for the stand-in's webhook deliveries, and checks each was accepted. */
async function webhooksApplied(): Promise<void> {
  await server.stripe.idle();
  const failed = server.stripe.deliveries().filter((d) => !d.ok);
  expect(failed, JSON.stringify(failed)).toEqual([]);
}

/** The « Payer » form, posted without a browser. */
const postCheckout = (link: string) =>
  fetch(`${link}/checkout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });

const invoiceNow = (id: string) => expectStatus(api('GET', `/invoices/${id}`), 200);
const paymentsOf = async (id: string) => (await expectStatus(api('GET', `/invoices/${id}/payments`), 200)).items as any[];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startLocalTestServer(), launchBrowser()]);
  const operator = await server.token('operator');
  manager = await server.token('manager', '44');
  const asOperator = (method: string, path: string, body?: unknown) =>
    fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  await expectStatus(asOperator('POST', '/etds', demoEtds[0]), 201);
  entrepreneurId = (await expectStatus(asOperator('POST', '/entrepreneurs', demoEntrepreneurs[2]), 201)).id;
  for (const to of ['validated', 'active'])
    await expectStatus(asOperator('POST', `/entrepreneurs/${entrepreneurId}/transitions`, { to }), 200);
  clientId = (await expectStatus(api('POST', '/clients', { ...demoClients[1].body, entrepreneurId }), 201)).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the client pays an invoice by card in Chromium', () => {
  let issued: Issued;

  beforeAll(async () => {
    issued = await issueInvoice('Peinture de la chambre');
    expect(issued.invoice.totals.grossCents).toBe(37_440);
  });

  it('opens the e-mailed link, downloads the PDF, pays by card, and reads « entièrement réglée »', async () => {
    const { invoice, link } = issued;
    const { context, page, problems } = await phone();
    try {
      const response = await page.goto(link);
      expect(response?.status()).toBe(200);
      const headers = response!.headers();
      expect(headers['content-type']).toBe('text/html; charset=utf-8');
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['referrer-policy']).toBe('no-referrer');
      const csp = headers['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      // The « Payer » form's redirect to the checkout page is allowed, and only that.
      expect(csp).toMatch(/form-action 'self' https:\/\/checkout\.stripe\.com http:\/\/127\.0\.0\.1:\* http:\/\/localhost:\*;/);

      // What the client reads.
      expect(await page.title()).toBe(`Facture ${invoice.number} – Oui Ensemble`);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(plain((await page.getByRole('heading', { level: 1 }).textContent())!)).toContain(invoice.number);
      const text = await mainText(page);
      for (const piece of ['Peinture de la chambre', 'CAE MSG', 'Jean Moreau', 'Reste à payer']) expect(text).toContain(piece);
      expect(text).toContain(euros(37_440));
      expect(text).not.toContain('réglée');

      // One big button, large text.
      expect(Number(await page.evaluate('parseFloat(getComputedStyle(document.body).fontSize)'))).toBeGreaterThanOrEqual(18);
      expect(await page.getByRole('button').count()).toBe(1);
      const pay = payButton(page);
      expect(plain((await pay.textContent())!)).toBe(`Payer ${euros(37_440)}`);
      expect((await pay.boundingBox())!.height).toBeGreaterThanOrEqual(48);

      // The PDF link serves the very document the invoice names.
      const pdf = page.getByRole('link', { name: /Télécharger la facture/ });
      const pdfAnswer = await context.request.get((await pdf.getAttribute('href'))!);
      expect(pdfAnswer.status()).toBe(200);
      const bytes = await pdfAnswer.body();
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(invoice.document.sha256);

      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-before.png'), fullPage: true });

      // The stand-in's checkout page, then back.
      await checkout(page, link, 'card');
      await webhooksApplied();
      await page.reload();
      const after = await mainText(page);
      expect(after).toContain('entièrement réglée');
      expect(await page.getByRole('button').count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-paid.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    const paid = await invoiceNow(invoice.id);
    expect(paid).toMatchObject({ state: 'paid', amountPaidCents: 37_440, amountPendingCents: 0, amountDueCents: 0 });
    const payments = await paymentsOf(invoice.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ kind: 'payment', status: 'succeeded', amountCents: 37_440 });
    // The webhook took one checkout.session.completed, accepted at the first attempt.
    const completed = server.stripe.deliveries().filter((d) => d.type === 'checkout.session.completed');
    expect(completed.length).toBeGreaterThanOrEqual(1);

    // Paying again is refused with a French page.
    const again = await postCheckout(link);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('entièrement réglée');
  });

  it('a credit note on part of a line refunds the overpaid amount through Stripe', async () => {
    const { invoice } = issued;
    const refundsBefore = server.stripe.requests().filter((r) => r.method === 'POST' && r.path === '/v1/refunds').length;
    // 2 of the 10 hours: 60 € net, 72 € gross.
    const credited = await expectStatus(
      api('POST', `/invoices/${invoice.id}/credit-notes`, { lines: [{ index: 0, quantity: 2 }], reason: 'Deux heures non effectuées' }),
      201,
    );
    expect(credited.creditNote.number).toMatch(/^A-MSG44-\d{4}-\d{6}$/);
    expect(credited.creditNote.totals.grossCents).toBe(7_200);
    expect(credited.invoice.amountDueCents).toBe(-7_200);

    const refunds = server.stripe
      .requests()
      .filter((r) => r.method === 'POST' && r.path === '/v1/refunds')
      .slice(refundsBefore);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.params).toMatchObject({ amount: '7200' });
    expect(refunds[0]!.status).toBe(200);

    await webhooksApplied();
    expect(server.stripe.deliveries().some((d) => d.type === 'charge.refunded' && d.ok)).toBe(true);
    const after = await invoiceNow(invoice.id);
    expect(after).toMatchObject({ state: 'paid', amountPaidCents: 37_440 - 7_200, amountCreditedCents: 7_200, amountDueCents: 0 });
    const payments = await paymentsOf(invoice.id);
    expect(payments.map((p) => [p.kind, p.status, p.amountCents])).toEqual([
      ['payment', 'succeeded', 37_440],
      ['refund', 'succeeded', 7_200],
    ]);

    // The pay page shows the credit note and nothing to pay.
    const { context, page, problems } = await phone();
    try {
      await page.goto(issued.link);
      const text = await mainText(page);
      expect(text).toContain('entièrement réglée');
      expect(text).toContain(euros(7_200));
      expect(await page.getByRole('button').count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-credited.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the client pays by bank debit', () => {
  it('processing: said so, no second payment offered; then settled: paid', async () => {
    const { invoice, link } = await issueInvoice('Peinture du couloir');
    const { context, page, problems } = await phone();
    try {
      await page.goto(link);
      const session = await checkout(page, link, 'debit');
      await webhooksApplied();
      await page.reload();
      const text = await mainText(page);
      expect(text).toContain(`Un paiement de ${euros(37_440)} par prélèvement est en cours de traitement`);
      expect(text).toContain('inutile de payer une seconde fois');
      expect(text).not.toContain('réglée');
      expect(await page.getByRole('button').count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-processing.png'), fullPage: true });

      const processing = await invoiceNow(invoice.id);
      expect(processing).toMatchObject({ state: 'issued', amountPaidCents: 0, amountPendingCents: 37_440, amountDueCents: 37_440 });
      expect((await paymentsOf(invoice.id)).map((p) => p.status)).toEqual(['processing']);
      // No checkout while the debit processes, even by a direct POST.
      const again = await postCheckout(link);
      expect(again.status).toBe(409);

      server.stripe.settleDebit(session, 'succeeded');
      await webhooksApplied();
      await page.reload();
      expect(await mainText(page)).toContain('entièrement réglée');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    expect(await invoiceNow(invoice.id)).toMatchObject({
      state: 'paid',
      amountPaidCents: 37_440,
      amountPendingCents: 0,
      amountDueCents: 0,
    });
    expect((await paymentsOf(invoice.id)).map((p) => [p.status, p.amountCents])).toEqual([['succeeded', 37_440]]);
  });

  let failed: Issued & { session: string };

  it('processing then failed: due again, and the page offers to pay again', async () => {
    const { invoice, link } = await issueInvoice('Peinture de la cuisine');
    const { context, page, problems } = await phone();
    try {
      await page.goto(link);
      const session = await checkout(page, link, 'debit');
      failed = { invoice, link, session };
      await webhooksApplied();
      expect(await invoiceNow(invoice.id)).toMatchObject({ amountPendingCents: 37_440 });

      server.stripe.settleDebit(session, 'failed');
      await webhooksApplied();
      expect(await invoiceNow(invoice.id)).toMatchObject({
        state: 'issued',
        amountPaidCents: 0,
        amountPendingCents: 0,
        amountDueCents: 37_440,
      });
      expect((await paymentsOf(invoice.id)).map((p) => p.status)).toEqual(['failed']);

      await page.goto(link);
      const text = await mainText(page);
      expect(text).not.toContain('en cours de traitement');
      expect(text).not.toContain('réglée');
      expect(plain((await payButton(page).textContent())!)).toBe(`Payer ${euros(37_440)}`);
      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-debit-failed.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('after the failed debit, the client pays again by card: a new Checkout Session, then paid', async () => {
    const { invoice, link, session } = failed;
    const { context, page, problems } = await phone();
    try {
      await page.goto(link);
      const second = await checkout(page, link, 'card');
      expect(second).not.toBe(session);
      await webhooksApplied();
      await page.reload();
      expect(await mainText(page)).toContain('entièrement réglée');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    expect(await invoiceNow(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 37_440, amountDueCents: 0 });
    expect((await paymentsOf(invoice.id)).map((p) => p.status).sort()).toEqual(['failed', 'succeeded']);
  });
});

describe('a card refusal', () => {
  it('takes nothing; the client comes back, pays again by card, and the invoice is paid', async () => {
    const { invoice, link } = await issueInvoice('Peinture de l’entrée');
    const { context, page, problems } = await phone();
    try {
      await page.goto(link);
      await checkout(page, link, 'decline');
      expect(plain(await page.getByRole('alert').innerText())).toContain('Aucun montant n’a été débité');
      await webhooksApplied();
      expect(await invoiceNow(invoice.id)).toMatchObject({
        state: 'issued',
        amountPaidCents: 0,
        amountPendingCents: 0,
        amountDueCents: 37_440,
      });

      // « Retour » to the pay page: it says nothing was taken, and offers to pay again.
      await Promise.all([page.waitForURL(`${link}?paiement=annule`), page.getByRole('link', { name: 'Retour' }).click()]);
      const text = await mainText(page);
      expect(text).toContain('rien n’a été prélevé');
      expect(await page.getByRole('button').count()).toBe(1);
      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-cancelled.png'), fullPage: true });

      await checkout(page, link, 'card');
      await webhooksApplied();
      await page.reload();
      expect(await mainText(page)).toContain('entièrement réglée');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    expect(await invoiceNow(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 37_440, amountDueCents: 0 });
    expect((await paymentsOf(invoice.id)).map((p) => [p.status, p.amountCents])).toEqual([['succeeded', 37_440]]);
  });
});

describe('a partial payment', () => {
  it('partly refunded from the Stripe dashboard: the page shows what was paid, and the client pays the rest', async () => {
    const { invoice, link } = await issueInvoice('Peinture du salon');
    const { context, page, problems } = await phone();
    try {
      await page.goto(link);
      await checkout(page, link, 'card');
      await webhooksApplied();
      const [payment] = await paymentsOf(invoice.id);

      // An operator gives 100 € back from the dashboard (the official SDK against the stand-in).
      const dashboard = new Stripe(server.stripe.apiKey, {
        host: '127.0.0.1',
        port: server.stripe.port,
        protocol: 'http',
        maxNetworkRetries: 0,
        telemetry: false,
      });
      await dashboard.refunds.create({ payment_intent: payment.key, amount: 10_000 });
      await webhooksApplied();
      expect(await invoiceNow(invoice.id)).toMatchObject({ state: 'partially_paid', amountPaidCents: 27_440, amountDueCents: 10_000 });

      await page.goto(link);
      const text = await mainText(page);
      expect(text).toContain(`Déjà payé − ${euros(27_440)}`);
      expect(plain((await payButton(page).textContent())!)).toBe(`Payer ${euros(10_000)}`);
      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-partially-paid.png'), fullPage: true });

      await checkout(page, link, 'card');
      await webhooksApplied();
      await page.reload();
      expect(await mainText(page)).toContain('entièrement réglée');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    expect(await invoiceNow(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 37_440, amountDueCents: 0 });
    const payments = await paymentsOf(invoice.id);
    // (Stripe's times are whole seconds: the order within a second is not asserted.)
    expect(payments.map((p) => [p.kind, p.status, p.amountCents])).toEqual(
      expect.arrayContaining([
        ['payment', 'succeeded', 37_440],
        ['refund', 'succeeded', 10_000],
        ['payment', 'succeeded', 10_000],
      ]),
    );
    expect(payments).toHaveLength(3);
  });
});

describe('after the payment: pages of payments, credit notes sent and downloadable, stale checkouts expired', () => {
  /** The « Payer » form posted without a browser: answers the stand-in's checkout URL and its session id. */
  async function startedCheckout(link: string): Promise<{ url: string; session: string }> {
    const answer = await postCheckout(link);
    expect(answer.status).toBe(303);
    const url = answer.headers.get('location')!;
    return { url, session: /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(url)![1]! };
  }

  it('payments page by page; the credit note is e-mailed with the pay link, and its PDF is served by a signed link (by number or id)', async () => {
    const { invoice, link } = await issueInvoice('Peinture du couloir');
    server.stripe.pay((await startedCheckout(link)).session, 'card');
    await webhooksApplied();
    const before = server.outbox().length;
    const { creditNote } = await expectStatus(
      api('POST', `/invoices/${invoice.id}/credit-notes`, { lines: [{ index: 0, quantity: 1 }], reason: 'Une heure non effectuée' }),
      201,
    );
    await webhooksApplied();

    // The client's e-mail: French, the credit note named, the link to the invoice's page.
    const mails = server.outbox().slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain('jean.moreau@example.org');
    expect(mails[0]!.subject).toBe(`Avoir n° ${creditNote.number} sur la facture n° ${invoice.number}`);
    expect(plain(mails[0]!.text)).toContain(`Nous avons émis l’avoir n° ${creditNote.number}`);
    expect(mails[0]!.text).toContain(link);

    // One item a page: the payment, then the refund, then no cursor.
    const items: any[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const answer = await expectStatus(
        api('GET', `/invoices/${invoice.id}/payments?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        200,
      );
      expect(answer.items.length).toBeLessThanOrEqual(1);
      items.push(...answer.items);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    expect(items.map((p) => [p.kind, p.status, p.amountCents])).toEqual([
      ['payment', 'succeeded', 37_440],
      ['refund', 'succeeded', 3_600],
    ]);
    await expectStatus(api('GET', `/invoices/${invoice.id}/payments?limit=101`), 400);
    await expectStatus(api('GET', `/invoices/${invoice.id}/payments?cursor=bm90LWEtY3Vyc29y`), 400);

    // The PDF, by the credit note's number and by its id: the very document the credit note names.
    for (const n of [creditNote.number, creditNote.id]) {
      const signed = await expectStatus(api('GET', `/invoices/${invoice.id}/credit-notes/${n}/pdf`), 200);
      expect(Date.parse(signed.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
      const bytes = Buffer.from(await (await fetch(signed.url)).arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(creditNote.document.sha256);
    }
    await expectStatus(api('GET', `/invoices/${invoice.id}/credit-notes/A-MSG44-2020-000999/pdf`), 404);
    await expectStatus(api('GET', `/invoices/${invoice.id}/credit-notes/nope/pdf`), 400);

    // The client's page offers the credit note's PDF too.
    const pageHtml = await (await fetch(link)).text();
    expect(plain(pageHtml.replaceAll('<wbr>', ''))).toContain(`Télécharger l’avoir n° ${creditNote.number} (PDF)`);
  });

  it('a checkout left open when a credit note lowers the amount is expired: the checkout page refuses it, in French; the next one is for the new amount', async () => {
    const { invoice, link } = await issueInvoice('Peinture de l’entrée');
    const stale = await startedCheckout(link);
    await expectStatus(
      api('POST', `/invoices/${invoice.id}/credit-notes`, { lines: [{ index: 1, quantity: 1 }], reason: 'Pas de déplacement' }),
      201,
    );
    expect(server.stripe.session(stale.session)).toMatchObject({ status: 'expired' });

    const { context, page, problems } = await phone();
    try {
      await page.goto(stale.url);
      expect(await mainText(page)).toContain('Cette session de paiement a expiré');
      expect(await page.getByRole('button').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    const refused = await fetch(`${stale.url}/card`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(refused.status).toBe(410);

    const fresh = await startedCheckout(link);
    expect(fresh.session).not.toBe(stale.session);
    expect(server.stripe.session(fresh.session)).toMatchObject({ status: 'open', amount_total: 37_440 - 1_440 });
  });

  it('an amount Stripe cannot take (below 0,50 €): the page explains it and names another way to pay, with no button; the form answers 422, Stripe is not asked', async () => {
    const { invoice, link } = await issueInvoice('Photocopie du devis', [
      { description: 'Photocopie', kind: 'other', quantity: 1, unit: 'lump-sum', unitPriceCents: 25, vatRate: '20' },
    ]);
    expect(invoice.amountDueCents).toBe(30);
    const { context, page, problems } = await phone();
    try {
      expect((await page.goto(link))?.status()).toBe(200);
      const text = await mainText(page);
      expect(text).toContain('inférieur au minimum de 0,50');
      expect(text).toContain('par virement ou par chèque');
      expect(text).toContain(invoice.number);
      expect(await page.getByRole('button').count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'pay-page-below-minimum.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    const sessionsBefore = server.stripe.requests().filter((r) => r.path === '/v1/checkout/sessions').length;
    const refused = await postCheckout(link);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const body = plain(await refused.text());
    expect(body).toContain('Montant trop faible pour un paiement en ligne');
    expect(body).toContain(invoice.number);
    expect(server.stripe.requests().filter((r) => r.path === '/v1/checkout/sessions')).toHaveLength(sessionsBefore);
  });
});
