/**
 * A partner answers a referral offer in a real headless Chromium (Debian's, driven by playwright-core)
 * through the local server: the entrepreneur opens the demo referral over the API, the offer link
 * arrives in the outbox, the first candidate opens it (the job in French, no client contact yet, no
 * console error under the strict CSP) and declines it; the second candidate accepts it with a planned
 * start and then sees the client's contact; the declined link answers a French 409 page; the partner's
 * list and another partner's reach; then, past 48 h, the hourly job (run as the scheduler runs it) expires an
 * offer, whose page answers a French 410, and offers the job to the next candidate.
 *
 * Screenshots go to .local/screenshots/ for a human to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeHandler, REPO_ROOT } from '../../infra/local/apigw.ts';
import { buildScheduledEvent } from '../../infra/local/scheduler.ts';
import { jobs } from '../../functions/jobs.ts';
import { addDays, parisDate } from '../../functions/shared/clock.ts';
import { demoReferral } from '../../infra/local/demo-data.ts';
import { seedDemo } from '../../infra/local/seed.ts';
import { apiClient, expectStatus, plain as plainText } from '../support/api-client.ts';
import { launchBrowser } from '../support/browser.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

const SCREENSHOTS = join(REPO_ROOT, '.local', 'screenshots');

let server: TestServer;
let browser: Browser;
let token = '';
const api = apiClient(
  () => server.url,
  () => token,
);
let partners: Record<string, string> = {};
let referralId = '';
let garnierId = '';
let referralBody: Record<string, unknown> = {};

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startLocalTestServer(), launchBrowser()]);
  await seedDemo(new Date());
  token = await server.token('operator');
  const es = await expectStatus(api('GET', '/entrepreneurs?etd=44&state=active&limit=10'), 200);
  const garnier = es.items.find((e: any) => e.lastName === 'Garnier');
  partners = Object.fromEntries(
    (await expectStatus(api('GET', '/partners?department=44&limit=20'), 200)).items.map((p: any) => [p.legalName, p.id]),
  );
  token = await server.token('entrepreneur', '44', 'es-garnier', { entityId: garnier.id });
  const clients = await expectStatus(api('GET', '/clients?limit=10'), 200);
  const moreau = clients.items.find((c: any) => c.lastName === 'Moreau');
  const start = addDays(parisDate(new Date()), 40);
  const end = addDays(parisDate(new Date()), 55);
  garnierId = garnier.id;
  referralBody = { ...demoReferral, clientId: moreau.id, startDate: start, endDate: end };
  const referral = await expectStatus(api('POST', '/referrals', referralBody), 201);
  referralId = referral.id;
  expect(referral.candidates.map((c: any) => c.legalName)[0]).toBe('Rénov’Habitat Estuaire');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const linkOf = (to: string): string => {
  const mail = server
    .outbox()
    .filter((m) => m.subject.startsWith('Chantier proposé') && m.to.includes(to))
    .at(-1)!;
  return /(http:\/\/\S+\/r\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
};

describe('the partner’s offer page in Chromium', () => {
  it('shows the job in French without the client, is declined, then the next candidate accepts and sees the contact', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    const first = linkOf('renovhabitat-estuaire');
    const response = await page.goto(first);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toContain("default-src 'none'");
    const text = await page.locator('main').innerText();
    expect(text).toContain('Isolation des combles et reprise des plafonds');
    expect(text).toContain('Plâtrerie');
    expect(text).toContain('Isolation des combles perdus');
    expect(text).not.toMatch(/insulation|plastering|attic-insulation/);
    expect(text).not.toContain('Moreau');
    expect(text).not.toContain('21 rue du Port');
    await page.screenshot({ path: join(SCREENSHOTS, 'referral-offer.png'), fullPage: true });
    await page.getByRole('button', { name: 'Refuser le chantier' }).click();
    await expect(page.locator('h1').innerText()).resolves.toContain('Votre refus est bien enregistré');

    const second = linkOf('compagnons-erdre');
    await page.goto(second);
    await page.fill('#plannedStart', demoReferralStart());
    await page.getByRole('button', { name: 'Accepter le chantier' }).click();
    const accepted = await page.locator('main').innerText();
    expect(accepted).toContain('Vous avez accepté ce chantier');
    expect(accepted).toContain('Jean Moreau');
    expect(accepted).toContain('21 rue du Port');
    await page.screenshot({ path: join(SCREENSHOTS, 'referral-offer-accepted.png'), fullPage: true });
    expect(problems).toEqual([]);

    // The declined link: nothing more to answer.
    const again = await page.goto(first);
    expect(again!.status()).toBe(409);
    await context.close();
  });

  it('the partner sees its offers; another partner cannot reach the referral (403 on the staff route, 404 on transitions); a declined offer changes nothing (409 page)', async () => {
    token = await server.token('partner', undefined, 'par-erdre', { entityId: partners['Les Compagnons Plâtriers de l’Erdre'] });
    const mine = await expectStatus(api('GET', '/partners/me/referrals'), 200);
    expect(mine.items[0]).toMatchObject({ referralId, state: 'accepted', client: { name: 'Jean Moreau' } });
    expect(mine.items[0].job.trades).toEqual([
      { code: 'insulation', label: 'Isolation' },
      { code: 'plastering', label: 'Plâtrerie' },
    ]);
    token = await server.token('partner', undefined, 'par-renov', { entityId: partners['Rénov’Habitat Estuaire'] });
    const other = await api('GET', `/referrals/${referralId}`);
    expect(other.status).toBe(403);
    const move = await api('POST', `/referrals/${referralId}/transitions`, { to: 'in_progress' });
    expect(move.status).toBe(404);
    // A POST on the declined offer changes nothing.
    const accept = await fetch(`${linkOf('renovhabitat-estuaire')}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `plannedStart=${demoReferralStart()}`,
      redirect: 'manual',
    });
    expect(accept.status).toBe(409);
    expect(await accept.text()).toContain('déjà refusé');
  });
});

describe('the commission', () => {
  it('completing the works issues the commission invoice to the partner, paid online by card', async () => {
    token = await server.token('manager', '44');
    await expectStatus(api('POST', `/referrals/${referralId}/transitions`, { to: 'in_progress' }), 200);
    const done = await expectStatus(
      api('POST', `/referrals/${referralId}/transitions`, { to: 'completed', techniciansAged45Plus: 3, worksAmountCents: 850_000 }),
      200,
    );
    expect(done).toMatchObject({ state: 'completed', techniciansAged45Plus: 3, commission: { basisPoints: 1000, amountCents: 85_000 } });
    const invoice = await expectStatus(api('GET', `/invoices/${done.commission.invoiceId}`), 200);
    expect(invoice).toMatchObject({ state: 'issued', cae: 'MSG', amountDueCents: 102_000, number: done.commission.number });
    const mail = server.outbox().find((m) => m.subject.includes(done.commission.number))!;
    expect(mail.to).toContain('compagnons-erdre');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(done.commission.payUrl);
    expect(plainText(await page.locator('main').innerText())).toContain('1 020,00 €');
    await Promise.all([
      page.waitForURL(new RegExp(`^${server.stripe.url}/pay/cs_`)),
      page.getByRole('button', { name: /^Payer / }).click(),
    ]);
    await Promise.all([
      page.waitForURL(`${done.commission.payUrl}?paiement=ok`),
      page.getByRole('button', { name: 'Payer par carte' }).click(),
    ]);
    await server.stripe.idle();
    await context.close();
    expect((await expectStatus(api('GET', `/invoices/${done.commission.invoiceId}`), 200)).state).toBe('paid');
  });
});

describe('expiry through the scheduled job', () => {
  it('past 48 h the hourly job expires the offer: its page is a French 410 and the next candidate gets an offer', async () => {
    token = await server.token('entrepreneur', '44', 'es-garnier', { entityId: garnierId });
    const referral = await expectStatus(api('POST', '/referrals', { ...referralBody, title: 'Reprise des plafonds' }), 201);
    const first = referral.offers[0];
    const before = server.outbox().filter((m) => m.subject.startsWith('Chantier proposé')).length;
    const link = linkOf(
      first.legalName === 'Rénov’Habitat Estuaire'
        ? 'renovhabitat-estuaire'
        : first.legalName.includes('Erdre')
          ? 'compagnons-erdre'
          : 'isolation-bocage',
    );
    const job = jobs.find((j) => j.fn === 'ExpireReferralOffers')!;
    const result = (await invokeHandler(job, buildScheduledEvent(job, new Date(Date.now() + 49 * 3_600_000)))) as { expired: number };
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(server.outbox().filter((m) => m.subject.startsWith('Chantier proposé')).length).toBe(before + 1);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const page = await context.newPage();
    const response = await page.goto(link);
    expect(response!.status()).toBe(410);
    expect(await page.locator('h1').innerText()).toBe('Proposition expirée');
    await page.screenshot({ path: join(SCREENSHOTS, 'referral-offer-expired.png'), fullPage: true });
    await context.close();

    // The next candidate's offer: a planned start in the past is a French 400 page and changes nothing.
    const next = server
      .outbox()
      .filter((m) => m.subject.startsWith('Chantier proposé'))
      .at(-1)!;
    const nextLink = /(http:\/\/\S+\/r\/[A-Za-z0-9_-]{43})/.exec(next.text)![1]!;
    const past = await fetch(`${nextLink}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'plannedStart=2020-01-06',
      redirect: 'manual',
    });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain('Date de début passée');
    expect((await fetch(nextLink)).status).toBe(200);
    // A link that opens no offer: a French 404 page.
    const unknown = await fetch(nextLink.replace(/\/r\/.*/, `/r/${'A'.repeat(43)}`));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Lien inconnu');
  });
});

function demoReferralStart(): string {
  return addDays(parisDate(new Date()), 41);
}
