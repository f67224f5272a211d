/**
 * Payroll over the local server, as the apps will use it: the entrepreneur declares an expense and
 * PUTs its receipt through the signed link; the manager validates it; last month's turnover is
 * credited (as the sales consumer will); the manager sets the salary and issues the payslip (PDF,
 * e-mail); the entrepreneur lists it, downloads it through its signed link, reads the account and the
 * dashboard; ExpenseValidated and PayslipIssued reach the bus from the payroll table's stream. Refusals: another entrepreneur and another territory see nothing (404), a partner may
 * not call (403), bad input names its field (400), a second issue and a salary above the account 409.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumers, type ConsumerDef } from '../../functions/consumers.ts';
import { invokeHandler } from '../../infra/local/apigw.ts';
import { startLocalEvents, type LocalEvents } from '../../infra/local/events.ts';
import { recordTurnover } from '../../functions/payroll/index.ts';
import { periodOf, previousPeriod, addMonths } from '../../functions/payroll/domain/period.ts';
import { demoEntrepreneurs } from '../../infra/local/demo-data.ts';
import { callerFor, expectAnswer, makeGrantWorld, type Caller, type GrantWorld } from '../support/grant-world.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
let events: LocalEvents;
let world: GrantWorld;
/** Stands for a future consumer of payroll's events: what the relay delivers from the payroll table's stream. */
const payrollProbe: ConsumerDef = {
  fn: 'PayrollProbe',
  handler: 'unused.ts',
  events: ['ExpenseValidated', 'PayslipIssued'],
  tables: {},
  summary: 'test probe',
};
const probed: { 'detail-type': string; detail: Record<string, unknown> }[] = [];
let self: Caller;
let other: Caller;
let otherTerritory: Caller;
let partner: Caller;
const lastMonth = previousPeriod(periodOf(new Date()));

beforeAll(async () => {
  server = await startLocalTestServer();
  events = await startLocalEvents({
    endpoint: inject('ddbEndpoint'),
    intervalMs: 200,
    log: () => {},
    consumers: [...consumers, payrollProbe],
    invoke: async (consumer, envelope) => {
      if (consumer === payrollProbe) return void probed.push(envelope);
      return invokeHandler(consumer, envelope);
    },
  });
  world = await makeGrantWorld(server);
  self = callerFor(server, await server.token('entrepreneur', '44', world.entrepreneurId));
  const otherId = (await expectAnswer(world.operator('POST', '/entrepreneurs', demoEntrepreneurs[0]), 201)).id as string;
  other = callerFor(server, await server.token('entrepreneur', '44', otherId));
  otherTerritory = callerFor(server, await server.token('manager', '85'));
  partner = callerFor(server, await server.token('partner', undefined, 'par_01kmy3t2vz8k4q6w1n9r3b5d7f'));
});
afterAll(async () => {
  await events?.stop();
  await server?.stop();
});

describe('payroll over HTTP', () => {
  it('runs the month: expense with its receipt, turnover, salary, payslip, account and dashboard', async () => {
    const { manager, entrepreneurId } = world;
    const receipt = new Uint8Array(3_000);
    receipt.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const declared = await expectAnswer(
      self('POST', `/entrepreneurs/${entrepreneurId}/expenses`, {
        amountCents: 2_400,
        vatCents: 400,
        date: `${lastMonth}-12`,
        category: 'supplies',
        receipt: { contentType: 'image/png', bytes: receipt.length },
      }),
      201,
    );
    // The link takes exactly the signed type and length.
    const wrongType = await fetch(declared.receiptUpload.url, {
      method: 'PUT',
      headers: { ...declared.receiptUpload.headers, 'content-type': 'application/pdf' },
      body: receipt,
    });
    expect(wrongType.status).toBe(403);
    const put = await fetch(declared.receiptUpload.url, { method: 'PUT', headers: declared.receiptUpload.headers, body: receipt });
    expect(put.status).toBe(200);
    await expectAnswer(self('POST', `/expenses/${declared.expense.id}/validate`), 403);
    const validated = await expectAnswer(manager('POST', `/expenses/${declared.expense.id}/validate`), 200);
    expect(validated).toMatchObject({ state: 'validated', receipt: { contentType: 'image/png', bytes: 3_000 } });

    await recordTurnover({ sourceId: 'inv:e2e-payroll', entrepreneurId, period: lastMonth, netCents: 330_624 }, new Date());
    const salary = await expectAnswer(
      manager('PUT', `/entrepreneurs/${entrepreneurId}/salaries/${lastMonth}`, { grossCents: 180_000, hours: 128 }),
      200,
    );
    expect(salary).toMatchObject({ state: 'draft', hours: 128, request: { grossCents: 180_000 } });
    const payslip = await expectAnswer(manager('POST', `/entrepreneurs/${entrepreneurId}/payslips/${lastMonth}`), 201);
    expect(payslip).toMatchObject({ period: lastMonth, grossCents: 180_000, emailed: true });
    expect(payslip.number).toMatch(/^BS-MSG44-\d{4}-000001$/);
    const again = await expectAnswer(manager('POST', `/entrepreneurs/${entrepreneurId}/payslips/${lastMonth}`), 409);
    expect(again.detail).toContain('already issued');
    const mail = server.outbox().find((m) => m.subject.startsWith('Votre bulletin de paie'));
    expect(mail?.text).toContain(payslip.number);

    const list = await expectAnswer(self('GET', `/entrepreneurs/${entrepreneurId}/payslips`), 200);
    expect(list.items.map((p: { number: string }) => p.number)).toEqual([payslip.number]);
    const link = await expectAnswer(self('GET', `/entrepreneurs/${entrepreneurId}/payslips/${lastMonth}/pdf`), 200);
    const pdf = await fetch(link.url);
    expect(pdf.status).toBe(200);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');

    const account = await expectAnswer(self('GET', `/entrepreneurs/${entrepreneurId}/account`), 200);
    const total = account.movements.reduce((sum: number, m: { amountCents: number }) => sum + m.amountCents, 0);
    expect(account.balanceCents).toBe(total);
    expect(account.movements.map((m: { kind: string }) => m.kind).sort()).toEqual(['contribution', 'expense', 'payslip', 'turnover']);
    const board = await expectAnswer(self('GET', `/entrepreneurs/${entrepreneurId}/dashboard?from=${lastMonth}&to=${lastMonth}`), 200);
    expect(board.profile.code).toBe('ES.DR');
    expect(board.months[0]).toMatchObject({
      period: lastMonth,
      hours: 128,
      turnoverCents: 330_624,
      gapToProfileCents: 0,
      grossCents: 180_000,
    });

    // The payroll outbox, relayed from the payroll table's stream: ids and amounts, no one's name or address.
    await events.drained();
    const mine = probed.filter((e) => e.detail.entrepreneurId === entrepreneurId);
    expect(mine.map((e) => e['detail-type']).sort()).toEqual(['ExpenseValidated', 'PayslipIssued']);
    expect(mine.find((e) => e['detail-type'] === 'PayslipIssued')!.detail).toMatchObject({
      number: payslip.number,
      period: lastMonth,
      grossCents: 180_000,
      employerCostCents: payslip.employerCostCents,
    });
    expect(JSON.stringify(mine)).not.toMatch(/@|Garnier|Sophie/);
  });

  it('shows nothing outside the scope and names the field of bad input', async () => {
    const { manager, entrepreneurId } = world;
    for (const path of [
      `/entrepreneurs/${entrepreneurId}/payslips`,
      `/entrepreneurs/${entrepreneurId}/payslips/${lastMonth}/pdf`,
      `/entrepreneurs/${entrepreneurId}/account`,
      `/entrepreneurs/${entrepreneurId}/dashboard?from=${lastMonth}&to=${lastMonth}`,
    ]) {
      await expectAnswer(other('GET', path), 404);
      await expectAnswer(otherTerritory('GET', path), 404);
      await expectAnswer(partner('GET', path), 403);
    }
    const future = addMonths(periodOf(new Date()), 1);
    const futureSalary = await expectAnswer(manager('PUT', `/entrepreneurs/${entrepreneurId}/salaries/${future}`, { grossCents: 1 }), 400);
    expect(futureSalary.errors).toEqual([{ path: 'path.period', message: 'must not be a month in the future' }]);
    const cents = await expectAnswer(manager('PUT', `/entrepreneurs/${entrepreneurId}/salaries/${lastMonth}`, { grossCents: 12.5 }), 400);
    expect(cents.errors.map((e: { path: string }) => e.path)).toContain('grossCents');
    const board = await expectAnswer(manager('GET', `/entrepreneurs/${entrepreneurId}/dashboard?from=2026-13&to=${lastMonth}`), 400);
    expect(board.errors.map((e: { path: string }) => e.path)).toEqual(['query.from']);
    const noReceipt = await expectAnswer(
      manager('POST', `/entrepreneurs/${entrepreneurId}/expenses`, {
        amountCents: 100,
        vatCents: 0,
        date: `${lastMonth}-01`,
        category: 'other',
      }),
      400,
    );
    expect(noReceipt.errors.map((e: { path: string }) => e.path)).toEqual(['receipt']);

    // This month: nothing credited, so a salary is refused with what the account allows.
    const month = periodOf(new Date());
    await expectAnswer(manager('PUT', `/entrepreneurs/${entrepreneurId}/salaries/${month}`, { grossCents: 5_000_000 }), 200);
    const refused = await expectAnswer(manager('POST', `/entrepreneurs/${entrepreneurId}/payslips/${month}`), 409);
    expect(refused).toMatchObject({ affordableEmployerCostCents: expect.any(Number), affordableGrossCents: expect.any(Number) });
  });
});
