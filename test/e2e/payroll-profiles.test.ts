/**
 * The three business-plan profiles (ES.TC.Dép, ES.Fo, ES.DR) run a month end to end, offline, over
 * the local server: each one's invoice is issued and paid by card through the Stripe stand-in (the
 * « Payer » form, then the stand-in's card button, its signed webhook applied); the relay delivers
 * the sales events and CreditTurnover credits the activity account (cashed basis, the CAE's default);
 * the entrepreneur declares an expense and PUTs its receipt through the signed link, the manager
 * validates it; the manager sets the salary and issues the payslip (PDF read back with pdftotext);
 * the dashboard shows the month on the profile. Scopes: another entrepreneur 404, a partner 403. The
 * monthly job, run twice on the first working day of next month, changes nothing of all this.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumers } from '../../functions/consumers.ts';
import { jobs } from '../../functions/jobs.ts';
import { addMonths, periodOf } from '../../functions/payroll/domain/period.ts';
import { firstWorkingDay } from '../../functions/shared/working-days.ts';
import { invokeHandler } from '../../infra/local/apigw.ts';
import { demoClients, demoEntrepreneurs, demoPayrollMonth } from '../../infra/local/demo-data.ts';
import { startLocalEvents, type LocalEvents } from '../../infra/local/events.ts';
import { buildScheduledEvent } from '../../infra/local/scheduler.ts';
import { callerFor, expectAnswer, makeGrantWorld, type Caller, type GrantWorld } from '../support/grant-world.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';
import { flat, usePdfReader } from '../support/pdf-text.ts';

let server: TestServer;
let events: LocalEvents;
let world: GrantWorld;
let partner: Caller;
const read = usePdfReader('payroll-profiles');
const month = periodOf(new Date());

interface Runner {
  readonly code: 'ES.TC.Dép' | 'ES.Fo' | 'ES.DR';
  readonly entrepreneurId: string;
  readonly lastName: string;
  readonly clientId: string;
  readonly self: Caller;
  readonly profile: (typeof demoPayrollMonth.profiles)[number];
}
const runners: Runner[] = [];
/** At the profile's hours and rate: the month's turnover HT the dashboard measures against. */
const profileTurnover = { 'ES.TC.Dép': 281_475, 'ES.Fo': 463_050, 'ES.DR': 330_624 } as const;

beforeAll(async () => {
  server = await startLocalTestServer();
  events = await startLocalEvents({ endpoint: inject('ddbEndpoint'), intervalMs: 200, log: () => {}, consumers: [...consumers] });
  // Territory 44 and Sophie Garnier (ES.DR, CAE MSG) with her client; then Martine Leroux (ES.TC.Dép) and Karim
  // Benali (ES.Fo), CAE SAMAD, each with a client that has an e-mail address (the invoice is sent to it).
  world = await makeGrantWorld(server);
  const { operator, manager } = world;
  const entrepreneur = async (index: number) => {
    const id = (await expectAnswer(operator('POST', '/entrepreneurs', demoEntrepreneurs[index]), 201)).id as string;
    for (const to of ['validated', 'active']) await expectAnswer(operator('POST', `/entrepreneurs/${id}/transitions`, { to }), 200);
    return id;
  };
  const leroux = await entrepreneur(0);
  const lerouxClient = await expectAnswer(
    manager('POST', '/clients', { ...demoClients[0].body, email: 'yvette.durand@example.org', entrepreneurId: leroux }),
    201,
  );
  const benali = await entrepreneur(1);
  const benaliClient = await expectAnswer(
    manager('POST', '/clients', { ...demoPayrollMonth.profiles[1].newClient, entrepreneurId: benali }),
    201,
  );
  const ids = [
    [leroux, lerouxClient.id, 'ES.TC.Dép'],
    [benali, benaliClient.id, 'ES.Fo'],
    [world.entrepreneurId, world.clientId, 'ES.DR'],
  ] as const;
  for (const [i, [entrepreneurId, clientId, code]] of ids.entries()) {
    runners.push({
      code,
      entrepreneurId,
      clientId,
      lastName: demoEntrepreneurs[i]!.lastName,
      self: callerFor(server, await server.token('entrepreneur', '44', entrepreneurId)),
      profile: demoPayrollMonth.profiles[i]!,
    });
  }
  partner = callerFor(server, await server.token('partner', undefined, 'par_01kmy3t2vz8k4q6w1n9r3b5d7f'));
});
afterAll(async () => {
  await events?.stop();
  await server?.stop();
});

/** The client pays the invoice by card: the « Payer » form of the pay link, then the stand-in's card button. */
async function payByCard(payLink: string): Promise<void> {
  const started = await fetch(`${payLink}/checkout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  expect(started.status).toBe(303);
  const checkout = started.headers.get('location')!;
  expect(checkout).toMatch(new RegExp(`^${server.stripe.url}/pay/cs_`));
  const paid = await fetch(`${checkout}/card`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  expect(paid.status).toBeLessThan(400);
  await server.stripe.idle();
  const failed = server.stripe.deliveries().filter((d) => !d.ok);
  expect(failed, JSON.stringify(failed)).toEqual([]);
}

describe('the three business-plan profiles, a month end to end', () => {
  it('invoices paid by card credit the accounts through the sales events', async () => {
    const { manager } = world;
    for (const r of runners) {
      const cae = r.code === 'ES.DR' ? 'MSG' : 'SAMAD';
      const draft = await expectAnswer(
        manager('POST', '/invoices', {
          etd: '44',
          cae,
          clientId: r.clientId,
          entrepreneurId: r.entrepreneurId,
          kind: 'standard',
          title: r.profile.title,
          dueDays: 30,
          lines: [r.profile.line],
        }),
        201,
      );
      const issued = await expectAnswer(manager('POST', `/invoices/${draft.id}/issue`), 200);
      expect(issued.totals.netCents, r.code).toBe(profileTurnover[r.code]);
      await payByCard(issued.links.pay);
      expect(await expectAnswer(manager('GET', `/invoices/${draft.id}`), 200)).toMatchObject({ state: 'paid', amountDueCents: 0 });
    }
    await events.drained();
    for (const r of runners) {
      const account = await expectAnswer(r.self('GET', `/entrepreneurs/${r.entrepreneurId}/account?period=${month}`), 200);
      expect(account.movements, r.code).toEqual([
        expect.objectContaining({
          kind: 'turnover',
          period: month,
          amountCents: profileTurnover[r.code],
          sourceId: expect.stringMatching(/^pay:/),
        }),
      ]);
      expect(account.balanceCents).toBe(profileTurnover[r.code]);
    }
  });

  it('an expense with its receipt, the salary, the payslip (PDF), the dashboard on the profile', async () => {
    const { manager } = world;
    for (const r of runners) {
      const receipt = new TextEncoder().encode(`%PDF-1.4\n% ${r.profile.expense.label}\n%%EOF\n`);
      const declared = await expectAnswer(
        r.self('POST', `/entrepreneurs/${r.entrepreneurId}/expenses`, {
          ...r.profile.expense,
          date: `${month}-01`,
          receipt: { contentType: 'application/pdf', bytes: receipt.length },
        }),
        201,
      );
      const put = await fetch(declared.receiptUpload.url, { method: 'PUT', headers: declared.receiptUpload.headers, body: receipt });
      expect(put.status).toBe(200);
      expect(await expectAnswer(manager('POST', `/expenses/${declared.expense.id}/validate`), 200)).toMatchObject({ state: 'validated' });

      await expectAnswer(manager('PUT', `/entrepreneurs/${r.entrepreneurId}/salaries/${month}`, { grossCents: r.profile.grossCents }), 200);
      const payslip = await expectAnswer(manager('POST', `/entrepreneurs/${r.entrepreneurId}/payslips/${month}`), 201);
      expect(payslip, r.code).toMatchObject({ period: month, grossCents: r.profile.grossCents, emailed: true });
      expect(payslip.number).toMatch(new RegExp(`^BS-${r.code === 'ES.DR' ? 'MSG' : 'SAMAD'}44-\\d{4}-\\d{6}$`));

      const link = await expectAnswer(r.self('GET', `/entrepreneurs/${r.entrepreneurId}/payslips/${month}/pdf`), 200);
      const pdf = await fetch(link.url);
      expect(pdf.status).toBe(200);
      const text = read(new Uint8Array(await pdf.arrayBuffer()));
      for (const mention of [
        payslip.number,
        r.lastName,
        'Salaire brut',
        'Montant net social',
        'Remboursement de frais professionnels, non imposable',
        'Relevé du compte d’activité',
        'Chiffre d’affaires HT — Paiement reçu',
      ]) {
        expect(text.layout, `${r.code}: ${mention}`).toContain(flat(mention));
      }

      const board = await expectAnswer(r.self('GET', `/entrepreneurs/${r.entrepreneurId}/dashboard?from=${month}&to=${month}`), 200);
      expect(board.profile.code).toBe(r.code);
      const [m] = board.months;
      expect(m, r.code).toMatchObject({
        period: month,
        turnoverCents: profileTurnover[r.code],
        gapToProfileCents: 0,
        contributionCents: Math.round(profileTurnover[r.code] / 10),
        expensesCents: r.profile.expense.amountCents,
        grossCents: r.profile.grossCents,
        employerCostCents: payslip.employerCostCents,
      });
      const account = await expectAnswer(r.self('GET', `/entrepreneurs/${r.entrepreneurId}/account`), 200);
      expect(account.movements.map((mv: { kind: string }) => mv.kind).sort()).toEqual(['contribution', 'expense', 'payslip', 'turnover']);
      expect(m.balanceCents).toBe(account.balanceCents);
    }
  });

  it('shows nothing outside the scope: another entrepreneur 404, a partner 403', async () => {
    for (const [i, r] of runners.entries()) {
      const other = runners[(i + 1) % runners.length]!;
      for (const path of [
        `/entrepreneurs/${r.entrepreneurId}/account`,
        `/entrepreneurs/${r.entrepreneurId}/payslips`,
        `/entrepreneurs/${r.entrepreneurId}/payslips/${month}/pdf`,
        `/entrepreneurs/${r.entrepreneurId}/dashboard?from=${month}&to=${month}`,
      ]) {
        await expectAnswer(other.self('GET', path), 404);
        await expectAnswer(partner('GET', path), 403);
      }
    }
  });

  it('the monthly job, run twice on the first working day of next month, changes nothing issued', async () => {
    const job = jobs.find((j) => j.fn === 'PrepareSalaryDrafts')!;
    const firstDay = new Date(`${firstWorkingDay(addMonths(month, 1))}T06:00:00Z`);
    const snapshot = async () =>
      Promise.all(
        runners.map(async (r) => ({
          payslips: await expectAnswer(world.manager('GET', `/entrepreneurs/${r.entrepreneurId}/payslips`), 200),
          account: await expectAnswer(world.manager('GET', `/entrepreneurs/${r.entrepreneurId}/account`), 200),
        })),
      );
    const before = await snapshot();
    const run = () => invokeHandler(job, buildScheduledEvent({ fn: job.fn }, firstDay), { timeoutMs: 300_000 });
    // Every active entrepreneur has this month's salary, issued: nothing to prepare, nothing open to remind of.
    expect(await run()).toMatchObject({ period: month, created: 0, kept: runners.length, openByEtd: {} });
    expect(await run()).toMatchObject({ period: month, created: 0, kept: runners.length, openByEtd: {} });
    expect(await snapshot()).toEqual(before);
  });
});
