/**
 * Expenses (notes de frais): the entrepreneur declares one with its receipt's type and size and
 * gets a short-lived signed link to upload the receipt; a manager of the territory validates it
 * (the receipt checked by its content first) or refuses it with a reason. A validated expense is
 * debited from the activity account, in the same transaction as its `ExpenseValidated` event, and
 * reimbursed on the payslip of the month it is debited in.
 */
import { randomUUID } from 'node:crypto';
import { loadEntrepreneur } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import { formatDate } from '../shared/french.ts';
import { DocumentNotFoundError } from '../shared/cloud-adapters.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { newId } from '../shared/ids.ts';
import { transact } from '../shared/transactions.ts';
import type { Out } from '../shared/contract.ts';
import { canManage, canSee } from './domain/access.ts';
import { expenseDebit } from './domain/activity-account.ts';
import { addMonths, periodOf } from './domain/period.ts';
import { checkReceipt, RECEIPT_MAX_BYTES } from './domain/receipt.ts';
import { type DeclareExpenseBody, expenseCategoryLabels } from './schemas.ts';
import { accountWrites, eventPut, expensePut, expenseReplace, type ExpenseRecord, findPayslip, loadExpense, receiptKey } from './store.ts';

/** How long the receipt's upload link lives. */
export const RECEIPT_UPLOAD_TTL_SECONDS = 900;

type DocumentsPort = Pick<Adapters, 'documents'>;

/** The entrepreneur an account belongs to, if the caller may see it; NotFound otherwise (absent or invisible alike). */
export async function visibleEntrepreneur(principal: Principal, entrepreneurId: string) {
  const entrepreneur = await loadEntrepreneur(entrepreneurId);
  if (!canSee(principal, { etd: entrepreneur.etd, entrepreneurId: entrepreneur.id })) {
    throw new NotFoundError(`Entrepreneur ${entrepreneurId} not found.`);
  }
  return entrepreneur;
}

/** What the API shows of an expense (its storage key stays inside). */
export function presentExpense(expense: ExpenseRecord) {
  const { receiptKey: _key, createdBy: _by, decidedBy: _decider, ...view } = expense;
  return view;
}

export async function declareExpense(
  ports: DocumentsPort,
  principal: Principal,
  entrepreneurId: string,
  body: Out<typeof DeclareExpenseBody>,
  now: Date,
) {
  const entrepreneur = await visibleEntrepreneur(principal, entrepreneurId);
  if (entrepreneur.state === 'left') throw new ConflictError('This entrepreneur has left the cooperative: no new expense.');
  if (body.vatCents > body.amountCents)
    throw new ValidationError([{ path: 'vatCents', message: 'must not exceed amountCents (VAT included)' }]);
  if (body.date > parisDate(now)) throw new ValidationError([{ path: 'date', message: 'must not be in the future' }]);
  const id = newId('exp', now);
  const expense: ExpenseRecord = {
    id,
    etd: entrepreneur.etd,
    cae: entrepreneur.cae,
    entrepreneurId: entrepreneur.id,
    amountCents: body.amountCents,
    vatCents: body.vatCents,
    date: body.date,
    category: body.category,
    ...(body.label ? { label: body.label } : {}),
    state: 'declared',
    receiptKey: receiptKey(id),
    createdAt: now.toISOString(),
    createdBy: principal.sub,
    version: 1,
  };
  await transact([expensePut(expense)], () => new ConflictError('This expense already exists.'));
  const receiptUpload = await ports.documents.uploadLink(expense.receiptKey, {
    contentType: body.receipt.contentType,
    bytes: body.receipt.bytes,
    maxBytes: RECEIPT_MAX_BYTES,
    ttlSeconds: RECEIPT_UPLOAD_TTL_SECONDS,
  });
  return { expense: presentExpense(expense), receiptUpload };
}

/** The expense, if the caller may see it (NotFound otherwise). */
export async function getExpense(principal: Principal, id: string): Promise<ExpenseRecord> {
  const expense = await loadExpense(id);
  if (!canSee(principal, expense)) throw new NotFoundError(`Expense ${id} not found.`);
  return expense;
}

async function decidable(principal: Principal, id: string): Promise<ExpenseRecord> {
  const expense = await getExpense(principal, id);
  if (!canManage(principal, expense)) throw new NotFoundError(`Expense ${id} not found.`);
  if (expense.state !== 'declared') throw new ConflictError(`This expense is already ${expense.state}.`, { state: expense.state });
  return expense;
}

const stale = () => new ConflictError('The expense changed meanwhile (decided by someone else); read it again.');

/**
 * Validates a declared expense: its receipt must be stored and be a PDF, JPEG or PNG within the limit
 * (checked by content: 400 naming `receipt` otherwise); the account is debited and the event written
 * in one transaction. The debit goes to this month, or the next when this month's payslip is issued.
 */
export async function validateExpense(ports: DocumentsPort, principal: Principal, id: string, now: Date) {
  const expense = await decidable(principal, id);
  const body = await ports.documents.get(expense.receiptKey).catch((error: unknown) => {
    if (error instanceof DocumentNotFoundError) return undefined;
    throw error;
  });
  const verdict = checkReceipt(body);
  if (!verdict.ok) throw new ValidationError([{ path: 'receipt', message: verdict.message }]);
  const receipt = { contentType: verdict.type, bytes: verdict.bytes, sha256: sha256(body!) };
  let period = periodOf(now);
  if (await findPayslip(expense.entrepreneurId, period)) period = addMonths(period, 1);
  const validated: ExpenseRecord = {
    ...expense,
    state: 'validated',
    receipt,
    decidedAt: now.toISOString(),
    decidedBy: principal.sub,
    version: expense.version + 1,
  };
  const movement = expenseDebit({
    sourceId: expense.id,
    period,
    at: parisDate(now),
    amountCents: expense.amountCents,
    label: expenseLabel(expense),
  });
  await transact(
    [
      expenseReplace(validated, expense.version),
      ...accountWrites({ entrepreneurId: expense.entrepreneurId, etd: expense.etd }, [movement]).writes,
      eventPut('ExpenseValidated', randomUUID(), now, {
        expenseId: expense.id,
        etd: expense.etd,
        cae: expense.cae,
        entrepreneurId: expense.entrepreneurId,
        period,
        amountCents: expense.amountCents,
        vatCents: expense.vatCents,
      }),
    ],
    (index) => (index === 0 ? stale() : new ConflictError('This expense is already counted in the account.')),
  );
  return presentExpense(validated);
}

export async function refuseExpense(principal: Principal, id: string, reason: string, now: Date) {
  const expense = await decidable(principal, id);
  const refused: ExpenseRecord = {
    ...expense,
    state: 'refused',
    refusalReason: reason,
    decidedAt: now.toISOString(),
    decidedBy: principal.sub,
    version: expense.version + 1,
  };
  await transact([expenseReplace(refused, expense.version)], stale);
  return presentExpense(refused);
}

/** The line of a validated expense on the account and the payslip, in French: « Note de frais du 14 octobre 2026 (déplacement) — Train Nantes–Paris ». */
export function expenseLabel(expense: Pick<ExpenseRecord, 'date' | 'category' | 'label'>): string {
  const what = expense.label ? ` — ${expense.label}` : '';
  return `Note de frais du ${formatDate(expense.date)} (${expenseCategoryLabels[expense.category as keyof typeof expenseCategoryLabels] ?? expense.category})${what}`;
}
