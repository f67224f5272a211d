/**
 * Payroll on a real DynamoDB Local with the local adapters: expenses (declaration with a signed
 * upload link, receipt checked by content, validation debiting the account with its event, refusal),
 * scopes by role.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalTables } from '../support/local-tables.ts';
import { installLocalAdapters, manager44, manager85, operator } from '../support/invoicing.ts';
import * as directory from '../../functions/onboarding/service.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/shared/errors.ts';
import { DeclareExpenseBody } from '../../functions/payroll/schemas.ts';
import { declareExpense, getExpense, refuseExpense, validateExpense } from '../../functions/payroll/expenses.ts';
import { balanceOf, movementsOf, queryPage } from '../../functions/payroll/store.ts';
import { rebuildAccount } from '../../functions/payroll/domain/activity-account.ts';
import { storeUpload, verifyUploadLink } from '../../infra/local/adapters.ts';
import { seedDemo } from '../../infra/local/seed.ts';

useLocalTables();
const now = new Date('2026-11-25T10:00:00Z');
let dataDir: string;
let leroux: string;
let benali: string;
let selfLeroux: Principal;
let selfBenali: Principal;
const partner: Principal = { sub: 'par', role: 'partner', entityId: 'par_00000000000000000000000000' };

beforeAll(async () => {
  dataDir = installLocalAdapters();
  await seedDemo(now);
  const es = await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 });
  leroux = es.items.find((e) => e.lastName === 'Leroux')!.id;
  benali = es.items.find((e) => e.lastName === 'Benali')!.id;
  selfLeroux = { sub: 'es-leroux', role: 'entrepreneur', etd: '44', entityId: leroux };
  selfBenali = { sub: 'es-benali', role: 'entrepreneur', etd: '44', entityId: benali };
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

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
  DeclareExpenseBody.parse({
    amountCents: 4_560,
    vatCents: 760,
    date: '2026-11-20',
    category: 'travel',
    label: 'Train Nantes – Angers',
    receipt: { contentType: 'application/pdf', bytes: 2048 },
    ...overrides,
  });
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
      const parsed = DeclareExpenseBody.safeParse({ amountCents: 100, vatCents: 0, date: '2026-11-01', category: 'other', receipt });
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
