/**
 * Seeds the demo data once, through the same use cases as the API (so it obeys the same rules).
 * A marker item written last records that the seed completed.
 */
import type { Principal } from '../../functions/shared/auth.ts';
import { CreateClientBody, CreateEntrepreneurBody, CreateEtdBody, CreatePartnerBody } from '../../functions/onboarding/schemas.ts';
import { createClient, createEntrepreneur, createEtd, createPartner, transitionEntrepreneur } from '../../functions/onboarding/service.ts';
import { getItem, isSeeded, keys, markSeeded } from '../../functions/onboarding/store.ts';
import { demoClients, demoEntrepreneurs, demoEtds, demoPartners, demoPayrollMonth, demoReferral } from './demo-data.ts';
import { OpenReferralBody } from '../../functions/referrals/schemas.ts';
import { openReferral } from '../../functions/referrals/service.ts';
import { addDays, parisDate } from '../../functions/shared/clock.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import { CreateInvoiceBody } from '../../functions/invoices/schemas.ts';
import { createInvoice } from '../../functions/invoices/service.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import { recordPayment } from '../../functions/payments/ledger.ts';
import { recordTurnover } from '../../functions/payroll/index.ts';
import { DeclareExpenseBody, SalaryBody } from '../../functions/payroll/schemas.ts';
import { declareExpense, validateExpense } from '../../functions/payroll/expenses.ts';
import { receiptKey } from '../../functions/payroll/store.ts';
import { setSalary } from '../../functions/payroll/salaries.ts';
import { issuePayslip } from '../../functions/payroll/payslips.ts';
import { useLocalPdfAssets } from './grants.ts';
import { seedNetwork } from './demo-network.ts';
import { seedCesuDemo } from './demo-cesu.ts';

const operator: Principal = { sub: 'seed', role: 'operator' };

export type SeedOutcome = { created: true } | { created: false; reason: 'already-seeded' | 'partial-data' };

export interface SeedOptions {
  /**
   * Also a month of activity (October 2026) for the three business-plan profiles: invoices issued and
   * paid, the turnover credited, an expense with its receipt, a salary and its payslip (`npm start` asks
   * for it; the tests that need a blank payroll do not).
   */
  readonly activity?: boolean;
}

export async function seedDemo(now: Date = new Date(), options: SeedOptions = {}): Promise<SeedOutcome> {
  if (await isSeeded()) return { created: false, reason: 'already-seeded' };
  // Data without the marker: an earlier seed was interrupted, or ETDs were created by hand.
  if (await getItem(keys.etd(demoEtds[0].code))) return { created: false, reason: 'partial-data' };
  for (const etd of demoEtds) await createEtd(operator, CreateEtdBody().parse(etd), now);
  const ids: string[] = [];
  const clientIds: string[] = [];
  for (const body of demoEntrepreneurs) {
    const e = await createEntrepreneur(operator, CreateEntrepreneurBody().parse(body), now);
    for (const to of ['validated', 'active'] as const) await transitionEntrepreneur(operator, e.id, { to }, now);
    ids.push(e.id);
  }
  for (const { entrepreneur, body } of demoClients) {
    const manager: Principal = { sub: 'seed', role: 'manager', etd: body.etd };
    clientIds.push((await createClient(manager, CreateClientBody().parse({ ...body, entrepreneurId: ids[entrepreneur] }), now)).id);
  }
  for (const partner of demoPartners) await createPartner(operator, CreatePartnerBody().parse(partner), now);
  if (options.activity) await seedPayrollMonth(ids, clientIds);
  // The redevance of the demo territories: a rate version, the facts of the demo invoices, the statements of the months ended.
  if (options.activity)
    await seedNetwork(
      demoEtds.map((e) => e.code),
      now,
    );
  // CESU (issue 13): the demo employers' October declarations and the 2026 tax-credit attestations of the demo SAP clients.
  if (options.activity) await seedCesuDemo(ids, clientIds, now);
  if (options.activity) await seedDemoReferral(ids, clientIds, now);
  await markSeeded(now);
  return { created: true };
}

/**
 * The demo referral (demo-data.ts `demoReferral`): Sophie Garnier refers the insulation of Jean Moreau's attic; it
 * is matched and offered to its first candidate (the e-mail with the offer's link in the outbox). Its dates move
 * forward, keeping their length, when the seed runs after its start.
 */
async function seedDemoReferral(ids: readonly string[], clientIds: readonly string[], now: Date): Promise<void> {
  const today = parisDate(now);
  const shift = today < demoReferral.startDate ? 0 : (Date.parse(today) - Date.parse(demoReferral.startDate)) / 86_400_000 + 14;
  const garnier: Principal = { sub: 'seed', role: 'entrepreneur', etd: '44', entityId: ids[2]! };
  const body = OpenReferralBody().parse({
    ...demoReferral,
    clientId: clientIds[1],
    startDate: addDays(demoReferral.startDate, shift),
    endDate: addDays(demoReferral.endDate, shift),
  });
  await openReferral(adapters(), garnier, body, now);
}

/** A tiny but real PDF: the receipt of a demo expense (validation checks receipts by content). */
const receiptPdf = (label: string) => new TextEncoder().encode(`%PDF-1.4\n% Justificatif de démonstration : ${label}\n%%EOF\n`);

/**
 * October 2026 for the three profiles, through the use cases: the invoice issued by the manager, paid by card
 * (the payment applied as the Stripe webhook applies it, PaymentReceived written with it), the turnover credited
 * as CreditTurnover credits it (same source `pay:<payment intent>`, so the relay's later delivery of the event
 * counts nothing twice), an expense declared with its receipt stored at its key then validated, the salary set
 * and the payslip issued (modele-social, PDF, e-mail).
 */
async function seedPayrollMonth(ids: readonly string[], clientIds: readonly string[]): Promise<void> {
  useLocalPdfAssets(); // the invoices and payslips are rendered here, outside any function
  const month = demoPayrollMonth;
  const at = (day: string, time: string) => new Date(`${day}T${time}Z`);
  const manager: Principal = { sub: 'seed', role: 'manager', etd: '44' };
  for (const profile of month.profiles) {
    const entrepreneurId = ids[profile.entrepreneur]!;
    const { cae } = demoEntrepreneurs[profile.entrepreneur]!;
    const clientId =
      'newClient' in profile
        ? (await createClient(manager, CreateClientBody().parse({ ...profile.newClient, entrepreneurId }), at(month.issuedOn, '07:00:00')))
            .id
        : clientIds[profile.client]!;
    const draft = await createInvoice(
      manager,
      CreateInvoiceBody().parse({
        etd: '44',
        cae,
        clientId,
        entrepreneurId,
        kind: 'standard',
        title: profile.title,
        dueDays: 30,
        lines: [profile.line],
      }),
      at(month.issuedOn, '08:00:00'),
    );
    const invoice = await issueInvoice(adapters(), manager, draft.id, at(month.issuedOn, '08:05:00'));
    const paymentIntent = `pi_demo_${invoice.id}`;
    const paidAt = at(month.paidOn, '10:00:00');
    await recordPayment(
      adapters(),
      { invoiceId: invoice.id, paymentIntent, amountCents: invoice.totals.grossCents, status: 'succeeded', method: 'card', at: paidAt },
      paidAt,
    );
    await recordTurnover(
      { sourceId: `pay:${paymentIntent}`, entrepreneurId, period: month.period, netCents: invoice.totals.netCents, label: 'Paiement reçu' },
      paidAt,
    );

    const self: Principal = { sub: `seed-${entrepreneurId}`, role: 'entrepreneur', etd: '44', entityId: entrepreneurId };
    const bytes = receiptPdf(profile.expense.label);
    const declared = await declareExpense(
      adapters(),
      self,
      entrepreneurId,
      DeclareExpenseBody().parse({
        ...profile.expense,
        date: month.expenseOn,
        receipt: { contentType: 'application/pdf', bytes: bytes.length },
      }),
      at(month.expenseOn, '18:00:00'),
    );
    await adapters().documents.put(receiptKey(declared.expense.id), bytes, 'application/pdf');
    await validateExpense(adapters(), manager, declared.expense.id, at(month.expenseOn, '19:00:00'));

    const issuedAt = at(month.payslipOn, '09:00:00');
    await setSalary(manager, entrepreneurId, month.period, SalaryBody().parse({ grossCents: profile.grossCents }), issuedAt);
    await issuePayslip(adapters(), manager, entrepreneurId, month.period, issuedAt);
  }
}
