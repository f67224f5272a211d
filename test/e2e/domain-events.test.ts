/**
 * Domain events end to end, offline as in the cloud: a client accepts a quote through the local
 * server; the acceptance transaction writes the `QuoteAccepted` outbox item; the stream poller reads
 * it from DynamoDB Local's real stream and invokes the relay handler; the in-process bus delivers it
 * to NotifyQuoteAccepted, which e-mails the entrepreneur. Relaying the same stream record again
 * (a stream redelivery, an EventBridge duplicate) sends no second e-mail.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { relay } from '../../functions/consumers.ts';
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
    invoke: (consumer, envelope) => {
      delivered.push({ fn: consumer.fn, id: envelope.id, eventId: envelope.detail.eventId });
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
    const redeliveries = delivered.slice(deliveredBefore);
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
