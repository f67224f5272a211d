/** functions/invoices/domain/balance.ts and domain/access.ts: the balance of an invoice and who sees it, by tables of cases. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/shared/auth.ts';
import { canSee } from '../../functions/invoices/domain/access.ts';
import {
  amountDue,
  balanceOf,
  canMovePayment,
  dueMarkerMove,
  isOverdue,
  paymentDelta,
  rebalanced,
  reminderStepOn,
  stateOf,
  type Balance,
  type PaymentStatus,
} from '../../functions/invoices/domain/balance.ts';

const balance = (gross: number, paid = 0, credited = 0, pending = 0): Balance => ({
  grossCents: gross,
  amountPaidCents: paid,
  amountPendingCents: pending,
  amountCreditedCents: credited,
});

describe('amountDue and stateOf', () => {
  it.each([
    // gross, paid, credited, pending → due, state
    [10_000, 0, 0, 0, 10_000, 'issued'],
    [10_000, 0, 0, 10_000, 10_000, 'issued'], // a debit processing is never paid
    [10_000, 4_000, 0, 0, 6_000, 'partially_paid'],
    [10_000, 4_000, 0, 6_000, 6_000, 'partially_paid'],
    [10_000, 10_000, 0, 0, 0, 'paid'],
    [10_000, 12_000, 0, 0, -2_000, 'paid'], // overpaid: money to give back
    [10_000, 0, 3_000, 0, 7_000, 'issued'],
    [10_000, 7_000, 3_000, 0, 0, 'paid'],
    [10_000, 10_000, 3_000, 0, -3_000, 'paid'],
    [10_000, 0, 10_000, 0, 0, 'cancelled'],
    [10_000, 10_000, 10_000, 0, -10_000, 'cancelled'], // wholly credited after payment: refund due
    [0, 0, 0, 0, 0, 'cancelled'], // as the rule reads (issue.ts issues a zero invoice as paid, never rebalanced)
  ] as const)('gross %i, paid %i, credited %i, pending %i → due %i, %s', (gross, paid, credited, pending, due, state) => {
    const b = balance(gross, paid, credited, pending);
    expect(amountDue(b)).toBe(due);
    expect(stateOf(b)).toBe(state);
  });
});

describe('rebalanced: the one recomputation of payments, refunds and credit notes', () => {
  const invoice = (paid: number, pending: number, credited: number) => ({
    id: 'inv_1',
    totals: { grossCents: 10_000 },
    amountPaidCents: paid,
    amountPendingCents: pending,
    amountCreditedCents: credited,
  });
  it.each([
    // before (paid, pending, credited), change → after (paid, pending, credited, due, state)
    ['a card payment of everything', [0, 0, 0], { paid: 10_000 }, [10_000, 0, 0, 0, 'paid']],
    ['a debit starting', [0, 0, 0], { pending: 10_000 }, [0, 10_000, 0, 10_000, 'issued']],
    ['a debit settling', [0, 10_000, 0], { paid: 10_000, pending: -10_000 }, [10_000, 0, 0, 0, 'paid']],
    ['a debit failing', [0, 10_000, 0], { pending: -10_000 }, [0, 0, 0, 10_000, 'issued']],
    ['a part payment', [0, 0, 0], { paid: 2_500 }, [2_500, 0, 0, 7_500, 'partially_paid']],
    ['a credit note on an open invoice', [0, 0, 0], { credited: 4_000 }, [0, 0, 4_000, 6_000, 'issued']],
    ['a credit note after payment', [10_000, 0, 0], { credited: 4_000 }, [10_000, 0, 4_000, -4_000, 'paid']],
    ['the refund of that overpayment', [10_000, 0, 4_000], { paid: -4_000 }, [6_000, 0, 4_000, 0, 'paid']],
    ['a whole credit note', [0, 0, 0], { credited: 10_000 }, [0, 0, 10_000, 0, 'cancelled']],
    ['a refund reopening a balance', [10_000, 0, 0], { paid: -3_000 }, [7_000, 0, 0, 3_000, 'partially_paid']],
    ['no change', [2_000, 0, 0], {}, [2_000, 0, 0, 8_000, 'partially_paid']],
  ] as const)('%s', (_name, [paid, pending, credited], change, [paidAfter, pendingAfter, creditedAfter, due, state]) => {
    const before = invoice(paid, pending, credited);
    const after = rebalanced(before, change);
    expect(after).toMatchObject({
      id: 'inv_1',
      amountPaidCents: paidAfter,
      amountPendingCents: pendingAfter,
      amountCreditedCents: creditedAfter,
      amountDueCents: due,
      state,
    });
    expect(before.amountPaidCents).toBe(paid); // the invoice given is not changed
    expect(amountDue(balanceOf(after))).toBe(due);
  });
});

describe('dueMarkerMove: the open-balance marker exists while money is due', () => {
  it.each([
    [10_000, 0, 'close'],
    [10_000, -500, 'close'],
    [0, 10_000, 'open'],
    [-500, 1, 'open'],
    [10_000, 4_000, undefined],
    [0, 0, undefined],
    [0, -4_000, undefined],
    [-4_000, 0, undefined],
  ] as const)('due %i → %i: %s', (before, after, move) => {
    expect(dueMarkerMove(before, after)).toBe(move);
  });
});

describe('isOverdue', () => {
  it.each([
    ['issued', '2026-11-30', '2026-12-01', true],
    ['partially_paid', '2026-11-30', '2026-12-01', true],
    ['issued', '2026-12-01', '2026-12-01', false], // due today is not late
    ['issued', undefined, '2026-12-01', false],
    ['paid', '2026-11-30', '2026-12-01', false],
    ['cancelled', '2026-11-30', '2026-12-01', false],
    ['draft', '2026-11-30', '2026-12-01', false],
  ] as const)('%s, due %s, on %s → %s', (state, dueDate, today, overdue) => {
    expect(isOverdue({ state, dueDate }, today)).toBe(overdue);
  });
});

describe('payments move forward only', () => {
  const statuses: (PaymentStatus | undefined)[] = [undefined, 'processing', 'succeeded', 'failed'];
  const allowed: Record<string, PaymentStatus[]> = {
    new: ['processing', 'succeeded', 'failed'],
    processing: ['succeeded', 'failed'],
    succeeded: [],
    failed: [],
  };
  for (const from of statuses)
    for (const to of ['processing', 'succeeded', 'failed'] as const)
      it(`${from ?? 'new'} → ${to}: ${allowed[from ?? 'new']!.includes(to) ? 'allowed' : 'refused'}`, () => {
        expect(canMovePayment(from, to)).toBe(allowed[from ?? 'new']!.includes(to));
      });

  it.each([
    [undefined, 'processing', { paid: 0, pending: 5_000 }],
    [undefined, 'succeeded', { paid: 5_000, pending: 0 }],
    [undefined, 'failed', { paid: 0, pending: 0 }],
    ['processing', 'succeeded', { paid: 5_000, pending: -5_000 }],
    ['processing', 'failed', { paid: 0, pending: -5_000 }],
  ] as const)('%s → %s moves paid and pending by %o', (from, to, delta) => {
    expect(paymentDelta(from, to, 5_000)).toEqual(delta);
  });
});

describe('reminderStepOn', () => {
  it.each([
    ['2026-11-01', '2026-11-07', undefined],
    ['2026-11-01', '2026-11-08', 7],
    ['2026-11-01', '2026-11-15', 7],
    ['2026-11-01', '2026-11-16', 15],
    ['2026-11-01', '2026-12-01', 30],
    ['2026-11-01', '2027-03-01', 30],
    ['2026-11-01', '2026-10-20', undefined],
  ] as const)('due %s, on %s → step %s', (dueDate, today, step) => {
    expect(reminderStepOn(dueDate, today)).toBe(step);
  });
});

describe('canSee: who sees an invoice', () => {
  const invoice = { etd: '44', entrepreneurId: 'ent_1' };
  it.each([
    ['an operator', { sub: 'op', role: 'operator' }, true],
    ['a manager of its territory', { sub: 'm', role: 'manager', etd: '44' }, true],
    ['a manager of another territory', { sub: 'm', role: 'manager', etd: '85' }, false],
    ['its entrepreneur', { sub: 'e', role: 'entrepreneur', etd: '44', entityId: 'ent_1' }, true],
    ['another entrepreneur of its territory', { sub: 'e', role: 'entrepreneur', etd: '44', entityId: 'ent_2' }, false],
    ['its entrepreneur id in another territory', { sub: 'e', role: 'entrepreneur', etd: '85', entityId: 'ent_1' }, false],
    ['a partner', { sub: 'p', role: 'partner', entityId: 'par_1' }, false],
  ] as const)('%s → %s', (_who, principal, visible) => {
    expect(canSee(principal as Principal, invoice)).toBe(visible);
  });
});
