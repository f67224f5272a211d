/**
 * Every route, job and event consumer (and the event relay), once, with only its own grants (the local runtime enforces them:
 * infra/local/grants.ts), on realistic data: a territory, an entrepreneur, a client, a partner,
 * quotes sent, accepted, declined and revised, an invoice issued, paid by card through the Stripe
 * stand-in (its signed webhook applied), credited and refunded, the domain events of all this
 * relayed from the sales stream to their consumers; then the daily jobs.
 *
 * A missing grant surfaces exactly as in Lambda: DynamoDB's AccessDeniedException, a variable or
 * secret "is not set". The grant runtime reports each such refusal; the walk must see none, and
 * each call must answer its ordinary status (so the code path that needs the grant was reached).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumers, relay } from '../../functions/consumers.ts';
import { jobs } from '../../functions/jobs.ts';
import { routeKey, routes, type RouteDef } from '../../functions/routes.ts';
import { invokeHandler } from '../../infra/local/apigw.ts';
import { startLocalEvents, type LocalEvents } from '../../infra/local/events.ts';
import { onGrantDenied, type GrantDenial } from '../../infra/local/grants.ts';
import { buildScheduledEvent } from '../../infra/local/scheduler.ts';
import {
  callerFor,
  demoPartners,
  expectAnswer as expectStatus,
  makeGrantWorld,
  renovationQuote,
  standardInvoice,
  type GrantWorld,
} from '../support/grant-world.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';
import { recordTurnover } from '../../functions/payroll/index.ts';
import { addMonths, periodOf, previousPeriod } from '../../functions/payroll/domain/period.ts';
import { firstWorkingDay } from '../../functions/shared/working-days.ts';
import { addDays, parisDate, parisYear } from '../../functions/shared/clock.ts';

let server: TestServer;
let events: LocalEvents;
let world: GrantWorld;
/** Functions the event relay and bus ran (each through invokeHandler, with its own grants). */
const eventFunctions = new Set<string>();
const denials: GrantDenial[] = [];
let stopListening: () => void = () => {};
let left: { quoteId: string; invoiceId: string } | undefined;

beforeAll(async () => {
  stopListening = onGrantDenied((denial) => denials.push(denial));
  server = await startLocalTestServer();
  events = await startLocalEvents({
    endpoint: inject('ddbEndpoint'),
    intervalMs: 200,
    log: () => {},
    relay: (event) => {
      eventFunctions.add(relay.fn);
      return invokeHandler(relay, event);
    },
    invoke: (consumer, envelope) => {
      eventFunctions.add(consumer.fn);
      return invokeHandler(consumer, envelope);
    },
  });
  world = await makeGrantWorld(server);
});

afterAll(async () => {
  stopListening();
  await events?.stop();
  await server?.stop();
});

/** The status check, which names the refusals seen so far when it fails. */
async function expectAnswer(answer: Parameters<typeof expectStatus>[0], status: number): Promise<any> {
  try {
    return await expectStatus(answer, status);
  } catch (error) {
    if (denials.length && error instanceof Error) error.message += `\nrefused so far: ${JSON.stringify(denials)}`;
    throw error;
  }
}

/** Route keys the server answered, from its request log (`[http] <route key> <status> <ms>`). */
function routesServed(): Set<string> {
  return new Set(
    server.log.flatMap((line) => {
      const match = /^\[http\] (\S+ \S+) \d{3} /.exec(line);
      return match ? [match[1]!] : [];
    }),
  );
}

describe('every route and job with its own grants', () => {
  it('walks every route: none is refused anything', async () => {
    const { operator, manager, anyone, form, entrepreneurId, clientId } = world;

    // meta
    await expectAnswer(anyone('GET', '/health'), 200);
    await expectAnswer(anyone('GET', '/openapi.json'), 200);

    // territories, entrepreneurs (POST /etds, POST /entrepreneurs and transitions are in makeGrantWorld)
    await expectAnswer(operator('GET', '/etds'), 200);
    await expectAnswer(operator('GET', '/etds/44'), 200);
    await expectAnswer(manager('GET', '/entrepreneurs?etd=44'), 200);
    const entrepreneur = await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}`), 200);
    await expectAnswer(
      manager('PATCH', `/entrepreneurs/${entrepreneurId}`, { version: entrepreneur.version, hourlyRateCents: 2_600 }),
      200,
    );
    await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}/history`), 200);
    await expectAnswer(anyone('GET', '/public/entrepreneurs?etd=44'), 200);

    // clients, partners
    await expectAnswer(manager('GET', '/clients'), 200);
    await expectAnswer(manager('GET', `/clients/${clientId}`), 200);
    const partner = await expectAnswer(manager('POST', '/partners', demoPartners[1]), 201);
    await expectAnswer(manager('GET', '/partners'), 200);
    await expectAnswer(manager('GET', `/partners/${partner.id}`), 200);
    await expectAnswer(callerFor(server, await server.token('partner', undefined, partner.id))('GET', '/partners/me'), 200);

    // quotes: drafted, edited, sent (PDF, e-mail), read, accepted by the client
    const draft = await expectAnswer(manager('POST', '/quotes', renovationQuote(world, 'Peinture de la chambre')), 201);
    const edited = await expectAnswer(
      manager('PATCH', `/quotes/${draft.id}`, { version: draft.version, title: 'Peinture de la chambre et du couloir' }),
      200,
    );
    const sent = await expectAnswer(manager('POST', `/quotes/${edited.id}/send`), 200);
    await expectAnswer(manager('GET', '/quotes'), 200);
    await expectAnswer(manager('GET', `/quotes/${sent.id}`), 200);
    await expectAnswer(manager('GET', `/quotes/${sent.id}/pdf`), 200);
    const quotePath = new URL(sent.links.accept as string).pathname;
    await expectAnswer(anyone('GET', quotePath), 200);
    await expectAnswer(form(`${quotePath}/accept`, { signerName: 'Jean Moreau', certifyVat: 'on', pdfSha256: sent.document.sha256 }), 200);
    // another declined, another revised
    const toDecline = await expectAnswer(
      manager(
        'POST',
        `/quotes/${(await expectAnswer(manager('POST', '/quotes', renovationQuote(world, 'Peinture du salon')), 201)).id}/send`,
      ),
      200,
    );
    await expectAnswer(
      form(`${new URL(toDecline.links.accept as string).pathname}/decline`, { reason: 'Trop tard pour cette année' }),
      200,
    );
    const toRevise = await expectAnswer(
      manager(
        'POST',
        `/quotes/${(await expectAnswer(manager('POST', '/quotes', renovationQuote(world, 'Peinture de la cuisine')), 201)).id}/send`,
      ),
      200,
    );
    await expectAnswer(manager('POST', `/quotes/${toRevise.id}/revisions`), 201);
    // another accepted, then withdrawn by the client within the 14 days (C. conso L221-18), through the same link
    const toWithdraw = await expectAnswer(
      manager(
        'POST',
        `/quotes/${(await expectAnswer(manager('POST', '/quotes', renovationQuote(world, 'Peinture de l’entrée')), 201)).id}/send`,
      ),
      200,
    );
    const withdrawPath = new URL(toWithdraw.links.accept as string).pathname;
    await expectAnswer(
      form(`${withdrawPath}/accept`, { signerName: 'Jean Moreau', certifyVat: 'on', pdfSha256: toWithdraw.document.sha256 }),
      200,
    );
    await expectAnswer(form(`${withdrawPath}/withdraw`, { signerName: 'Jean Moreau' }), 200);
    // an operator records the CAE's renewed insurance
    const territory = await expectAnswer(operator('GET', '/etds/44'), 200);
    await expectAnswer(
      operator('PATCH', '/etds/44/caes/MSG', {
        version: territory.version,
        insurance: { ...territory.caes.msg.insurance, policyNumber: 'RCD-44-2027-0733' },
      }),
      200,
    );

    // invoices: drafted, edited, issued (PDF, e-mail, pay link), read
    const invoiceDraft = await expectAnswer(manager('POST', '/invoices', standardInvoice(world, 'Peinture de la chambre')), 201);
    const invoiceEdited = await expectAnswer(
      manager('PATCH', `/invoices/${invoiceDraft.id}`, { version: invoiceDraft.version, title: 'Peinture de la chambre (novembre)' }),
      200,
    );
    const issued = await expectAnswer(manager('POST', `/invoices/${invoiceEdited.id}/issue`), 200);
    await expectAnswer(manager('GET', '/invoices'), 200);
    await expectAnswer(manager('GET', `/invoices/${issued.id}`), 200);
    await expectAnswer(manager('GET', `/invoices/${issued.id}/pdf`), 200);

    // the client pays by card: pay page, checkout (303 to the stand-in), card, signed webhook
    const payPath = new URL(issued.links.pay as string).pathname;
    await expectAnswer(anyone('GET', payPath), 200);
    const checkout = await form(`${payPath}/checkout`, {});
    expect(checkout.status, String(checkout.body).slice(0, 300)).toBe(303);
    const session = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(checkout.headers.get('location') ?? '')?.[1];
    expect(session, checkout.headers.get('location') ?? '').toBeDefined();
    const paid = await fetch(`${server.stripe.url}/pay/${session}/card`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBeLessThan(400);
    await server.stripe.idle();
    expect(server.stripe.deliveries().filter((d) => !d.ok)).toEqual([]);
    expect(server.stripe.deliveries().length).toBeGreaterThan(0);
    const afterPayment = await expectAnswer(manager('GET', `/invoices/${issued.id}`), 200);
    expect(afterPayment.amountDueCents).toBe(0);
    await expectAnswer(manager('GET', `/invoices/${issued.id}/payments`), 200);

    // a credit note on the paid invoice: PDF, e-mail, refund through Stripe (and its webhook)
    const credited = await expectAnswer(
      manager('POST', `/invoices/${issued.id}/credit-notes`, { lines: [{ index: 0, quantity: 2 }], reason: 'Deux heures non effectuées' }),
      201,
    );
    await server.stripe.idle();
    expect(server.stripe.deliveries().filter((d) => !d.ok)).toEqual([]);
    const creditPdf = routes.find((r) => r.fn === ('CreditNotePdfLink' as string)) as RouteDef | undefined;
    if (creditPdf)
      await expectAnswer(manager('GET', creditPdf.path.replace('{id}', issued.id).replace('{n}', credited.creditNote.number)), 200);

    // a payment received outside Stripe, recorded by staff: a cheque for part of an invoice; the same call again writes nothing
    const byCheque = await expectAnswer(
      manager(
        'POST',
        `/invoices/${(await expectAnswer(manager('POST', '/invoices', standardInvoice(world, 'Peinture du couloir')), 201)).id}/issue`,
      ),
      200,
    );
    const cheque = { method: 'cheque', amountCents: 1_000, receivedOn: parisDate(new Date()), reference: 'Chèque n° 0001234' };
    const recorded = await expectAnswer(manager('POST', `/invoices/${byCheque.id}/payments`, cheque), 200);
    expect(recorded).toMatchObject({ recorded: true, invoice: { state: 'partially_paid', amountPaidCents: 1_000 } });
    const replayed = await expectAnswer(manager('POST', `/invoices/${byCheque.id}/payments`, cheque), 200);
    expect(replayed).toMatchObject({ recorded: false, payment: { key: recorded.payment.key } });
    // the rest in pre-funded CESU, recorded by an operator: paid (so the reminders job leaves it alone)
    const rest = {
      method: 'cesu-prefunded',
      amountCents: recorded.invoice.amountDueCents,
      receivedOn: cheque.receivedOn,
      reference: 'CESU 0000101 à 0000112',
    };
    const settled = await expectAnswer(operator('POST', `/invoices/${byCheque.id}/payments`, rest), 200);
    expect(settled).toMatchObject({
      recorded: true,
      invoice: { state: 'paid', amountDueCents: 0 },
      payment: { funding: { prefundedCesuCents: rest.amountCents } },
    });

    // left for the jobs: a quote sent and never answered, an invoice issued and never paid
    const unanswered = await expectAnswer(
      manager(
        'POST',
        `/quotes/${(await expectAnswer(manager('POST', '/quotes', renovationQuote(world, 'Peinture du garage')), 201)).id}/send`,
      ),
      200,
    );
    const unpaid = await expectAnswer(
      manager(
        'POST',
        `/invoices/${(await expectAnswer(manager('POST', '/invoices', standardInvoice(world, 'Peinture du garage')), 201)).id}/issue`,
      ),
      200,
    );
    left = { quoteId: unanswered.id, invoiceId: unpaid.id };

    // payroll: an expense declared, its receipt uploaded through the signed link, read, validated; another refused
    const receipt = new Uint8Array(1_024);
    receipt.set(new TextEncoder().encode('%PDF-1.7\n'));
    const expenseBody = {
      amountCents: 3_200,
      vatCents: 533,
      date: '2025-01-15',
      category: 'travel',
      receipt: { contentType: 'application/pdf', bytes: receipt.length },
    };
    const declared = await expectAnswer(manager('POST', `/entrepreneurs/${entrepreneurId}/expenses`, expenseBody), 201);
    const uploaded = await fetch(declared.receiptUpload.url, { method: 'PUT', headers: declared.receiptUpload.headers, body: receipt });
    expect(uploaded.status).toBe(200);
    await expectAnswer(manager('GET', `/expenses/${declared.expense.id}`), 200);
    await expectAnswer(manager('POST', `/expenses/${declared.expense.id}/validate`), 200);
    const toRefuse = await expectAnswer(manager('POST', `/entrepreneurs/${entrepreneurId}/expenses`, expenseBody), 201);
    await expectAnswer(manager('POST', `/expenses/${toRefuse.expense.id}/refuse`, { reason: 'Déjà remboursé' }), 200);
    // last month's turnover credited (as the sales consumer will), a salary set, the payslip issued (PDF, e-mail), read
    const lastMonth = previousPeriod(periodOf(new Date()));
    await recordTurnover({ sourceId: 'grant-walk-turnover', entrepreneurId, period: lastMonth, netCents: 300_000 }, new Date());
    await expectAnswer(manager('PUT', `/entrepreneurs/${entrepreneurId}/salaries/${lastMonth}`, { grossCents: 150_000 }), 200);
    await expectAnswer(manager('POST', `/entrepreneurs/${entrepreneurId}/payslips/${lastMonth}`), 201);
    await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}/payslips`), 200);
    await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}/payslips/${lastMonth}/pdf`), 200);
    await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}/account?period=${lastMonth}`), 200);
    await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}/dashboard?from=${lastMonth}&to=${periodOf(new Date())}`), 200);
    // the withholding rate the tax administration sent, from next month; the CAE's payroll settings from next month
    const nextPeriod = addMonths(periodOf(new Date()), 1);
    await expectAnswer(
      manager('PUT', `/entrepreneurs/${entrepreneurId}/withholding-rate`, { rateBasisPoints: 750, from: nextPeriod, source: 'dgfip' }),
      200,
    );
    await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}/withholding-rate`), 200);
    await expectAnswer(
      operator('PUT', '/etds/44/caes/SAMAD/payroll-settings', {
        from: nextPeriod,
        contributionBasisPoints: 1_100,
        basis: 'cashed',
        overdraftCents: 0,
      }),
      200,
    );

    // CESU: the client registered as particulier employeur (coordinated by the walk's entrepreneur), a worker, last month
    // declared (summary PDF, export), submitted with the reference cesu.urssaf.fr gave, paid; the territory's tax-credit
    // attestations of this year on demand, the client's list
    await expectAnswer(
      manager('PUT', `/clients/${clientId}/cesu-employer`, {
        coordinatorId: entrepreneurId,
        cesuNumber: 'Z4401961JM',
        birthYear: 1948,
        exemption: { kind: 'aged-70', from: '2018-03-01' },
        alsaceMoselle: false,
      }),
      200,
    );
    const cesuWorker = await expectAnswer(
      manager('POST', `/clients/${clientId}/cesu-workers`, {
        firstName: 'Nadia',
        lastName: 'Benoît',
        startDate: '2024-09-02',
        netHourlyCents: 1_100,
        paidLeave: 'plus-10',
      }),
      201,
    );
    await expectAnswer(manager('GET', `/clients/${clientId}/cesu-employer`), 200);
    const cesuPath = `/clients/${clientId}/cesu-declarations/${lastMonth}`;
    await expectAnswer(manager('PUT', cesuPath, { workers: [{ workerId: cesuWorker.id, hours: 30 }] }), 200);
    await expectAnswer(manager('GET', cesuPath), 200);
    await expectAnswer(manager('GET', `${cesuPath}/pdf`), 200);
    await expectAnswer(manager('GET', `${cesuPath}/export`), 200);
    await expectAnswer(manager('POST', `${cesuPath}/submit`, { reference: 'CESU-WALK-0001' }), 200);
    await expectAnswer(manager('POST', `${cesuPath}/paid`, { paidOn: parisDate(new Date()) }), 200);
    await expectAnswer(manager('POST', `/etds/44/tax-attestations/${parisYear(new Date())}`), 200);
    await expectAnswer(manager('GET', `/clients/${clientId}/tax-attestations`), 200);

    // the domain events of all this, relayed from the sales stream to their consumers
    await events.drained();

    // redevance: a rate version (operators), last month stated on demand (PDF, e-mail), read, its lines, its PDF; the costs
    const lastMonthDone = previousPeriod(periodOf(new Date()));
    await expectAnswer(
      operator('POST', '/etds/44/redevance/rates', {
        from: `${lastMonthDone}-01`,
        conceptualBasisPoints: 150,
        operationalBasisPoints: 250,
        basis: 'invoiced',
      }),
      201,
    );
    await expectAnswer(manager('GET', '/etds/44/redevance/rates'), 200);
    const statement = await expectAnswer(operator('POST', '/etds/44/redevance/statements', { period: lastMonthDone }), 200);
    await expectAnswer(manager('GET', '/redevance/statements?etd=44'), 200);
    await expectAnswer(manager('GET', `/redevance/statements/${statement.id}`), 200);
    await expectAnswer(manager('GET', `/redevance/statements/${statement.id}/lines`), 200);
    await expectAnswer(manager('GET', `/redevance/statements/${statement.id}/pdf`), 200);
    await expectAnswer(manager('GET', `/costs?etd=44&from=${lastMonthDone}-01&to=${lastMonthDone}-28`), 200);

    // referrals: opened (matched, offered by e-mail with its link), read, an attachment declared, the offer declined on
    // its page; a second one accepted there, its works started by the partner and completed (the commission invoiced);
    // the draft the QuoteAccepted event opened, matched
    const partnerCaller = callerFor(server, await server.token('partner', undefined, partner.id));
    const day = (n: number) => addDays(parisDate(new Date()), n);
    const needs = {
      title: 'Isolation du grenier',
      description: 'Laine soufflée',
      trades: ['insulation'],
      energyRenovation: false,
      estimatedAmountCents: 300_000,
      startDate: day(10),
      endDate: day(20),
    };
    const works = { entrepreneurId, clientId, site: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' }, ...needs };
    const offerLink = () =>
      /(\/r\/[A-Za-z0-9_-]{43})/.exec(
        server
          .outbox()
          .filter((m) => m.subject.startsWith('Chantier proposé'))
          .at(-1)!.text,
      )![1]!;
    const declined = await expectAnswer(manager('POST', '/referrals', works), 201);
    await expectAnswer(manager('GET', '/referrals'), 200);
    await expectAnswer(manager('GET', `/referrals/${declined.id}`), 200);
    await expectAnswer(
      manager('POST', `/referrals/${declined.id}/attachments`, { name: 'plan.pdf', contentType: 'application/pdf', bytes: 1_000 }),
      201,
    );
    await expectAnswer(anyone('GET', offerLink()), 200);
    await expectAnswer(world.form(`${offerLink()}/decline`, { reason: 'Équipes prises' }), 200);
    const taken = await expectAnswer(manager('POST', '/referrals', works), 201);
    await expectAnswer(world.form(`${offerLink()}/accept`, { plannedStart: day(10) }), 200);
    await expectAnswer(partnerCaller('GET', '/partners/me/referrals'), 200);
    await expectAnswer(partnerCaller('POST', `/referrals/${taken.id}/transitions`, { to: 'in_progress' }), 200);
    const completed = await expectAnswer(
      manager('POST', `/referrals/${taken.id}/transitions`, { to: 'completed', techniciansAged45Plus: 2 }),
      200,
    );
    expect(completed.commission.number).toMatch(/^F-MSG44-/);
    await expectAnswer(manager('POST', `/referrals/${taken.id}/commission`), 200);
    const drafts = await expectAnswer(manager('GET', '/referrals?state=draft'), 200);
    await expectAnswer(manager('POST', `/referrals/${drafts.items[0].id}/open`, needs), 200);
    await events.drained();

    expect(denials, JSON.stringify(denials, null, 2)).toEqual([]);
    expect([...eventFunctions].sort(), 'the relay and every consumer ran').toEqual([relay.fn, ...consumers.map((c) => c.fn)].sort());
    const missed = (routes as readonly RouteDef[]).map(routeKey).filter((key) => !routesServed().has(key));
    expect(missed, 'routes this walk does not call yet: add them').toEqual([]);
  });

  it('runs every job: none is refused anything', async () => {
    expect(left, 'the route walk leaves a quote and an invoice for the jobs').toBeDefined();
    const run = (fn: string, at: Date) =>
      invokeHandler(jobs.find((j) => j.fn === fn)!, buildScheduledEvent({ fn }, at), { timeoutMs: 300_000 });
    const day = 24 * 3600 * 1000;
    for (const job of jobs) await run(job.fn, new Date());
    // Overdue by more than a week: the unpaid invoice and the referral's commission invoice (left unpaid by the
    // partner) each get their reminder (e-mail with the pay link).
    const before = server.outbox().length;
    await run('SendReminders', new Date(Date.now() + 40 * day));
    expect(server.outbox().length).toBe(before + 2);
    // The first working day of next month, 07:00 Paris: the salary drafts of this month are prepared for every
    // active entrepreneur (the walk's at least; the reminder e-mailed only to a CAE with a payroll contact), once.
    const nextMonth = addMonths(periodOf(new Date()), 1);
    const firstDay = new Date(`${firstWorkingDay(nextMonth)}T06:00:00Z`);
    const prepared = (await run('PrepareSalaryDrafts', firstDay)) as { created: number; kept: number };
    expect(prepared).toMatchObject({ period: periodOf(new Date()), reminders: { failed: 0 } });
    expect(prepared.created).toBeGreaterThanOrEqual(1);
    expect(await run('PrepareSalaryDrafts', firstDay)).toMatchObject({ created: 0, kept: prepared.created + prepared.kept });
    // The same first working day, 08:00 Paris: this month's redevance statement of 44 (the walk's invoices), once.
    const statements = (await run('IssueRedevanceStatements', firstDay)) as { issued: { id: string; emailed: number }[] };
    expect(statements.issued.map((s) => s.id)).toEqual([`44-${periodOf(new Date())}`]);
    expect((await run('IssueRedevanceStatements', firstDay)) as { issued: unknown[] }).toMatchObject({ issued: [] });
    // CESU: three days before the deadline of this month's declarations (the 5th of next month), the coordinators
    // reminded; the first working day of January, last year's tax-credit attestations of every territory.
    const remindOn = new Date(`${nextMonth}-02T07:30:00Z`);
    expect(await run('RemindCesuDeclarations', remindOn)).toMatchObject({ period: periodOf(new Date()), failed: 0 });
    const january = `${Number(periodOf(new Date()).slice(0, 4)) + 1}-01`;
    expect(await run('IssueTaxAttestations', new Date(`${firstWorkingDay(january)}T05:30:00Z`))).toMatchObject({
      year: Number(periodOf(new Date()).slice(0, 4)),
    });
    // The daily cost job on today (the walk's metered invocations, Stripe fees of its card payment): it adds up.
    expect(await run('ComputeDailyCosts', new Date(Date.now() + day))).toMatchObject({ addsUp: true });
    // 44's cost of today carries Stripe's fee of the walk's card payment (the stand-in's balance transaction).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const costs = await expectAnswer(world.manager('GET', `/costs?from=${today}&to=${today}`), 200);
    expect(costs.days[0].stripeFeesEuros).toBeGreaterThan(0);
    expect(costs.days[0].totalEuros).toBeCloseTo(costs.days[0].meteredEuros + costs.days[0].sharedEuros + costs.days[0].stripeFeesEuros, 6);
    // Long past its validity: the unanswered quote expires.
    await run('ExpireQuotes', new Date(Date.now() + 400 * day));
    expect((await expectAnswer(world.manager('GET', `/quotes/${left!.quoteId}`), 200)).state).toBe('expired');
    expect((await expectAnswer(world.manager('GET', `/invoices/${left!.invoiceId}`), 200)).amountDueCents).toBeGreaterThan(0);
    expect(denials, JSON.stringify(denials, null, 2)).toEqual([]);
  });
});
