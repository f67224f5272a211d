/**
 * `POST /invoices/{id}/payments` over HTTP, on the local server with the Stripe stand-in: who may
 * record a payment received outside Stripe (the territory's managers and operators; an entrepreneur
 * 403, another territory 404), the answers (200 with the invoice's new balance, the same call again
 * `recorded: false`), the refusals as application/problem+json naming the field, and a checkout
 * left open on the invoice expired by the payment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDate } from '../../functions/shared/clock.ts';
import { demoClients, demoEntrepreneurs, demoEtds } from '../../infra/local/demo-data.ts';
import { apiClient, type Answer, expectStatus } from '../support/api-client.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
const tokens: Record<string, string> = {};
let entrepreneurId: string;
let clientId: string;
const as = (who: string) =>
  apiClient(
    () => server.url,
    () => tokens[who]!,
  );
const manager = as('manager');
const today = () => parisDate(new Date());

/** A standard invoice of Sophie Garnier's to Jean Moreau, `hours` at 30 € + 20 % VAT. */
const invoiceBody = (title: string, hours = 10) => ({
  etd: '44',
  cae: 'MSG',
  clientId,
  entrepreneurId,
  kind: 'standard',
  title,
  dueDays: 30,
  lines: [{ description: 'Peinture', kind: 'labour', quantity: hours, unit: 'h', unitPriceCents: 3_000, vatRate: '20' }],
});

/** 10 h at 30 € + 20 % VAT = 360.00 €, issued. */
async function issuedInvoice(title: string): Promise<any> {
  const draft = await expectStatus(manager('POST', '/invoices', invoiceBody(title)), 201);
  return expectStatus(manager('POST', `/invoices/${draft.id}/issue`), 200);
}

/** A problem+json naming `field` (in `errors[].path` for a 400, in `field` for a 409). */
async function expectProblem(answer: Promise<Answer>, status: number, field: string): Promise<void> {
  const body = await expectStatus(answer, status);
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  const named = status === 400 ? (body.errors as { path: string }[]).map((e) => e.path) : [body.field];
  expect(named).toContain(field);
}

beforeAll(async () => {
  server = await startLocalTestServer();
  tokens.operator = await server.token('operator');
  tokens.manager = await server.token('manager', '44');
  tokens.manager85 = await server.token('manager', '85');
  const operator = as('operator');
  await expectStatus(operator('POST', '/etds', demoEtds[0]), 201);
  entrepreneurId = (await expectStatus(operator('POST', '/entrepreneurs', demoEntrepreneurs[2]), 201)).id;
  for (const to of ['validated', 'active'])
    await expectStatus(operator('POST', `/entrepreneurs/${entrepreneurId}/transitions`, { to }), 200);
  clientId = (await expectStatus(manager('POST', '/clients', { ...demoClients[1].body, entrepreneurId }), 201)).id;
  tokens.entrepreneur = await server.token('entrepreneur', '44', 'es-e2e', { entityId: entrepreneurId });
});

afterAll(async () => {
  await server?.stop();
});

describe('a payment received outside Stripe, over HTTP', () => {
  it('recorded by the territory’s staff: 200 with the new balance; the same call again writes nothing; listed with the card payments', async () => {
    const invoice = await issuedInvoice('Peinture du salon');
    const transfer = { method: 'transfer', amountCents: 16_000, receivedOn: today(), reference: 'VIR SEPA MOREAU 0042' };
    await expectStatus(as('entrepreneur')('POST', `/invoices/${invoice.id}/payments`, transfer), 403);
    await expectStatus(as('manager85')('POST', `/invoices/${invoice.id}/payments`, transfer), 404);

    const first = await expectStatus(manager('POST', `/invoices/${invoice.id}/payments`, transfer), 200);
    expect(first).toMatchObject({
      recorded: true,
      payment: { method: 'transfer', amountCents: 16_000, reference: 'VIR SEPA MOREAU 0042', status: 'succeeded' },
      invoice: { id: invoice.id, state: 'partially_paid', amountPaidCents: 16_000, amountDueCents: 20_000 },
    });
    expect(first.payment).not.toHaveProperty('pk');
    const again = await expectStatus(as('operator')('POST', `/invoices/${invoice.id}/payments`, transfer), 200);
    expect(again).toMatchObject({ recorded: false, payment: first.payment, invoice: { version: first.invoice.version } });

    const apa = { method: 'apa-pch', amountCents: 20_000, receivedOn: today(), reference: 'Décision APA 44-2026-0042' };
    const paid = await expectStatus(as('operator')('POST', `/invoices/${invoice.id}/payments`, apa), 200);
    expect(paid).toMatchObject({ invoice: { state: 'paid', amountDueCents: 0 }, payment: { funding: { apaPchCents: 20_000 } } });
    const listed = (await expectStatus(manager('GET', `/invoices/${invoice.id}/payments`), 200)).items as any[];
    expect(listed.map((p) => [p.method, p.amountCents, p.reference]).sort()).toEqual([
      ['apa-pch', 20_000, 'Décision APA 44-2026-0042'],
      ['transfer', 16_000, 'VIR SEPA MOREAU 0042'],
    ]);
    expect((await expectStatus(manager('GET', `/invoices/${invoice.id}`), 200)).state).toBe('paid');
  });

  it('refused as application/problem+json naming the field', async () => {
    const invoice = await issuedInvoice('Peinture de la cuisine');
    const path = `/invoices/${invoice.id}/payments`;
    const cheque = { method: 'cheque', amountCents: 1_000, receivedOn: today(), reference: '7654321' };
    await expectProblem(manager('POST', path, { ...cheque, method: 'card' }), 400, 'method');
    await expectProblem(manager('POST', path, { ...cheque, amountCents: 0 }), 400, 'amountCents');
    await expectProblem(manager('POST', path, { ...cheque, reference: '' }), 400, 'reference');
    await expectProblem(manager('POST', path, { ...cheque, receivedOn: '2099-01-01' }), 400, 'receivedOn');
    await expectProblem(manager('POST', path, { ...cheque, receivedOn: '2020-01-01' }), 409, 'receivedOn');
    await expectProblem(manager('POST', path, { ...cheque, amountCents: 36_001 }), 409, 'amountCents');
    await expectProblem(manager('POST', '/invoices/crn_01kmy5b7c8d9e0f1g2h3j4k5m6/payments', cheque), 400, 'path.id');
    const draft = await expectStatus(manager('POST', '/invoices', invoiceBody('Brouillon', 1)), 201);
    await expectProblem(manager('POST', `/invoices/${draft.id}/payments`, cheque), 409, 'id');
    await expectStatus(manager('POST', path, cheque), 200);
    await expectProblem(manager('POST', path, { ...cheque, amountCents: 1_001 }), 409, 'reference');
    // Nothing of the refused ones was written.
    expect((await expectStatus(manager('GET', `/invoices/${invoice.id}`), 200)).amountPaidCents).toBe(1_000);
  });

  it('expires a Stripe checkout left open on the invoice', async () => {
    const invoice = await issuedInvoice('Peinture de l’entrée');
    const started = await fetch(`${invoice.links.pay}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(started.status).toBe(303);
    const session = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(started.headers.get('location')!)![1]!;
    expect(server.stripe.session(session)).toMatchObject({ status: 'open' });
    const cesu = { method: 'cesu-prefunded', amountCents: 6_000, receivedOn: today(), reference: 'CESU 7700001 à 7700004' };
    await expectStatus(manager('POST', `/invoices/${invoice.id}/payments`, cesu), 200);
    expect(server.stripe.session(session)).toMatchObject({ status: 'expired' });
  });
});
