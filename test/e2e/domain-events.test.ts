/**
 * Domain events end to end, offline as in the cloud: a client accepts a quote through the local
 * server; the acceptance transaction writes the `QuoteAccepted` outbox item; the stream poller reads
 * it from DynamoDB Local's real stream and invokes the relay handler; the in-process bus delivers it
 * to NotifyQuoteAccepted, which e-mails the entrepreneur. Relaying the same stream record again
 * (a stream redelivery, an EventBridge duplicate) sends no second e-mail.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventBridgeEvent } from 'aws-lambda';
import { consumers, relay, type ConsumerDef } from '../../functions/consumers.ts';
import { formatEuros } from '../../functions/shared/french.ts';
import { invokeHandler } from '../../infra/local/apigw.ts';
import { demoClients, demoEntrepreneurs, demoEtds } from '../../infra/local/demo-data.ts';
import { startLocalEvents, type LocalEvents } from '../../infra/local/events.ts';
import { apiClient, expectStatus, plain } from '../support/api-client.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
let events: LocalEvents;
let manager: string;
let entrepreneurId: string;
let clientId: string;
const relayed: DynamoDBStreamEvent[] = [];
/**
 * A consumer of the sales events no function takes yet (payroll, the redevance will): the bus
 * routes them to it as to a real one; what it receives is recorded, nothing is invoked.
 */
const salesProbe: ConsumerDef = {
  fn: 'SalesProbe',
  handler: 'test/probe.ts',
  events: ['InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived', 'PaymentRefunded'],
  tables: {},
  summary: 'test probe',
};
const probed: EventBridgeEvent<string, Record<string, unknown> & { eventId: string }>[] = [];
/** Envelopes the bus delivered to a consumer, by consumer. */
const delivered: { fn: string; id: string; eventId: string }[] = [];
const eventLog: string[] = [];
const api = apiClient(
  () => server.url,
  () => manager,
);
const author = demoEntrepreneurs[2]; // Sophie Garnier, CAE MSG
const client = demoClients[1]!.body; // Jean Moreau

beforeAll(async () => {
  server = await startLocalTestServer();
  events = await startLocalEvents({
    endpoint: inject('ddbEndpoint'),
    intervalMs: 200,
    log: (line) => eventLog.push(line),
    relay: (event) => {
      relayed.push(event);
      return invokeHandler(relay, event);
    },
    consumers: [...consumers, salesProbe],
    invoke: async (consumer, envelope) => {
      delivered.push({ fn: consumer.fn, id: envelope.id, eventId: envelope.detail.eventId });
      if (consumer === salesProbe) return void probed.push(envelope);
      return invokeHandler(consumer, envelope);
    },
  });
  const operator = await server.token('operator');
  manager = await server.token('manager', '44');
  const asOperator = apiClient(
    () => server.url,
    () => operator,
  );
  await expectStatus(asOperator('POST', '/etds', demoEtds[0]), 201);
  entrepreneurId = (await expectStatus(asOperator('POST', '/entrepreneurs', author), 201)).id;
  for (const to of ['validated', 'active'])
    await expectStatus(asOperator('POST', `/entrepreneurs/${entrepreneurId}/transitions`, { to }), 200);
  clientId = (await expectStatus(api('POST', '/clients', { ...client, entrepreneurId }), 201)).id;
});

afterAll(async () => {
  await events?.stop();
  await server?.stop();
});

const mailsTo = (address: string) => server.outbox().filter((m) => m.to.includes(address));

/** A quote drafted, sent, and accepted by its client through the link, as the page posts it. */
async function acceptedQuote(): Promise<any> {
  const draft = await expectStatus(
    api('POST', '/quotes', {
      etd: '44',
      cae: 'MSG',
      entrepreneurId,
      clientId,
      siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
      housingOver2Years: true,
      worksStartWithinDays: 30,
      depositPercent: 30,
      title: 'Remplacement de la fenêtre de la cuisine',
      lines: [
        {
          description: 'Fenêtre PVC double vitrage 100 × 120 cm',
          kind: 'material',
          quantity: 1,
          unit: 'u',
          unitPriceCents: 68_017,
          vatRate: '20',
        },
      ],
    }),
    201,
  );
  const sent = await expectStatus(api('POST', `/quotes/${draft.id}/send`), 200);
  const page = await (await fetch(sent.links.accept)).text();
  const pdfSha256 = /name="pdfSha256" value="([0-9a-f]{64})"/.exec(page)?.[1];
  expect(pdfSha256).toBeDefined();
  const form = new URLSearchParams({ signerName: 'Jean Moreau', pdfSha256: pdfSha256! });
  const accept = await fetch(`${sent.links.accept}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  expect(accept.status).toBe(200);
  return expectStatus(api('GET', `/quotes/${draft.id}`), 200);
}

describe('QuoteAccepted, from the stream to the entrepreneur’s mailbox', () => {
  let quote: any;

  it('e-mails the entrepreneur once the stream is relayed', async () => {
    const before = mailsTo(author.email).length;
    quote = await acceptedQuote();
    expect(quote.state).toBe('accepted');
    await events.drained();

    const mails = mailsTo(author.email).slice(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe(`Devis n° ${quote.number} accepté pour Jean Moreau`);
    expect(plain(mail.text)).toContain(
      plain(`Bonjour ${author.firstName}, Votre devis n° ${quote.number} pour Jean Moreau a été accepté le`),
    );
    expect(plain(mail.text)).toContain(plain(`Montant total : ${formatEuros(quote.totals.grossCents)} TTC.`));
    // Nobody else was told: the client got the quote's link only.
    expect(server.outbox().filter((m) => m.subject.includes('accepté'))).toHaveLength(1);

    // The relay saw the outbox item in a real stream record (an INSERT with its new image).
    const records = relayed.flatMap((e) => e.Records).filter((r) => r.dynamodb?.NewImage?.type?.S === 'QuoteAccepted');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', eventSourceARN: events.poller.streamArn });
    expect(records[0]!.dynamodb!.NewImage!.detail!.M!.quoteId!.S).toBe(quote.id);
    expect(eventLog).toEqual([]);
  });

  it('sends no second e-mail when the same stream record is relayed again', async () => {
    const before = mailsTo(author.email).length;
    const deliveredBefore = delivered.length;
    const again = relayed.find((e) => e.Records.some((r) => r.dynamodb?.NewImage?.type?.S === 'QuoteAccepted'))!;
    // Twice: the bus hands each publication a new envelope id, as EventBridge does.
    await invokeHandler(relay, again);
    await invokeHandler(relay, again);
    await events.drained();
    expect(mailsTo(author.email).length - before).toBe(0);
    // The consumer did receive both deliveries, each with a new envelope id and the same event id.
    // (DraftReferralFromQuote, the other consumer of QuoteAccepted, received them too and drafted nothing twice.)
    const redeliveries = delivered.slice(deliveredBefore).filter((d) => d.fn === 'NotifyQuoteAccepted');
    expect(redeliveries.map((d) => d.fn)).toEqual(['NotifyQuoteAccepted', 'NotifyQuoteAccepted']);
    const first = delivered.slice(0, deliveredBefore).find((d) => d.eventId === redeliveries[0]!.eventId)!;
    expect(redeliveries.every((d) => d.eventId === first.eventId)).toBe(true);
    expect(new Set([first.id, ...redeliveries.map((d) => d.id)]).size).toBe(3);
    expect(eventLog).toEqual([]);
  });

  it('tells the entrepreneur of each accepted quote (one e-mail per event)', async () => {
    const before = mailsTo(author.email).length;
    const [a, b] = [await acceptedQuote(), await acceptedQuote()];
    await events.drained();
    const subjects = mailsTo(author.email)
      .slice(before)
      .map((m) => m.subject)
      .sort();
    expect(subjects).toEqual([`Devis n° ${a.number} accepté pour Jean Moreau`, `Devis n° ${b.number} accepté pour Jean Moreau`].sort());
  });
});

describe('the sales events of an invoice, from the stream to their consumers', () => {
  it('InvoiceIssued, PaymentReceived, CreditNoteIssued and PaymentRefunded each reach a consumer once, with their detail', async () => {
    // 10 h at 30 € and 12 € of travel, 20 % VAT: 312 € HT, 374.40 € TTC.
    const draft = await expectStatus(
      api('POST', '/invoices', {
        etd: '44',
        cae: 'MSG',
        clientId,
        entrepreneurId,
        kind: 'standard',
        title: 'Peinture de la chambre',
        lines: [
          { description: 'Peinture, deux couches', kind: 'labour', quantity: 10, unit: 'h', unitPriceCents: 3_000, vatRate: '20' },
          { description: 'Déplacement', kind: 'travel', quantity: 1, unit: 'lump-sum', unitPriceCents: 1_200, vatRate: '20' },
        ],
      }),
      201,
    );
    const invoice = await expectStatus(api('POST', `/invoices/${draft.id}/issue`), 200);
    // The client pays by card: the pay page's form, the stand-in's checkout, its signed webhook.
    const checkout = await fetch(`${invoice.links.pay}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const session = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(checkout.headers.get('location') ?? '')?.[1];
    expect(session, `checkout answered ${checkout.status}`).toBeDefined();
    server.stripe.pay(session!, 'card');
    await server.stripe.idle();
    // The travel line credited (12 € + 2.40 €): the 14.40 € overpaid go back by a Stripe refund.
    const credited = await expectStatus(
      api('POST', `/invoices/${invoice.id}/credit-notes`, { lines: [{ index: 1 }], reason: 'Déplacement offert' }),
      201,
    );
    await server.stripe.idle();
    expect(server.stripe.deliveries().filter((d) => !d.ok)).toEqual([]);
    await events.drained();

    const mine = probed.filter((e) => e.detail.invoiceId === invoice.id);
    expect(mine.map((e) => e['detail-type']).sort()).toEqual(['CreditNoteIssued', 'InvoiceIssued', 'PaymentReceived', 'PaymentRefunded']);
    expect(new Set(mine.map((e) => e.detail.eventId)).size).toBe(4);
    for (const envelope of mine)
      expect(envelope).toMatchObject({ source: 'oui-ensemble.sales', detail: { at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    const of = (type: string) => mine.find((e) => e['detail-type'] === type)!.detail;
    const base = { invoiceId: invoice.id, etd: '44', cae: 'MSG', entrepreneurId };
    expect(of('InvoiceIssued')).toMatchObject({
      ...base,
      number: invoice.number,
      clientId,
      issuedOn: invoice.issueDate,
      kind: 'standard',
      totals: { netCents: 31_200, vatCents: 6_240, grossCents: 37_440 },
      sapEligible: false,
    });
    expect(of('PaymentReceived')).toMatchObject({ ...base, amountCents: 37_440, netHtCents: 31_200 });
    expect(of('CreditNoteIssued')).toMatchObject({
      ...base,
      creditNoteId: credited.creditNote.id,
      number: credited.creditNote.number,
      totals: { netCents: 1_200, vatCents: 240, grossCents: 1_440 },
    });
    expect(of('PaymentRefunded')).toMatchObject({
      ...base,
      paymentIntent: of('PaymentReceived').paymentIntent,
      amountCents: 1_440,
      netHtCents: 1_200,
    });
    // Told to the probe and to each consumer of functions/consumers.ts that takes its type (payroll's
    // CreditTurnover, the redevance's facts, the CESU attestation's SAP facts) once, and nothing failed.
    const subscribers = (type: string) => [
      ...consumers.filter((c) => (c.events as readonly string[]).includes(type)).map((c) => c.fn),
      'SalesProbe',
    ];
    const expected = mine.flatMap((e) => subscribers(e['detail-type'])).sort();
    expect(expected.filter((fn) => fn === 'CreditTurnover')).toHaveLength(4);
    expect(
      delivered
        .filter((d) => mine.some((e) => e.detail.eventId === d.eventId))
        .map((d) => d.fn)
        .sort(),
    ).toEqual(expected);
    expect(eventLog).toEqual([]);
  });
});
