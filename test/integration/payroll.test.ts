/**
 * Payroll on a real DynamoDB Local with the local adapters: expenses (declaration with a signed
 * upload link, receipt checked by content, validation debiting the account with its event, refusal),
 * turnover credited once per source, salaries and payslips (modele-social, numbering, PDF, e-mail,
 * refusal above the account with the affordable maximum, immutability), the account rebuilt from its
 * movements, the dashboard, scopes by role.
 *
 * Every test runs in a world of its own (tables under a prefix of their own, the demo directory seeded,
 * a data directory of its own for documents and e-mails), so that it passes in any order
 * (`--sequence.shuffle`); what a test needs beyond the demo directory (a payslip already issued, a
 * salary set) it sets up in its own `beforeEach`.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpLocalTables, uniquePrefix } from '../support/local-tables.ts';
import { installLocalAdapters, manager44, manager85, operator } from '../support/invoicing.ts';
import * as directory from '../../functions/onboarding/service.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { adapters, useAdapters } from '../../functions/shared/adapters.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/shared/errors.ts';
import { DeclareExpenseBody } from '../../functions/payroll/schemas.ts';
import { declareExpense, getExpense, refuseExpense, validateExpense } from '../../functions/payroll/expenses.ts';
import { balanceOf, movementsOf, queryPage } from '../../functions/payroll/store.ts';
import { rebuildAccount } from '../../functions/payroll/domain/activity-account.ts';
import { readOutbox, storeUpload, verifyUploadLink } from '../../infra/local/adapters.ts';
import { recordTurnover } from '../../functions/payroll/index.ts';
import { setSalary } from '../../functions/payroll/salaries.ts';
import { listPayslips, payslipPdfLink } from '../../functions/payroll/payslip-views.ts';
import { issuePayslip } from '../../functions/payroll/payslips.ts';
import { accountStatement, dashboard } from '../../functions/payroll/account.ts';
import { SalaryBody } from '../../functions/payroll/schemas.ts';
import { caeSettingsPut, findPayslip, findSalaryDraft } from '../../functions/payroll/store.ts';
import { creditTurnover, turnoverOf } from '../../functions/payroll/sales.ts';
import { transact } from '../../functions/shared/transactions.ts';
import { prepareSalaryDrafts, type ActiveEntrepreneur } from '../../functions/payroll/drafts.ts';
import { handler as prepareJob } from '../../functions/payroll/handlers/prepare-salary-drafts.ts';
import { buildScheduledEvent } from '../../infra/local/scheduler.ts';
import { sha256 } from '../../functions/shared/hash.ts';
import { usePdfReader } from '../support/pdf-text.ts';
import { seedDemo } from '../../infra/local/seed.ts';

const now = new Date('2026-11-25T10:00:00Z');
let dataDir: string;
let leroux: string;
let benali: string;
let selfLeroux: Principal;
let selfBenali: Principal;
const partner: Principal = { sub: 'par', role: 'partner', entityId: 'par_00000000000000000000000000' };

beforeEach(async () => {
  await setUpLocalTables(uniquePrefix('payroll'));
  dataDir = installLocalAdapters();
  await seedDemo(now);
  const es = await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 });
  leroux = es.items.find((e) => e.lastName === 'Leroux')!.id;
  benali = es.items.find((e) => e.lastName === 'Benali')!.id;
  selfLeroux = { sub: 'es-leroux', role: 'entrepreneur', etd: '44', entityId: leroux };
  selfBenali = { sub: 'es-benali', role: 'entrepreneur', etd: '44', entityId: benali };
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const error = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const pdf = (size = 2048) => {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  return bytes;
};
const body = (overrides: Record<string, unknown> = {}) =>
  DeclareExpenseBody().parse({
    amountCents: 4_560,
    vatCents: 760,
    date: '2026-11-20',
    category: 'travel',
    label: 'Train Nantes – Angers',
    receipt: { contentType: 'application/pdf', bytes: 2048 },
    ...overrides,
  });
/**
 * October 2026 of Martine Leroux: 2 814,75 € of turnover credited, a salary of 1 500 € gross set and its
 * payslip issued (the first of the series BS-SAMAD44-2026), for the tests that start from an issued month.
 */
async function issueLerouxOctober() {
  await recordTurnover({ sourceId: 'inv_leroux_oct', entrepreneurId: leroux, period: '2026-10', netCents: 281_475 }, now);
  await setSalary(manager44, leroux, '2026-10', SalaryBody().parse({ grossCents: 150_000 }), now);
  const payslip = await issuePayslip(adapters(), manager44, leroux, '2026-10', now);
  if (payslip.number !== 'BS-SAMAD44-2026-000001') throw new Error(`unexpected first payslip ${payslip.number}`);
}
/** What the uploader does with the link: the local server's checks, then the bytes stored. */
async function upload(url: string, bytes: Uint8Array, contentType = 'application/pdf') {
  const check = verifyUploadLink(dataDir, url.slice('http://127.0.0.1:9999'.length));
  if (!check.ok) throw new Error(`upload link ${check.reason}`);
  await storeUpload(dataDir, check.key, bytes, contentType);
}

describe('expenses', () => {
  it('are declared with a signed upload link, refused for validation until the receipt is a PDF/JPEG/PNG, then debit the account once with their event', async () => {
    const declared = await declareExpense(adapters(), selfLeroux, leroux, body(), now);
    expect(declared.expense).toMatchObject({ state: 'declared', amountCents: 4_560, vatCents: 760, etd: '44', cae: 'SAMAD', version: 1 });
    expect(declared.expense).not.toHaveProperty('receiptKey');
    expect(declared.receiptUpload).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'content-length': '2048' },
    });
    const id = declared.expense.id;

    const missing = await error(validateExpense(adapters(), manager44, id, now));
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as ValidationError).errors).toEqual([{ path: 'receipt', message: expect.stringContaining('no receipt') }]);

    const gif = new Uint8Array(2048);
    gif.set(new TextEncoder().encode('GIF89a'));
    await upload(declared.receiptUpload.url, gif);
    const wrongType = await error(validateExpense(adapters(), manager44, id, now));
    expect((wrongType as ValidationError).errors).toEqual([{ path: 'receipt', message: expect.stringContaining('PDF, JPEG or PNG') }]);

    await upload(declared.receiptUpload.url, pdf());
    const validated = await validateExpense(adapters(), manager44, id, now);
    expect(validated).toMatchObject({ state: 'validated', version: 2, receipt: { contentType: 'application/pdf', bytes: 2048 } });
    expect(await balanceOf(leroux)).toEqual({ balanceCents: -4_560, movements: 1 });
    const movements = await movementsOf(leroux);
    expect(movements).toEqual([expect.objectContaining({ kind: 'expense', sourceId: id, period: '2026-11', amountCents: -4_560 })]);
    expect(rebuildAccount(movements).balanceCents).toBe(-4_560);
    const events = await queryPage<{ type: string; detail: Record<string, unknown> }>(undefined, 'EVENT#2026-11-25', { limit: 10 });
    expect(events.items.filter((e) => e.type === 'ExpenseValidated').map((e) => e.detail)).toEqual([
      { expenseId: id, etd: '44', cae: 'SAMAD', entrepreneurId: leroux, period: '2026-11', amountCents: 4_560, vatCents: 760 },
    ]);

    expect(await error(validateExpense(adapters(), manager44, id, now))).toBeInstanceOf(ConflictError);
    expect(await balanceOf(leroux)).toEqual({ balanceCents: -4_560, movements: 1 });
  });

  it('refuses a receipt too large by its content, even through a link (the limit is checked again)', async () => {
    const declared = await declareExpense(adapters(), selfLeroux, leroux, body(), now);
    const key = verifyUploadLink(dataDir, declared.receiptUpload.url.slice('http://127.0.0.1:9999'.length));
    if (!key.ok) throw new Error('link');
    await storeUpload(dataDir, key.key, pdf(5 * 1024 * 1024 + 1), 'application/pdf');
    const tooLarge = await error(validateExpense(adapters(), operator, declared.expense.id, now));
    expect((tooLarge as ValidationError).errors).toEqual([{ path: 'receipt', message: expect.stringContaining('at most') }]);
  });

  it('are refused with a reason, once', async () => {
    const declared = await declareExpense(adapters(), manager44, benali, body({ category: 'meals' }), now);
    const refused = await refuseExpense(manager44, declared.expense.id, 'Repas sans lien avec une mission', now);
    expect(refused).toMatchObject({ state: 'refused', refusalReason: 'Repas sans lien avec une mission', version: 2 });
    expect(await error(validateExpense(adapters(), manager44, declared.expense.id, now))).toBeInstanceOf(ConflictError);
    expect(await error(refuseExpense(manager44, declared.expense.id, 'encore', now))).toBeInstanceOf(ConflictError);
    expect(await balanceOf(benali)).toEqual({ balanceCents: 0, movements: 0 });
  });

  it('name the field of bad input: VAT above the amount, a date in the future, a receipt of another type or too large', async () => {
    const vat = await error(declareExpense(adapters(), selfLeroux, leroux, body({ vatCents: 5_000 }), now));
    expect((vat as ValidationError).errors).toEqual([{ path: 'vatCents', message: expect.any(String) }]);
    const future = await error(declareExpense(adapters(), selfLeroux, leroux, body({ date: '2026-11-26' }), now));
    expect((future as ValidationError).errors).toEqual([{ path: 'date', message: 'must not be in the future' }]);
    for (const [receipt, path] of [
      [{ contentType: 'image/gif', bytes: 10 }, 'receipt.contentType'],
      [{ contentType: 'application/pdf', bytes: 6 * 1024 * 1024 }, 'receipt.bytes'],
      [undefined, 'receipt'],
    ] as const) {
      const parsed = DeclareExpenseBody().safeParse({ amountCents: 100, vatCents: 0, date: '2026-11-01', category: 'other', receipt });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([path]);
    }
  });

  it('are seen by their entrepreneur, staff of the territory and operators only (404 for the others)', async () => {
    const declared = await declareExpense(adapters(), selfLeroux, leroux, body(), now);
    const id = declared.expense.id;
    for (const who of [selfLeroux, manager44, operator]) expect((await getExpense(who, id)).id).toBe(id);
    for (const who of [selfBenali, manager85, partner]) expect(await error(getExpense(who, id))).toBeInstanceOf(NotFoundError);
    // Another entrepreneur may not declare on Leroux's account, nor a manager of another territory.
    for (const who of [selfBenali, manager85, partner])
      expect(await error(declareExpense(adapters(), who, leroux, body(), now))).toBeInstanceOf(NotFoundError);
    // An entrepreneur may not decide its own expense: invisible to decide, as to a manager elsewhere.
    expect(await error(validateExpense(adapters(), selfLeroux, id, now))).toBeInstanceOf(NotFoundError);
    expect(await error(refuseExpense(manager85, id, 'non', now))).toBeInstanceOf(NotFoundError);
  });
});

const readPdf = usePdfReader('payroll');

describe('payslips', () => {
  it('credits turnover once per source, issues a payslip with the contribution and the employer cost debited, its PDF and e-mail; never twice', async () => {
    expect(await recordTurnover({ sourceId: 'inv_leroux_oct', entrepreneurId: leroux, period: '2026-10', netCents: 281_475 }, now)).toEqual(
      {
        recorded: true,
      },
    );
    expect(await recordTurnover({ sourceId: 'inv_leroux_oct', entrepreneurId: leroux, period: '2026-10', netCents: 281_475 }, now)).toEqual(
      {
        recorded: false,
      },
    );
    const before = await balanceOf(leroux);

    await setSalary(manager44, leroux, '2026-10', SalaryBody().parse({ grossCents: 150_000 }), now);
    expect(await findSalaryDraft(leroux, '2026-10')).toMatchObject({ state: 'draft', hours: 135, request: { grossCents: 150_000 } });
    const payslip = await issuePayslip(adapters(), manager44, leroux, '2026-10', now);
    expect(payslip).toMatchObject({ number: 'BS-SAMAD44-2026-000001', period: '2026-10', grossCents: 150_000, hours: 135, emailed: true });
    expect(payslip.employerCostCents).toBeGreaterThan(150_000);
    expect(payslip.documentPending).toBeUndefined();

    // 10 % of 2 814,75 € = 281,475 € → 281,48 € (half-up); then the employer cost.
    const after = await balanceOf(leroux);
    expect(after.balanceCents).toBe(before.balanceCents - 28_148 - payslip.employerCostCents);
    const movements = await movementsOf(leroux);
    expect(rebuildAccount(movements).balanceCents).toBe(after.balanceCents);
    expect(movements.filter((m) => m.period === '2026-10').map((m) => [m.kind, m.amountCents])).toEqual(
      expect.arrayContaining([
        ['turnover', 281_475],
        ['contribution', -28_148],
        ['payslip', -payslip.employerCostCents],
      ]),
    );

    const stored = (await findPayslip(leroux, '2026-10'))!;
    const pdf = await adapters().documents.get(stored.documentKey);
    expect(sha256(pdf)).toBe(stored.documentSha256);
    const text = readPdf(pdf).layout;
    for (const mention of ['BS-SAMAD44-2026-000001', 'Martine Leroux', 'octobre 2026', 'Montant net social', 'SIRET'])
      expect(text).toContain(mention);
    const mail = readOutbox(dataDir).find((m) => m.subject === 'Votre bulletin de paie de octobre 2026');
    expect(mail?.to).toContain('@');
    expect(mail?.text).toContain('/_local/documents/');

    const again = await error(issuePayslip(adapters(), manager44, leroux, '2026-10', now));
    expect(again).toBeInstanceOf(ConflictError);
    expect(await error(setSalary(manager44, leroux, '2026-10', SalaryBody().parse({ grossCents: 1 }), now))).toBeInstanceOf(ConflictError);
    expect((await balanceOf(leroux)).balanceCents).toBe(after.balanceCents);

    expect((await listPayslips(selfLeroux, leroux, { limit: 10 })).items.map((p) => p.number)).toEqual(['BS-SAMAD44-2026-000001']);
    expect((await payslipPdfLink(adapters(), selfLeroux, leroux, '2026-10')).url).toContain('/_local/documents/');
    for (const who of [selfBenali, manager85, partner]) {
      expect(await error(listPayslips(who, leroux, { limit: 10 }))).toBeInstanceOf(NotFoundError);
      expect(await error(payslipPdfLink(adapters(), who, leroux, '2026-10'))).toBeInstanceOf(NotFoundError);
      expect(await error(accountStatement(who, leroux, undefined))).toBeInstanceOf(NotFoundError);
    }
    expect(await error(issuePayslip(adapters(), selfLeroux, leroux, '2026-09', now))).toBeInstanceOf(NotFoundError);
  });

  describe('once a first payslip of the series is issued', () => {
    beforeEach(issueLerouxOctober);

    it('refuses a salary the account cannot fund with the affordable maximum, and pays the maximum when asked', async () => {
      await recordTurnover({ sourceId: 'inv_benali_oct', entrepreneurId: benali, period: '2026-10', netCents: 100_000 }, now);
      await setSalary(manager44, benali, '2026-10', SalaryBody().parse({ grossCents: 200_000, hours: 94.5 }), now);
      const refused = (await error(issuePayslip(adapters(), manager44, benali, '2026-10', now))) as ConflictError;
      expect(refused).toBeInstanceOf(ConflictError);
      // 1 000 € of turnover, 100 € of contribution: 900 € for the employer cost.
      expect(refused.extensions).toMatchObject({ affordableEmployerCostCents: 90_000, contributionCents: 10_000 });
      expect(refused.extensions.affordableGrossCents).toBeGreaterThan(50_000);
      expect(refused.extensions.affordableGrossCents).toBeLessThan(90_000);
      expect(await findPayslip(benali, '2026-10')).toBeUndefined();
      expect((await balanceOf(benali)).balanceCents).toBe(100_000);

      await setSalary(manager44, benali, '2026-10', SalaryBody().parse({ maximum: true, hours: 94.5 }), now);
      const maximum = await issuePayslip(adapters(), manager44, benali, '2026-10', now);
      expect(maximum.number).toBe('BS-SAMAD44-2026-000002');
      expect(maximum.grossCents).toBe(refused.extensions.affordableGrossCents);
      expect(maximum.employerCostCents).toBeLessThanOrEqual(90_000);
      expect((await balanceOf(benali)).balanceCents).toBe(90_000 - maximum.employerCostCents);
      expect((await balanceOf(benali)).balanceCents).toBeGreaterThanOrEqual(0);
    });

    it('shows the account of a month and the dashboard against the business-plan profile', async () => {
      const october = await accountStatement(selfLeroux, leroux, '2026-10');
      expect(october.movements.map((m) => m.kind).sort()).toEqual(['contribution', 'payslip', 'turnover']);
      const board = await dashboard(manager44, leroux, '2026-09', '2026-11');
      expect(board.profile).toEqual({
        code: 'ES.TC.Dép',
        label: 'Tuteur-coordinateur (dépendance)',
        hoursPerMonth: 135,
        hourlyRateCents: 2085,
      });
      expect(board.months.map((m) => m.period)).toEqual(['2026-09', '2026-10', '2026-11']);
      const oct = board.months[1]!;
      expect(oct).toMatchObject({
        hours: 135,
        turnoverCents: 281_475,
        contributionCents: 28_148,
        grossCents: 150_000,
        gapToProfileCents: 0,
      });
      expect(board.months[0]).toMatchObject({ turnoverCents: 0, gapToProfileCents: -281_475, balanceCents: 0 });
      expect(board.months[2]!.balanceCents).toBe((await balanceOf(leroux)).balanceCents);
    });
  });
});

describe('the monthly job', () => {
  async function* of(list: ActiveEntrepreneur[]) {
    yield* list;
  }
  // Leroux's October is issued: the job must leave it as it is, and carry her salary over to November.
  beforeEach(issueLerouxOctober);

  describe('once Benali’s October is issued too', () => {
    // The affordable maximum of 1 000 € of turnover: with Leroux's, two issued months the job keeps.
    beforeEach(async () => {
      await recordTurnover({ sourceId: 'inv_benali_oct', entrepreneurId: benali, period: '2026-10', netCents: 100_000 }, now);
      await setSalary(manager44, benali, '2026-10', SalaryBody().parse({ maximum: true, hours: 94.5 }), now);
      await issuePayslip(adapters(), manager44, benali, '2026-10', now);
    });

    it('prepares the drafts of the previous month on the first working day only, never touching what is issued; re-running changes nothing', async () => {
      const es = await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 });
      const active = es.items.map((e) => ({ id: e.id, etd: e.etd, cae: e.cae, competences: e.competences }));
      const garnier = es.items.find((e) => e.lastName === 'Garnier')!.id;
      const issuedBefore = await findPayslip(leroux, '2026-10');

      // 2 November 2026, a Monday: 1 November is a Sunday and a public holiday.
      const first = await prepareSalaryDrafts(of(active), new Date('2026-11-02T06:00:00Z'));
      expect(first).toMatchObject({ period: '2026-10', created: active.length - 2, kept: 2 });
      expect(await findSalaryDraft(garnier, '2026-10')).toMatchObject({ state: 'draft', request: { maximum: true }, hours: 128 });
      expect(first.openByEtd).toEqual({ '44': active.length - 2 });
      expect(await findSalaryDraft(leroux, '2026-10')).toMatchObject({ state: 'issued' });
      expect(await findPayslip(leroux, '2026-10')).toEqual(issuedBefore);

      const again = await prepareSalaryDrafts(of(active), new Date('2026-11-02T06:00:00Z'));
      expect(again).toMatchObject({ created: 0, kept: active.length });
      expect(await findPayslip(leroux, '2026-10')).toEqual(issuedBefore);

      expect(await prepareSalaryDrafts(of(active), new Date('2026-11-03T06:00:00Z'))).toMatchObject({
        skipped: 'not the first working day of the month',
        created: 0,
      });
    });
  });

  it('runs as a scheduled job: every active entrepreneur of every territory gets a draft (even without any movement), the salary of the month before carried over; each CAE with open drafts is reminded by e-mail', async () => {
    const active = [
      ...(await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 })).items,
      ...(await directory.listEntrepreneurs(operator, { etd: '85', state: 'active', limit: 10 })).items,
    ];
    const rousseau = active.find((e) => e.lastName === 'Rousseau')!;
    expect(rousseau.etd, 'an entrepreneur of another territory, without any account movement').toBe('85');
    expect((await balanceOf(rousseau.id)).movements).toBe(0);
    const mailsBefore = readOutbox(dataDir).length;

    const result = await prepareJob(
      buildScheduledEvent({ fn: 'PrepareSalaryDrafts' }, new Date('2026-12-01T06:00:00Z')) as never,
      {} as never,
    );
    expect(result).toMatchObject({ period: '2026-11', created: active.length, kept: 0 });
    for (const e of active)
      expect(await findSalaryDraft(e.id, '2026-11'), e.lastName).toMatchObject({ state: 'draft', etd: e.etd, cae: e.cae });
    expect(await findSalaryDraft(leroux, '2026-11')).toMatchObject({ state: 'draft', request: { grossCents: 150_000 }, hours: 135 });
    expect(await findSalaryDraft(rousseau.id, '2026-11')).toMatchObject({ request: { maximum: true } });
    expect(await findPayslip(leroux, '2026-10'), 'the payslip issued in October is untouched').toMatchObject({ period: '2026-10' });

    // One reminder per CAE with open drafts, to its payroll contact, in French, names only.
    const mails = readOutbox(dataDir).slice(mailsBefore);
    const byCae = (etd: string, cae: string) => active.filter((e) => e.etd === etd && e.cae === cae);
    const expected = [
      ['paie@samad44.example.org', byCae('44', 'SAMAD')],
      ['paie@msg44.example.org', byCae('44', 'MSG')],
      ['paie@msg85.example.org', byCae('85', 'MSG')],
      ['paie@samad85.example.org', byCae('85', 'SAMAD')],
    ] as const;
    const sent = expected.filter(([, es]) => es.length > 0);
    expect(result).toMatchObject({ reminders: { sent: sent.length, withoutContact: 0, failed: 0 } });
    expect(mails.map((m) => m.to).sort()).toEqual(sent.map(([to]) => to).sort());
    for (const [to, es] of sent) {
      const mail = mails.find((m) => m.to === to)!;
      expect(mail.subject).toBe(
        `Paie de novembre 2026 : ${es.length === 1 ? '1 bulletin de paie reste à émettre' : `${es.length} bulletins de paie restent à émettre`}`,
      );
      for (const e of es) expect(mail.text).toContain(`- ${e.firstName} ${e.lastName}`);
      for (const e of es) expect(mail.text).not.toContain(e.email);
    }

    const again = await prepareJob(
      buildScheduledEvent({ fn: 'PrepareSalaryDrafts' }, new Date('2026-12-01T06:00:00Z')) as never,
      {} as never,
    );
    expect(again).toMatchObject({ created: 0, kept: active.length });
    expect(await findPayslip(leroux, '2026-10')).toMatchObject({ period: '2026-10' });
  });
});

describe('turnover from the sales events', () => {
  const owner = { etd: '44', entrepreneurId: '', clientId: 'cli_x' };
  const invoice = (cae: string) => ({
    ...owner,
    entrepreneurId: benali,
    cae,
    invoiceId: 'inv_sales_1',
    number: 'F-SAMAD44-2026-000042',
    issuedOn: '2026-09-14',
    kind: 'standard' as const,
    totals: { netCents: 50_000, vatCents: 10_000, grossCents: 60_000 },
    sapEligible: true,
  });
  const payment = {
    etd: '44',
    cae: 'SAMAD',
    entrepreneurId: '',
    invoiceId: 'inv_sales_1',
    paymentIntent: 'pi_1',
    amountCents: 60_000,
    netHtCents: 50_000,
    receivedOn: '2026-09-20',
  };
  const refund = { ...payment, refundId: 're_1', amountCents: 12_000, netHtCents: 10_000, refundedOn: '2026-09-25' };

  it('maps each fact to its basis, source and sign', () => {
    expect(turnoverOf('InvoiceIssued', invoice('SAMAD'))).toMatchObject({
      basis: 'invoiced',
      record: { sourceId: 'inv:inv_sales_1', period: '2026-09', netCents: 50_000 },
    });
    expect(
      turnoverOf('CreditNoteIssued', {
        ...invoice('SAMAD'),
        creditNoteId: 'crn_1',
        totals: { netCents: 5_000, vatCents: 1_000, grossCents: 6_000 },
      }),
    ).toMatchObject({ basis: 'invoiced', record: { sourceId: 'crn:crn_1', netCents: -5_000 } });
    expect(turnoverOf('PaymentReceived', payment)).toMatchObject({ basis: 'cashed', record: { sourceId: 'pay:pi_1', netCents: 50_000 } });
    expect(turnoverOf('PaymentRefunded', refund)).toMatchObject({ basis: 'cashed', record: { sourceId: 'ref:re_1', netCents: -10_000 } });
  });

  it('credits on the CAE’s basis only (cashed by default), each fact once', async () => {
    const before = (await balanceOf(benali)).balanceCents;
    const at = new Date('2026-09-30T10:00:00Z');
    expect(await creditTurnover('InvoiceIssued', invoice('SAMAD'), at)).toMatchObject({
      recorded: false,
      reason: expect.stringContaining('cashed'),
    });
    expect(await creditTurnover('PaymentReceived', { ...payment, entrepreneurId: benali }, at)).toEqual({ recorded: true });
    expect(await creditTurnover('PaymentReceived', { ...payment, entrepreneurId: benali }, at)).toEqual({ recorded: false });
    expect(await creditTurnover('PaymentRefunded', { ...refund, entrepreneurId: benali }, at)).toEqual({ recorded: true });
    expect((await balanceOf(benali)).balanceCents).toBe(before + 40_000);

    // A CAE on the invoiced basis from September: the invoice counts, the payment does not.
    await transact(
      [
        caeSettingsPut({
          etd: '44',
          cae: 'MSG',
          from: '2026-09-01',
          contributionBasisPoints: 800,
          contributionFixedCents: 0,
          basis: 'invoiced',
          overdraftCents: 0,
          source: 'test',
        }),
      ],
      () => new Error('settings'),
    );
    const garnier = (await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 })).items.find(
      (e) => e.lastName === 'Garnier',
    )!.id;
    expect(await creditTurnover('InvoiceIssued', { ...invoice('MSG'), entrepreneurId: garnier, invoiceId: 'inv_msg_1' }, at)).toEqual({
      recorded: true,
    });
    expect(
      await creditTurnover('PaymentReceived', { ...payment, cae: 'MSG', entrepreneurId: garnier, paymentIntent: 'pi_msg' }, at),
    ).toMatchObject({ recorded: false });
    expect((await accountStatement(operator, garnier, '2026-09')).movements).toEqual([
      expect.objectContaining({ kind: 'turnover', sourceId: 'inv:inv_msg_1', amountCents: 50_000 }),
    ]);
  });
});

describe('a payslip whose PDF could not be stored', () => {
  it('stays issued with its number and SHA, pending; issuing again stores the very bytes committed and sends it', async () => {
    await recordTurnover({ sourceId: 'inv_leroux_sep', entrepreneurId: leroux, period: '2026-09', netCents: 200_000 }, now);
    await setSalary(manager44, leroux, '2026-09', SalaryBody().parse({ grossCents: 100_000 }), now);
    const real = adapters();
    useAdapters({ ...real, documents: { ...real.documents, put: () => Promise.reject(new Error('injected S3 failure')) } });
    try {
      expect(await error(issuePayslip(adapters(), manager44, leroux, '2026-09', now))).toMatchObject({ message: 'injected S3 failure' });
    } finally {
      useAdapters(real);
    }
    const pending = (await findPayslip(leroux, '2026-09'))!;
    expect(pending).toMatchObject({ documentPending: true, number: expect.stringMatching(/^BS-SAMAD44-2026-\d{6}$/) });
    expect(await error(payslipPdfLink(adapters(), selfLeroux, leroux, '2026-09'))).toBeInstanceOf(ConflictError);
    const balance = (await balanceOf(leroux)).balanceCents;

    const completed = await issuePayslip(adapters(), manager44, leroux, '2026-09', now);
    expect(completed).toMatchObject({ number: pending.number, emailed: true });
    expect(completed.documentPending).toBeUndefined();
    expect(sha256(await adapters().documents.get(pending.documentKey))).toBe(pending.documentSha256);
    expect((await balanceOf(leroux)).balanceCents).toBe(balance);
    expect(await error(issuePayslip(adapters(), manager44, leroux, '2026-09', now))).toBeInstanceOf(ConflictError);
  });
});
