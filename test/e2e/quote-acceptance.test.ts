/**
 * The client's "bon pour accord" in a real headless Chromium (Debian's, driven by playwright-core)
 * through the local server: a manager drafts and sends a quote with reduced VAT rates, the link
 * arrives in the outbox, the client opens it, ticks the VAT certification, types a name and
 * accepts; the API then shows the evidence, the link shows "déjà accepté" and a second acceptance
 * is refused with a French page. A second quote is declined the same way.
 *
 * Screenshots (before and after) go to .local/screenshots/ for a human to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const renovation = {
  etd: '44',
  cae: 'MSG',
  siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
  housingOver2Years: true,
  worksStartWithinDays: 30,
  depositPercent: 30,
};

/** Drafts and sends a quote; answers the quote as sent and the link the client received. */
async function sendQuote(title: string, lines: readonly object[]): Promise<{ quote: any; link: string }> {
  const draft = await expectStatus(api('POST', '/quotes', { ...renovation, entrepreneurId, clientId, title, lines }), 201);
  expect(draft).toMatchObject({ state: 'draft', number: null, revision: 1 });
  const before = server.outbox().length;
  const sent = await expectStatus(api('POST', `/quotes/${draft.id}/send`), 200);
  expect(sent.state).toBe('sent');
  expect(sent.number).toMatch(/^D-MSG44-\d{4}-\d{6}$/);
  const link: string = sent.links.accept;
  expect(link).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/q/[A-Za-z0-9_-]{43}$`));
  const mails = server.outbox().slice(before);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.to).toContain('jean.moreau@example.org');
  expect(mails[0]!.text).toContain(link);
  return { quote: sent, link };
}

/** A fresh browser context (its own cookies and cache) on a phone-sized screen, French. */
async function phone(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'fr-FR' });
  const page = await context.newPage();
  const problems: string[] = [];
  // A CSP violation or any failed load is reported on the console: the pages must have none.
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() === 404) problems.push(`404 ${response.url()}`);
  });
  return { context, page, problems };
}

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

describe('the client accepts a quote in Chromium', () => {
  let quote: any;
  let link: string;

  beforeAll(async () => {
    ({ quote, link } = await sendQuote('Isolation des combles et remplacement de la chaudière', [
      {
        section: 'Combles',
        description: 'Isolation des combles perdus par soufflage de laine minérale, R = 7',
        kind: 'material',
        quantity: 62.5,
        unit: 'm2',
        unitPriceCents: 2_450,
        vatRate: '5.5',
        energyRenovation: true,
      },
      {
        section: 'Combles',
        description: 'Pose et protection des spots',
        kind: 'labour',
        quantity: 6,
        unit: 'h',
        unitPriceCents: 4_800,
        vatRate: '10',
      },
      { description: 'Déplacement', kind: 'travel', quantity: 1, unit: 'lump-sum', unitPriceCents: 3_500, vatRate: '10' },
    ]));
    expect(quote.totals.vat.map((v: { rate: string }) => v.rate)).toEqual(['10', '5.5']);
  });

  it('opens the page, ticks the certification, signs, and sees the confirmation', async () => {
    const { context, page, problems } = await phone();
    try {
      const response = await page.goto(link);
      expect(response?.status()).toBe(200);
      const headers = response!.headers();
      expect(headers['content-type']).toBe('text/html; charset=utf-8');
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['content-security-policy']).toContain("default-src 'none'");

      // What the client reads.
      expect(await page.title()).toBe(`Devis ${quote.number} – Oui Ensemble`);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(plain((await page.getByRole('heading', { level: 1 }).textContent())!)).toBe(
        'Votre devis : Isolation des combles et remplacement de la chaudière',
      );
      const text = plain(await page.locator('main').innerText());
      expect(text).toContain(`Devis n° ${quote.number}`);
      for (const piece of ['CAE MSG Loire-Atlantique', 'Sophie', 'Jean Moreau', '21 rue du Port', '44200 Nantes', 'valable jusqu'])
        expect(text).toContain(piece);
      for (const cents of [
        quote.totals.netCents,
        quote.totals.grossCents,
        quote.totals.depositCents,
        ...quote.totals.vat.flatMap((v: any) => [v.baseCents, v.vatCents]),
      ]) {
        expect(text).toContain(plain(formatEuros(cents)));
      }
      // The energy-renovation sentence covers the 5.5 % works only; the consumer's rights are on the page.
      expect(text).toContain(
        'Pour les travaux facturés au taux de 5,5 %, je certifie en outre qu’ils ont la nature de travaux de rénovation énergétique.',
      );
      expect(text).toContain('Votre droit de rétractation');
      expect(text).toContain('Vous disposez d’un délai de 14 jours pour vous rétracter de ce contrat');
      expect(text).toContain('Aucun paiement pendant 7 jours');
      expect(text).toContain('Médiation de la consommation de l’économie sociale (fictive)');
      expect(text).toContain('Acompte à verser au plus tôt 8 jours après votre accord');
      expect(await page.getByRole('checkbox', { name: /Je demande expressément que les travaux commencent/ }).count()).toBe(1);

      // Large text and big targets.
      // (expressions as strings: this project's TypeScript has no DOM library)
      expect(Number(await page.evaluate('parseFloat(getComputedStyle(document.body).fontSize)'))).toBeGreaterThanOrEqual(18);
      const accept = page.getByRole('button', { name: 'Bon pour accord' });
      expect((await accept.boundingBox())!.height).toBeGreaterThanOrEqual(48);
      expect((await page.getByRole('button', { name: 'Refuser le devis' }).boundingBox())!.height).toBeGreaterThanOrEqual(48);

      // The PDF link serves the very document whose SHA-256 the form carries.
      const pdf = page.getByRole('link', { name: 'Télécharger le devis (PDF)' });
      const pdfAnswer = await context.request.get((await pdf.getAttribute('href'))!);
      expect(pdfAnswer.status()).toBe(200);
      const bytes = await pdfAnswer.body();
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(quote.document.sha256);
      expect(await page.locator('input[name="pdfSha256"]').inputValue()).toBe(quote.document.sha256);

      await page.screenshot({ path: join(SCREENSHOTS, 'quote-page-before.png'), fullPage: true });

      // Without JavaScript, the browser itself holds back an incomplete form.
      await accept.click();
      expect(page.url()).toBe(link);
      expect(
        await page
          .getByLabel('Vos nom et prénom')
          .evaluate((el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
      ).toBe(true);

      await page.getByLabel('Vos nom et prénom').fill('Jean Moreau');
      await page.getByRole('checkbox', { name: /Je soussigné\(e\)/ }).check();
      await Promise.all([page.waitForURL(`${link}/accept`), accept.click()]);

      expect(plain((await page.getByRole('heading', { level: 1 }).textContent())!)).toBe('Merci, votre accord est bien enregistré');
      const confirmation = plain(await page.locator('main').innerText());
      expect(confirmation).toContain(`Vous avez accepté le devis n° ${quote.number}`);
      expect(confirmation).toContain('Jean Moreau');
      expect(confirmation).toContain(plain(formatEuros(quote.totals.depositCents)));
      await page.screenshot({ path: join(SCREENSHOTS, 'quote-page-after.png'), fullPage: true });
      expect(problems).toEqual([]);

      // The API shows the evidence.
      const userAgent = await page.evaluate(() => navigator.userAgent);
      const accepted = await expectStatus(api('GET', `/quotes/${quote.id}`), 200);
      expect(accepted.state).toBe('accepted');
      expect(accepted.acceptance).toEqual({
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        signerName: 'Jean Moreau',
        ip: '127.0.0.1',
        userAgent,
        pdfSha256: quote.document.sha256,
        vatCertified: true,
      });
      expect(Date.now() - Date.parse(accepted.acceptance.at)).toBeLessThan(60_000);
    } finally {
      await context.close();
    }
  });

  it('opening the link again says it is already accepted, and offers nothing to sign', async () => {
    const { context, page, problems } = await phone();
    try {
      expect((await page.goto(link))?.status()).toBe(200);
      const text = plain(await page.locator('main').innerText());
      expect(text).toContain('Ce devis a déjà été accepté le');
      expect(text).toContain('par Jean Moreau');
      // Nothing to sign; only the withdrawal, within the 14 days (C. conso L221-18).
      expect(text).toContain('Vous pouvez encore vous rétracter jusqu’au');
      expect(await page.getByRole('button', { name: 'Bon pour accord' }).count()).toBe(0);
      expect(await page.locator('form').count()).toBe(1);
      expect(await page.locator('form').getAttribute('action')).toMatch(/\/withdraw$/);
      await page.screenshot({ path: join(SCREENSHOTS, 'quote-page-already-accepted.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a second acceptance is refused with a French page (409) and changes nothing', async () => {
    const before = await expectStatus(api('GET', `/quotes/${quote.id}`), 200);
    const response = await fetch(`${link}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signerName: 'Quelqu’un d’autre', certifyVat: 'on', pdfSha256: quote.document.sha256 }),
    });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toMatch(/<h1>[^<]*accept/i);
    const after = await expectStatus(api('GET', `/quotes/${quote.id}`), 200);
    expect(after.acceptance).toEqual(before.acceptance);
  });
});

describe('the client withdraws within 14 days in Chromium (C. conso L221-18)', () => {
  it('accepts, then withdraws through the same link; the API records it with its evidence', async () => {
    const { quote, link } = await sendQuote('Remplacement des volets', [
      {
        description: 'Volets battants en bois, fourniture et pose',
        kind: 'material',
        quantity: 4,
        unit: 'u',
        unitPriceCents: 42_000,
        vatRate: '10',
      },
    ]);
    const { context, page, problems } = await phone();
    try {
      await page.goto(link);
      await page.getByLabel('Vos nom et prénom').fill('Jean Moreau');
      await page.getByRole('checkbox', { name: /Je soussigné\(e\)/ }).check();
      await Promise.all([page.waitForURL(`${link}/accept`), page.getByRole('button', { name: 'Bon pour accord' }).click()]);
      const confirmation = plain(await page.locator('main').innerText());
      expect(confirmation).toContain('Vous pouvez annuler votre accord sans motif et sans frais jusqu’au');
      await page.screenshot({ path: join(SCREENSHOTS, 'quote-page-withdrawal-offered.png'), fullPage: true });

      await page.getByLabel('Vos nom et prénom').fill('Jean Moreau');
      const mailsBefore = server.outbox().length;
      await Promise.all([page.waitForURL(`${link}/withdraw`), page.getByRole('button', { name: 'Me rétracter' }).click()]);
      // The entrepreneur who wrote the quote is told, with what follows (refund within 14 days).
      const told = server.outbox().slice(mailsBefore);
      expect(told.map((m) => m.subject)).toEqual([`Devis n° ${quote.number} : rétractation de Jean Moreau`]);
      expect(told[0]!.text).toContain('au plus tard 14 jours après sa rétractation');
      expect(plain((await page.getByRole('heading', { level: 1 }).textContent())!)).toBe('Votre rétractation est bien enregistrée');
      expect(plain(await page.locator('main').innerText())).toContain(`Vous vous êtes rétracté(e) du devis n° ${quote.number}`);
      await page.screenshot({ path: join(SCREENSHOTS, 'quote-page-withdrawn.png'), fullPage: true });
      expect(problems).toEqual([]);

      const userAgent = await page.evaluate(() => navigator.userAgent);
      const withdrawn = await expectStatus(api('GET', `/quotes/${quote.id}`), 200);
      expect(withdrawn.state).toBe('withdrawn');
      expect(withdrawn.withdrawal).toEqual({ at: expect.stringMatching(/^\d{4}-/), signerName: 'Jean Moreau', ip: '127.0.0.1', userAgent });

      await page.goto(link);
      expect(plain(await page.locator('main').innerText())).toContain('Vous vous êtes rétracté(e) de ce devis le');
      expect(await page.locator('form').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('the client declines a quote in Chromium', () => {
  it('declines with a reason and sees the acknowledgement; the API shows it', async () => {
    const { quote, link } = await sendQuote('Peinture du séjour', [
      {
        description: 'Peinture des murs et plafonds du séjour, deux couches',
        kind: 'labour',
        quantity: 35,
        unit: 'm2',
        unitPriceCents: 2_200,
        vatRate: '20',
      },
    ]);
    const { context, page, problems } = await phone();
    try {
      await page.goto(link);
      // Full rate: no certification to tick (only the consumer's optional request to start early).
      expect(await page.getByRole('checkbox', { name: /Je soussigné/ }).count()).toBe(0);
      await page.getByLabel('Motif (facultatif)').fill('Nous avons décidé de reporter les travaux.');
      await Promise.all([page.waitForURL(`${link}/decline`), page.getByRole('button', { name: 'Refuser le devis' }).click()]);
      expect(plain((await page.getByRole('heading', { level: 1 }).textContent())!)).toBe('Votre refus est bien enregistré');
      await page.screenshot({ path: join(SCREENSHOTS, 'quote-page-declined.png'), fullPage: true });
      expect(problems).toEqual([]);

      const declined = await expectStatus(api('GET', `/quotes/${quote.id}`), 200);
      expect(declined.state).toBe('declined');
      expect(declined.decline).toMatchObject({ reason: 'Nous avons décidé de reporter les travaux.' });

      await page.goto(link);
      expect(plain(await page.locator('main').innerText())).toContain('Ce devis a été refusé le');
      expect(await page.locator('form').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
